"""Standardised mean differences with confidence intervals.

Cohen's d = (m₁ − m₂)/s_p with s_p² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2); Hedges' g = J·d,
J = 1 − 3/(4(n₁+n₂) − 9). Var(d) = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)) (Hedges & Olkin 1985);
95% CI d ± 1.96·√Var(d). Within-arm pre–post: d_av = (m_pre − m_post)/((s_pre + s_post)/2) and
d_z = mean change / sd of change (Lakens 2013); papers report either, so both are given.
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


def pre_post(pre, post) -> dict[str, float]:
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    change = pre - post
    spread, change_sd = (pre.std(ddof=1) + post.std(ddof=1)) / 2, change.std(ddof=1)
    return {"n": int(len(pre)), "mean_pre": float(pre.mean()), "mean_post": float(post.mean()),
            "d_av": float(change.mean() / spread) if spread else math.nan,   # NaN: no spread at all
            "d_z": float(change.mean() / change_sd) if change_sd else math.nan}
