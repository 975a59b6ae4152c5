"""Krippendorff's alpha (via the ``krippendorff`` package), its bootstrap, and sample-size planning.

α = 1 − D_o / D_e over a coders × units reliability matrix with missing values (NaN);
Krippendorff (2019), *Content Analysis*, ch. 12. The bootstrap resamples units with replacement
and recomputes α (the unit bootstrap of Zapf et al. 2016, BMC Med Res Methodol 16:93); it gives
the 95% percentile interval and the probability that α lies below a required minimum (0.667 and
0.800 by Krippendorff's conventions). This is *not* Hayes & Krippendorff's (2007) resampling of
coincidence pairs, which keeps D_e fixed; the unit bootstrap also reflects the uncertainty of D_e.

Sample-size planning: a confidence interval's width shrinks as 1/√N (N pairable units), so the
units needed for a target width w are N·(w_now / w)², with w_now from the bootstrap on the data
at hand (rounded up).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def alpha(reliability_data, level: str = "nominal") -> tuple[float | None, str | None]:
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
        result = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
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


def bootstrap_alpha(reliability_data, level: str = "nominal", *, samples: int = 1000, seed: int = 20240917,
                    minimums: tuple[float, ...] = (0.667, 0.800)) -> AlphaInterval:
    """Alpha with a 95% percentile interval and P(alpha < minimum), by resampling units."""
    data = np.asarray(reliability_data, dtype=float)
    estimate, reason = alpha(data, level)
    if estimate is None:
        return AlphaInterval(None, None, None, {}, 0, reason)
    rng = np.random.default_rng(seed)
    units = data.shape[1]
    draws = []
    for _ in range(samples):
        value, _ = alpha(data[:, rng.integers(0, units, units)], level)
        if value is not None:
            draws.append(value)
    if len(draws) < samples // 2:
        return AlphaInterval(estimate, None, None, {}, len(draws), "too few resamples with variation for an interval")
    draws_array = np.asarray(draws)
    low, high = np.percentile(draws_array, [2.5, 97.5])
    p_below = {f"{minimum:.3f}": float(np.mean(draws_array < minimum)) for minimum in minimums}
    return AlphaInterval(estimate, float(low), float(high), p_below, len(draws))


def units_for_width(current_units: int, current_width: float, target_width: float) -> int:
    """Units needed for a CI of ``target_width``, scaling the observed width by 1/√N."""
    if current_units <= 0 or current_width <= 0 or target_width <= 0:
        raise ValueError("units and widths must be positive")
    return math.ceil(current_units * (current_width / target_width) ** 2)
