"""Standardised mean differences with confidence intervals.

Cohen's d = (m₁ − m₂)/s_p with s_p² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2); Hedges' g = J·d,
J = 1 − 3/(4(n₁+n₂) − 9). Var(d) = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)) (Hedges & Olkin 1985);
95% CI d ± 1.96·√Var(d). Within-group (pre − post, so a fall on a symptom scale is positive), by
name (``WITHIN_FORMULAS``): baseline SD, pooled SD of the two occasions, d_av, d_z and d_rm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thematica.maths.normal import Z95


@dataclass(frozen=True)
class Difference:
    n1: int
    mean1: float
    sd1: float
    n2: int
    mean2: float
    sd2: float
    difference: float
    d: float
    d_low: float
    d_high: float
    g: float
    g_low: float
    g_high: float


def pooled_sd(n1: float, sd1: float, n2: float, sd2: float) -> float:
    """s_p = √(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2))."""
    return math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))


def hedges_j(n1: float, n2: float) -> float:
    """Small-sample correction J = 1 − 3/(4(n₁+n₂) − 9)."""
    return 1 - 3 / (4 * (n1 + n2) - 9)


def cohens_d(n1: int, mean1: float, sd1: float, n2: int, mean2: float, sd2: float) -> Difference:
    """Cohen's d from summary statistics; d is NaN when both groups have no spread (s_p = 0)."""
    pooled = pooled_sd(n1, sd1, n2, sd2)
    d = (mean1 - mean2) / pooled if pooled > 0 else math.nan
    half = Z95 * math.sqrt((n1 + n2) / (n1 * n2) + d ** 2 / (2 * (n1 + n2)))
    j = hedges_j(n1, n2)
    return Difference(n1, mean1, sd1, n2, mean2, sd2, mean1 - mean2, d, d - half, d + half, j * d, j * (d - half),
                      j * (d + half))


def from_samples(first, second) -> Difference:
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    return cohens_d(len(a), float(a.mean()), float(a.std(ddof=1)), len(b), float(b.mean()), float(b.std(ddof=1)))


WITHIN_FORMULAS: dict[str, tuple[str, str]] = {
    "baseline": ("(M_pre − M_post) / SD_pre", "Becker 1988"),
    "pooled": ("(M_pre − M_post) / √((SD_pre² + SD_post²)/2)", "Cumming 2012"),
    "d_av": ("(M_pre − M_post) / ((SD_pre + SD_post)/2)", "Lakens 2013, eq. 10"),
    "d_z": ("mean change / SD of the change", "Cohen 1988; Lakens 2013, eq. 6"),
    "d_rm": ("d_z · √(2(1 − r)), r the pre–post correlation", "Morris & DeShon 2002; Lakens 2013, eq. 9"),
}


@dataclass(frozen=True)
class WithinD:
    """Within-group standardised change of ``n`` paired observations, every formula at once."""

    n: int
    mean_pre: float
    mean_post: float
    sd_pre: float
    sd_post: float
    r: float
    mean_change: float  # pre − post
    sd_change: float
    baseline: float
    pooled: float
    d_av: float
    d_z: float
    d_rm: float

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def _ratio(top: float, bottom: float) -> float:
    return float(top / bottom) if bottom > 0 else math.nan  # NaN: no spread at all


def within_d(pre, post) -> WithinD:
    """All within-group d of paired ``pre`` and ``post`` values (NaN where a spread is zero)."""
    a, b = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    change = a - b
    s1, s2, sc = float(a.std(ddof=1)), float(b.std(ddof=1)), float(change.std(ddof=1))
    r = float(np.corrcoef(a, b)[0, 1]) if s1 > 0 and s2 > 0 else math.nan
    m = float(change.mean())
    d_z = _ratio(m, sc)
    d_rm = d_z * math.sqrt(2 * (1 - r)) if not math.isnan(r) else math.nan
    return WithinD(len(a), float(a.mean()), float(b.mean()), s1, s2, r, m, sc, _ratio(m, s1),
                   _ratio(m, math.sqrt((s1 ** 2 + s2 ** 2) / 2)), _ratio(m, (s1 + s2) / 2), d_z, float(d_rm))
