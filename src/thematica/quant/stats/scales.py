"""Questionnaire scales: Cronbach's alpha with Feldt's CI, scale scores, correlations, extremity.

Cronbach's alpha: α = k/(k − 1)·(1 − Σs²ᵢ/s²ₜ). Feldt (1965) CI: with F quantiles on
(n − 1, (n − 1)(k − 1)) df, lower = 1 − (1 − α)·F_{0.975}, upper = 1 − (1 − α)·F_{0.025}.
Absolute z-score extremity (as in working-alliance research): |x − mean|/sd of the sample.
Correlation CIs by Fisher's z: tanh(atanh r ± 1.96·se), se = 1/√(n − 3) for Pearson and
√(1.06/(n − 3)) for Spearman (Fieller, Hartley & Pearson 1957).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from thematica.maths.normal import Z95


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
    ci_low: float | None = None
    ci_high: float | None = None

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def correlate(frame: pd.DataFrame, first: str, second: str, method: str = "pearson") -> Correlation:
    """Pearson or Spearman r of the rows where both are present, p and the Fisher-z 95% CI."""
    import math

    data = frame[[first, second]].dropna()
    test = stats.pearsonr if method == "pearson" else stats.spearmanr
    result = test(data[first], data[second])
    r, n = float(result[0]), len(data)
    low = high = None
    if n > 3 and abs(r) < 1:
        se = (1.0 if method == "pearson" else math.sqrt(1.06)) / math.sqrt(n - 3)
        low, high = math.tanh(math.atanh(r) - Z95 * se), math.tanh(math.atanh(r) + Z95 * se)
    return Correlation(first, second, method, n, r, float(result[1]), low, high)


def extremity(values: pd.Series) -> pd.Series:
    return ((values - values.mean()) / values.std(ddof=1)).abs()
