"""The group and paired tests the source papers report, each with its df, effect size and 95% CI.

* t-tests (scipy): paired (``ttest_rel``), one-sample against a norm (``ttest_1samp``), Student
  and Welch two-sample (``ttest_ind``), and the same from summary statistics (M, SD, n) — as papers
  compare their sample with a published norm. CI of the mean (difference) from the t
  distribution with the test's df (Welch–Satterthwaite for Welch). Effect: Cohen's d — pooled SD
  for two samples, d = (M − μ₀)/SD for one sample, d_z = mean difference/SD of differences for
  pairs — with the large-sample CI d ± 1.96·√(1/n + d²/(2n)) (pairs, one sample) or
  √((n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂))) (two samples; Hedges & Olkin 1985).
* One-way ANOVA (``f_oneway``) and Welch's ANOVA (``f_oneway(equal_var=False)``): F, df, p,
  η² = SS_between/SS_total with the CI from inverting the noncentral F (Steiger 2004;
  η² = λ/(λ + N)), ω².
* r × c χ² (``chi2_contingency``, no continuity correction) with Cramér's V = √(χ²/(N(k − 1))),
  k = min(r, c), and its CI from the noncentral χ² (Smithson 2003); Fisher's exact test for 2 × 2
  with the conditional maximum-likelihood odds ratio and its exact CI
  (``scipy.stats.contingency.odds_ratio``, as R's ``fisher.test``).
* Mann–Whitney U and Wilcoxon signed-rank (scipy, two-sided): rank-biserial r (Kerby 2014) and the
  Hodges–Lehmann shift with its distribution-free CI (normal approximation of the rank
  statistic's quantile; Hollander & Wolfe 1999).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import optimize, stats

from thematica.maths.normal import Z95

Z = Z95


@dataclass(frozen=True)
class TestResult:
    """One test: ``statistic`` (t, F, χ², U, W) on ``df`` (None where it has none), the estimate
    with its CI, and the effect size with its CI."""

    test: str
    statistic_name: str
    statistic: float
    df: float | None
    df2: float | None
    p: float
    n: tuple[int, ...]
    estimate_name: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    effect_name: str
    effect: float | None
    effect_ci_low: float | None
    effect_ci_high: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["n"] = list(self.n)
        return data


def _clean(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return np.asarray(array[~np.isnan(array)], dtype=float)


def _d_interval(d: float, variance: float) -> tuple[float, float]:
    half = Z * math.sqrt(variance)
    return d - half, d + half


def paired_t(first, second) -> TestResult:
    """Paired t-test of ``first`` − ``second`` (pairs with a missing value are dropped)."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    test = stats.ttest_rel(a, b)
    interval = test.confidence_interval()
    difference = a - b
    n = len(a)
    d = float(difference.mean() / difference.std(ddof=1))
    low, high = _d_interval(d, 1 / n + d ** 2 / (2 * n))
    return TestResult("paired t", "t", float(test.statistic), float(test.df), None, float(test.pvalue), (n,),
                      "mean difference", float(difference.mean()), float(interval.low), float(interval.high),
                      "d_z", d, low, high)


def one_sample_t(values, mu: float) -> TestResult:
    x = _clean(values)
    test = stats.ttest_1samp(x, mu)
    interval = test.confidence_interval()
    n = len(x)
    d = float((x.mean() - mu) / x.std(ddof=1))
    low, high = _d_interval(d, 1 / n + d ** 2 / (2 * n))
    return TestResult("one-sample t", "t", float(test.statistic), float(test.df), None, float(test.pvalue), (n,),
                      f"mean − {mu:g}", float(x.mean() - mu), float(interval.low - mu), float(interval.high - mu),
                      "d", d, low, high)


