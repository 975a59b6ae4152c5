"""Pooling study effects: fixed effect, DerSimonian–Laird and REML random effects.

With weights wᵢ = 1/vᵢ: θ_FE = Σwᵢyᵢ/Σwᵢ, Q = Σwᵢ(yᵢ − θ_FE)², df = k − 1, I² = max(0, (Q − df)/Q)·100.
* DL: τ² = max(0, (Q − df)/(Σwᵢ − Σwᵢ²/Σwᵢ)) (DerSimonian & Laird 1986).
* REML: τ² solves the restricted-likelihood equation, iterated from the DL value
  (Viechtbauer 2005, eq. 12): τ² = Σwᵢ*²((yᵢ − θ̂)² − vᵢ)/Σwᵢ*² + 1/Σwᵢ*, with wᵢ* = 1/(vᵢ + τ²),
  truncated at 0.
Random-effects weights wᵢ* = 1/(vᵢ + τ²); θ_RE = Σwᵢ*yᵢ/Σwᵢ*, se = 1/√Σwᵢ*; 95% CI with z, or with
Hartung–Knapp: se_HK² = Σwᵢ*(yᵢ − θ_RE)²/((k − 1)Σwᵢ*) and t on k − 1 df.
Prediction interval (Higgins, Thompson & Spiegelhalter 2009): θ_RE ± t_{k−2, 0.975}·√(τ² + se²), k ≥ 3.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import stats

from thematica.vocabulary import PoolingMethod

METHODS = tuple(PoolingMethod)


@dataclass(frozen=True)
class Pooled:
    k: int
    method: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p: float
    pi_low: float | None
    pi_high: float | None
    hartung_knapp: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / v
    fixed = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - fixed) ** 2))
    denominator = np.sum(w) - np.sum(w ** 2) / np.sum(w)
    return max(0.0, (q - (len(y) - 1)) / denominator) if denominator > 0 else 0.0


def tau2_reml(y: np.ndarray, v: np.ndarray, tolerance: float = 1e-10, iterations: int = 500) -> float:
    tau2 = tau2_dl(y, v)
    for _ in range(iterations):
        w = 1 / (v + tau2)
        estimate = np.sum(w * y) / np.sum(w)
        update = np.sum(w ** 2 * ((y - estimate) ** 2 + 1 / np.sum(w) - v)) / np.sum(w ** 2)
        update = max(0.0, float(update))
        if abs(update - tau2) < tolerance:
            return update
        tau2 = update
    return tau2


def pool(y, v, method: str = "REML", hartung_knapp: bool = False, level: float = 0.95) -> Pooled:
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    k = len(y)
    if k == 0:
        raise ValueError("no studies to pool")
    w = 1 / v
    fixed = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fixed) ** 2))
    df = k - 1
    q_p = float(stats.chi2.sf(q, df)) if df > 0 else float("nan")
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    notes = []
    if method == "FE":
        tau2 = 0.0
    elif method == "DL":
        tau2 = tau2_dl(y, v)
    elif method == "REML":
        tau2 = tau2_reml(y, v) if k > 1 else 0.0
    else:
        raise ValueError(f"unknown method {method}")
    if k == 1:
        notes.append("a single study: its own estimate, no heterogeneity")
    weights = 1 / (v + tau2)
    estimate = float(np.sum(weights * y) / np.sum(weights))
    se = float(1 / math.sqrt(np.sum(weights)))
    z = stats.norm.ppf(0.5 + level / 2)
    if hartung_knapp and k > 1:
        se = float(math.sqrt(np.sum(weights * (y - estimate) ** 2) / ((k - 1) * np.sum(weights))))
        z = stats.t.ppf(0.5 + level / 2, k - 1)
    pi_low = pi_high = None
    if method != "FE" and k >= 3:
        t = stats.t.ppf(0.5 + level / 2, k - 2)
        half = t * math.sqrt(tau2 + se ** 2)
        pi_low, pi_high = estimate - half, estimate + half
    elif method != "FE":
        notes.append("prediction interval needs at least 3 studies")
    return Pooled(k, method, estimate, se, estimate - z * se, estimate + z * se, tau2, i2, q, df, q_p, pi_low,
                  pi_high, hartung_knapp and k > 1, notes)


@dataclass(frozen=True)
class Egger:
    intercept: float
    se: float
    p: float

    def to_dict(self) -> dict:
        return asdict(self)


def egger(y, v) -> Egger | None:
    """Egger's regression test: y/se on 1/se; the intercept measures small-study asymmetry."""
    import statsmodels.api as sm

    y, se = np.asarray(y, dtype=float), np.sqrt(np.asarray(v, dtype=float))
    if len(y) < 3:
        return None
    model = sm.OLS(y / se, sm.add_constant(1 / se)).fit()
    return Egger(float(model.params[0]), float(model.bse[0]), float(model.pvalues[0]))


def subgroup_test(pooled: dict[str, Pooled]) -> tuple[float, int, float]:
    """Q between subgroups: Σ w_g(θ_g − θ̄)² over subgroup estimates, df = G − 1 (fixed-effect on summaries)."""
    estimates = np.array([p.estimate for p in pooled.values()])
    weights = np.array([1 / p.se ** 2 for p in pooled.values()])
    overall = np.sum(weights * estimates) / np.sum(weights)
    q = float(np.sum(weights * (estimates - overall) ** 2))
    df = len(estimates) - 1
    return q, df, float(stats.chi2.sf(q, df)) if df > 0 else float("nan")
