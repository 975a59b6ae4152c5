"""Krippendorff's alpha (via the ``krippendorff`` package), its bootstrap, and sample-size planning.

α = 1 − D_o / D_e over a coders × units reliability matrix with missing values (NaN);
Krippendorff (2019), *Content Analysis*, ch. 12. From the values of each unit u (m_u ≥ 2 of them)
the coincidences are o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1), n_c = Σ_k o_ck, n = Σ_c n_c;
D_o = Σ o_ck δ²_ck / n and D_e = Σ n_c (n_k − [c = k]) δ²_ck / (n (n − 1)).

Bootstrap (Krippendorff 2006, "Bootstrapping distributions for Krippendorff's alpha", as used by
Hayes & Krippendorff 2007): D_e is held at its observed value; each replicate draws, for every
unit, m_u(m_u − 1)/2 pairs of values from the observed coincidences (with probability o_ck / n)
and weighs them 2/(m_u − 1), so that D_o* = Σ_u Σ_draws 2 δ²/(m_u − 1) / n has expectation D_o;
α* = 1 − D_o*/D_e. The 95% percentile interval and the share of α* below 0.667 and 0.800 (the
probability of failing Krippendorff's minimums) are reported. This is implemented from that
description; KALPHA's own draws are random, so there is no published interval to match exactly.

Sample-size planning: a confidence interval's width shrinks as 1/√N (N pairable units), so the
units needed for a target width w are N·(w_now / w)², with w_now from the bootstrap on the data
at hand (rounded up).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np

from numpy.typing import ArrayLike

from thematica.agreement.defaults import BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED
from thematica.maths.thresholds import MINIMUMS, minimum_label
from thematica.vocabulary import MeasurementLevel

LEVELS = tuple(MeasurementLevel)
KrippendorffLevel = Literal["nominal", "ordinal", "interval", "ratio"]
LEVEL_NAMES: dict[MeasurementLevel, KrippendorffLevel] = {
    MeasurementLevel.NOMINAL: "nominal", MeasurementLevel.ORDINAL: "ordinal",
    MeasurementLevel.INTERVAL: "interval", MeasurementLevel.RATIO: "ratio",
}


def alpha(reliability_data: ArrayLike,
          level: MeasurementLevel = MeasurementLevel.NOMINAL) -> tuple[float | None, str | None]:
    """Krippendorff's alpha of a coders × units matrix (NaN = missing); None with a reason if undefined."""
    import krippendorff

    data = np.asarray(reliability_data, dtype=float)
    pairable = np.count_nonzero(np.sum(~np.isnan(data), axis=0) >= 2)
    if pairable == 0:
        return None, "no unit was coded by two or more coders"
    values = np.unique(data[~np.isnan(data)])
    if values.size < 2:
        return None, "no variation: every value is the same, so expected disagreement is 0"
    with np.errstate(divide="ignore", invalid="ignore"):
        result = float(krippendorff.alpha(reliability_data=data, level_of_measurement=LEVEL_NAMES[level]))
    if math.isnan(result):
        return None, "undefined (no expected disagreement)"
    return result, None


@dataclass(frozen=True)
class AlphaInterval:
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    p_below: dict[str, float]
    samples: int
    note: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _value_counts(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values, units × values counts) of the pairable units only."""
    values = np.unique(data[~np.isnan(data)])
    counts = np.stack([(data == value).sum(axis=0) for value in values], axis=1)
    return values, counts[counts.sum(axis=1) >= 2]


def _squared_distances(values: np.ndarray, totals: np.ndarray, level: MeasurementLevel) -> np.ndarray:
    """δ²_ck for Krippendorff's four metrics (ordinal uses the marginal totals n_c)."""
    c, k = np.meshgrid(values, values, indexing="ij")
    distances: np.ndarray
    if level == MeasurementLevel.NOMINAL:
        distances = (c != k).astype(float)
    elif level == MeasurementLevel.INTERVAL:
        distances = (c - k) ** 2
    elif level == MeasurementLevel.RATIO:
        with np.errstate(divide="ignore", invalid="ignore"):
            distances = np.nan_to_num(((c - k) / (c + k)) ** 2)
    else:
        cumulative = np.concatenate([[0.0], np.cumsum(totals)])
        i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
        low, high = np.minimum(i, j), np.maximum(i, j)
        distances = (cumulative[high + 1] - cumulative[low] - (totals[i] + totals[j]) / 2) ** 2
    return distances


def coincidence_alpha(reliability_data: ArrayLike, level: MeasurementLevel = MeasurementLevel.NOMINAL
                      ) -> tuple[float, np.ndarray, np.ndarray, float]:
    """α from the coincidence matrix; also (coincidences, δ², D_e) for the bootstrap."""
    data = np.asarray(reliability_data, dtype=float)
    values, counts = _value_counts(data)
    m = counts.sum(axis=1)
    o = np.einsum("uc,uk,u->ck", counts, counts, 1 / (m - 1)) - np.diag((counts / (m - 1)[:, None]).sum(axis=0))
    totals = o.sum(axis=1)
    n = totals.sum()
    delta = _squared_distances(values, totals, level)
    expected = (np.outer(totals, totals) - np.diag(totals)) * delta
    d_e = expected.sum() / (n * (n - 1))
    d_o = (o * delta).sum() / n
    return 1 - d_o / d_e, o, delta, d_e


def bootstrap_alpha(reliability_data: ArrayLike, level: MeasurementLevel = MeasurementLevel.NOMINAL, *,
                    samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED,
                    minimums: tuple[float, ...] = MINIMUMS) -> AlphaInterval:
    """Alpha with the coincidence bootstrap of the module docstring: 95% interval and P(α < minimum)."""
    data = np.asarray(reliability_data, dtype=float)
    estimate, reason = alpha(data, level)
    if estimate is None:
        return AlphaInterval(None, None, None, {}, 0, reason)
    _, o, delta, d_e = coincidence_alpha(data, level)
    _, counts = _value_counts(data)
    m = counts.sum(axis=1)
    n = m.sum()
    draws_per_unit = (m * (m - 1) // 2).astype(int)
    weights = np.repeat(2.0 / (m - 1), draws_per_unit)
    cells = delta.ravel()
    probability = o.ravel() / o.sum()
    rng = np.random.default_rng(seed)
    drawn = rng.choice(cells.size, size=(samples, int(draws_per_unit.sum())), p=probability)
    observed = (cells[drawn] * weights).sum(axis=1) / n
    alphas = 1 - observed / d_e
    low, high = np.percentile(alphas, [2.5, 97.5])
    p_below = {minimum_label(minimum): float(np.mean(alphas < minimum)) for minimum in minimums}
    return AlphaInterval(estimate, float(low), float(high), p_below, samples)


def units_for_width(current_units: int, current_width: float, target_width: float) -> int:
    """Units needed for a CI of ``target_width``, scaling the observed width by 1/√N."""
    if current_units <= 0 or current_width <= 0 or target_width <= 0:
        raise ValueError("units and widths must be positive")
    return math.ceil(current_units * (current_width / target_width) ** 2)