def summary_t(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int,
              equal_var: bool = True) -> TestResult:
    """Two-sample t from M, SD, n (``ttest_ind_from_stats``); Welch when ``equal_var`` is False."""
    test = stats.ttest_ind_from_stats(mean1, sd1, n1, mean2, sd2, n2, equal_var=equal_var)
    if equal_var:
        df: float = n1 + n2 - 2
        se = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / df * (1 / n1 + 1 / n2))
    else:
        v1, v2 = sd1 ** 2 / n1, sd2 ** 2 / n2
        df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
        se = math.sqrt(v1 + v2)
    difference = mean1 - mean2
    half = float(stats.t.ppf(0.975, df)) * se
    pooled = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
    d = difference / pooled if pooled > 0 else math.nan
    low, high = _d_interval(d, (n1 + n2) / (n1 * n2) + d ** 2 / (2 * (n1 + n2)))
    return TestResult("Student t" if equal_var else "Welch t", "t", float(test.statistic), float(df), None,
                      float(test.pvalue), (n1, n2), "mean difference", difference, difference - half,
                      difference + half, "d", d, low, high)


def summary_one_sample_t(mean: float, sd: float, n: int, mu: float) -> TestResult:
    """One-sample t from M, SD, n against a norm value μ₀: t = (M − μ₀)/(SD/√n), df n − 1."""
    se = sd / math.sqrt(n)
    t = (mean - mu) / se
    df = n - 1
    half = float(stats.t.ppf(0.975, df)) * se
    d = (mean - mu) / sd
    low, high = _d_interval(d, 1 / n + d ** 2 / (2 * n))
    return TestResult("one-sample t", "t", t, float(df), None, float(2 * stats.t.sf(abs(t), df)), (n,),
                      f"mean − {mu:g}", mean - mu, mean - mu - half, mean - mu + half, "d", d, low, high)


def two_sample_t(first, second, equal_var: bool = True) -> TestResult:
    a, b = _clean(first), _clean(second)
    return summary_t(float(a.mean()), float(a.std(ddof=1)), len(a), float(b.mean()), float(b.std(ddof=1)), len(b),
                     equal_var)


def _noncentral_bounds(cdf, observed: float, upper_limit: float) -> tuple[float, float]:
    """λ with cdf(observed; λ) = 0.975 (lower bound) and = 0.025 (upper bound); 0 when not reachable."""
    def solve(target: float) -> float:
        if cdf(observed, 0.0) < target:
            return 0.0
        high = max(10.0, observed * 2)
        while cdf(observed, high) > target and high < upper_limit:
            high *= 2
        return float(optimize.brentq(lambda lam: cdf(observed, lam) - target, 0.0, high))
    return solve(0.975), solve(0.025)


def anova(groups: list, welch: bool = False) -> TestResult:
    """One-way ANOVA of two or more groups (Welch's when ``welch``); η² with its noncentral-F CI."""
    samples = [_clean(g) for g in groups]
    test = stats.f_oneway(*samples, equal_var=not welch)
    k, total = len(samples), sum(len(s) for s in samples)
    everything = np.concatenate(samples)
    ss_between = sum(len(s) * (s.mean() - everything.mean()) ** 2 for s in samples)
    ss_total = float(((everything - everything.mean()) ** 2).sum())
    df1, df2 = k - 1, total - k
    eta2 = float(ss_between / ss_total)
    ms_within = (ss_total - ss_between) / df2
    omega2 = float((ss_between - df1 * ms_within) / (ss_total + ms_within))
    low: float | None
    high: float | None
    if welch:
        # Welch (1951): w = n/s², df₂ = (k² − 1) / (3 Σ (1 − wᵢ/W)²/(nᵢ − 1)); no η² CI for it
        weights = np.array([len(s) / s.var(ddof=1) for s in samples])
        share = 1 - weights / weights.sum()
        df_num = float(k - 1)
        df_den = float((k ** 2 - 1) / (3 * np.sum(share ** 2 / (np.array([len(s) for s in samples]) - 1))))
        low = high = None
    else:
        f = float(test.statistic)
        lam_low, lam_high = _noncentral_bounds(lambda x, lam: stats.ncf.cdf(x, df1, df2, lam) if lam > 0
                                               else stats.f.cdf(x, df1, df2), f, 1e6)
        low, high = lam_low / (lam_low + total), lam_high / (lam_high + total)
        df_num, df_den = float(df1), float(df2)
    return TestResult("Welch ANOVA" if welch else "one-way ANOVA", "F", float(test.statistic), df_num, df_den,
                      float(test.pvalue), tuple(len(s) for s in samples), "ω²", omega2, None, None, "η²", eta2,
                      low, high)


