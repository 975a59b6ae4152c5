"""Questionnaire scales: Cronbach's alpha with Feldt's CI, scale scores, correlations, extremity.

Cronbach's alpha: α = k/(k − 1)·(1 − Σs²ᵢ/s²ₜ). Feldt (1965) CI: with F quantiles on
(n − 1, (n − 1)(k − 1)) df, lower = 1 − (1 − α)·F_{0.975}, upper = 1 − (1 − α)·F_{0.025}.
Absolute z-score extremity (as in working-alliance research): |x − mean|/sd of the sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Alpha:
    items: int
    n: int
    alpha: float
    ci_low: float
    ci_high: float


def cronbach_alpha(items: pd.DataFrame) -> Alpha:
    data = items.dropna()
    n, k = data.shape
    variances = data.var(axis=0, ddof=1).sum()
    total = data.sum(axis=1).var(ddof=1)
    alpha = k / (k - 1) * (1 - variances / total)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.ppf(0.975, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(0.025, df1, df2)
    return Alpha(k, n, float(alpha), float(low), float(high))


@dataclass(frozen=True)
class Correlation:
    first: str
    second: str
    method: str
    n: int
    r: float
    p: float


def correlate(frame: pd.DataFrame, first: str, second: str, method: str = "pearson") -> Correlation:
    data = frame[[first, second]].dropna()
    test = stats.pearsonr if method == "pearson" else stats.spearmanr
    result = test(data[first], data[second])
    return Correlation(first, second, method, len(data), float(result[0]), float(result[1]))


def extremity(values: pd.Series) -> pd.Series:
    return ((values - values.mean()) / values.std(ddof=1)).abs()
