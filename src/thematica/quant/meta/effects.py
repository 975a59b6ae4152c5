"""Per-study effect sizes and their sampling variances.

* RR, OR: log scale. log RR = ln(a/n₁) − ln(c/n₂), v = 1/a − 1/n₁ + 1/c − 1/n₂;
  log OR = ln(ad/bc), v = 1/a + 1/b + 1/c + 1/d. A study with a zero cell gets 0.5 added to each
  of its four cells (the continuity correction is reported); a study with no events in either arm
  (or only events) carries no information on a ratio scale and is left out (reported).
* RD = a/n₁ − c/n₂, v = p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂ (zero cells need no correction).
* MD = m₁ − m₂, v = s₁²/n₁ + s₂²/n₂.
* SMD: Hedges' g = J·(m₁ − m₂)/s_p, s_p² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2), J = 1 − 3/(4(n₁+n₂) − 9),
  v = (n₁+n₂)/(n₁n₂) + g²/(2(n₁+n₂))  (Hedges & Olkin 1985; Borenstein et al. 2009, ch. 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from thematica.quant.stats.effect_sizes import hedges_j, pooled_sd
from thematica.vocabulary import EffectMeasure

RATIO = (EffectMeasure.RR, EffectMeasure.OR)
MEASURES = tuple(EffectMeasure)


@dataclass(frozen=True)
class StudyEffect:
    study: str
    estimate: float
    variance: float
    corrected: bool = False

    @property
    def se(self) -> float:
        return math.sqrt(self.variance)


@dataclass
class EffectSet:
    measure: str
    effects: list[StudyEffect]
    excluded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def binary_effect(measure: str, study: str, events_t: float, n_t: float, events_c: float, n_c: float,
                  correction: float = 0.5) -> StudyEffect | None:
    """One study's effect from its 2×2 table; None when it carries no information (double zero)."""
    a, b, c, d = events_t, n_t - events_t, events_c, n_c - events_c
    if measure == "RD":
        p1, p2 = a / n_t, c / n_c
        return StudyEffect(study, p1 - p2, p1 * (1 - p1) / n_t + p2 * (1 - p2) / n_c)
    if (a == 0 and c == 0) or (b == 0 and d == 0):
        return None
    corrected = min(a, b, c, d) == 0
    if corrected:
        a, b, c, d = a + correction, b + correction, c + correction, d + correction
        n_t, n_c = a + b, c + d
    if measure == "RR":
        return StudyEffect(study, math.log((a / n_t) / (c / n_c)), 1 / a - 1 / n_t + 1 / c - 1 / n_c, corrected)
    return StudyEffect(study, math.log((a * d) / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d, corrected)


def continuous_effect(measure: str, study: str, mean_t: float, sd_t: float, n_t: float, mean_c: float,
                      sd_c: float, n_c: float) -> StudyEffect:
    if measure == "MD":
        return StudyEffect(study, mean_t - mean_c, sd_t ** 2 / n_t + sd_c ** 2 / n_c)
    g = hedges_j(n_t, n_c) * (mean_t - mean_c) / pooled_sd(n_t, sd_t, n_c, sd_c)
    return StudyEffect(study, g, (n_t + n_c) / (n_t * n_c) + g ** 2 / (2 * (n_t + n_c)))


def binary_effects(measure: str, rows: list[tuple[str, float, float, float, float]]) -> EffectSet:
    result = EffectSet(measure, [])
    for study, events_t, n_t, events_c, n_c in rows:
        effect = binary_effect(measure, study, events_t, n_t, events_c, n_c)
        if effect is None:
            result.excluded.append(study)
        else:
            result.effects.append(effect)
    corrected = [e.study for e in result.effects if e.corrected]
    if corrected:
        result.notes.append(f"continuity correction 0.5 added to all cells of studies with a zero cell: "
                            f"{', '.join(corrected)}")
    if result.excluded:
        result.notes.append(f"left out (no events, or only events, in both arms; no information on a ratio "
                            f"scale): {', '.join(result.excluded)}")
    return result