def chi_square(table) -> TestResult:
    """Pearson's χ² of an r × c table (no continuity correction) with Cramér's V and its CI."""
    observed = np.asarray(table, dtype=float)
    chi2, p, df, _ = stats.chi2_contingency(observed, correction=False)
    n = float(observed.sum())
    k = min(observed.shape) - 1
    v = math.sqrt(chi2 / (n * k))
    lam_low, lam_high = _noncentral_bounds(lambda x, lam: stats.ncx2.cdf(x, df, lam) if lam > 0
                                           else stats.chi2.cdf(x, df), float(chi2), 1e7)
    low = math.sqrt(min(1.0, (lam_low + df) / (n * k))) if lam_low > 0 else 0.0
    high = math.sqrt(min(1.0, (lam_high + df) / (n * k)))
    return TestResult("chi-square", "χ²", float(chi2), float(df), None, float(p), (int(n),), "", None, None, None,
                      "Cramér's V", v, low, high)


def fisher_exact(table) -> TestResult:
    """Fisher's exact test of a 2 × 2 table: conditional MLE odds ratio with its exact 95% CI."""
    observed = np.asarray(table, dtype=int)
    p = float(stats.fisher_exact(observed)[1])
    ratio = stats.contingency.odds_ratio(observed, kind="conditional")
    interval = ratio.confidence_interval(0.95)
    return TestResult("Fisher exact", "", math.nan, None, None, p, (int(observed.sum()),), "", None, None, None,
                      "odds ratio", float(ratio.statistic), float(interval.low), float(interval.high))


def _hodges_lehmann(values: np.ndarray, total: int, variance: float) -> tuple[float, float, float]:
    """Median of ``values`` (pairwise differences or Walsh averages) and its distribution-free CI:
    the order statistics C and M − C + 1, C = ⌊M/2 − z·√variance⌋ (M = ``total``)."""
    ordered = np.sort(values)
    c = int(math.floor(total / 2 - Z * math.sqrt(variance)))
    c = max(c, 1)
    return float(np.median(ordered)), float(ordered[c - 1]), float(ordered[total - c])


def mann_whitney(first, second) -> TestResult:
    a, b = _clean(first), _clean(second)
    test = stats.mannwhitneyu(a, b, alternative="two-sided")
    n1, n2 = len(a), len(b)
    r = 2 * float(test.statistic) / (n1 * n2) - 1
    shift, low, high = _hodges_lehmann(np.subtract.outer(a, b).ravel(), n1 * n2, n1 * n2 * (n1 + n2 + 1) / 12)
    return TestResult("Mann–Whitney U", "U", float(test.statistic), None, None, float(test.pvalue), (n1, n2),
                      "Hodges–Lehmann shift", shift, low, high, "rank-biserial r", r, None, None)


def wilcoxon(first, second) -> TestResult:
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b))
    difference = a[keep] - b[keep]
    test = stats.wilcoxon(difference)
    nonzero = difference[difference != 0]
    ranks = stats.rankdata(np.abs(nonzero))
    plus, minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    r = float((plus - minus) / (plus + minus)) if plus + minus else math.nan
    n = len(difference)
    i, j = np.triu_indices(n)
    walsh = (difference[i] + difference[j]) / 2
    shift, low, high = _hodges_lehmann(walsh, len(walsh), n * (n + 1) * (2 * n + 1) / 24)
    return TestResult("Wilcoxon signed-rank", "W", float(test.statistic), None, None, float(test.pvalue), (n,),
                      "Hodges–Lehmann shift", shift, low, high, "matched rank-biserial r", r, None, None)
