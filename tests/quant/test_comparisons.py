"""The papers' group and paired tests against statsmodels, scipy's other entry points and R's
published ``fisher.test`` example; and the ``trial test`` service on the demo trial."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from thematica.errors import ThematicaError
from thematica.quant.stats import comparisons as tests
from thematica.quant.trial_service import compare, import_trial

TRIAL = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "trial.csv"
rng = np.random.default_rng(11)
A, B, C = rng.normal(5.1, 1.0, 31), rng.normal(4.5, 1.6, 27), rng.normal(4.9, 0.7, 22)


def test_t_tests_against_statsmodels():
    paired = tests.paired_t(A[:22], C)
    described = DescrStatsW(A[:22] - C)
    t, p, df = described.ttest_mean(0)
    assert (paired.statistic, paired.p, paired.df) == pytest.approx((t, p, df))
    assert (paired.ci_low, paired.ci_high) == pytest.approx(described.tconfint_mean())
    assert paired.effect == pytest.approx(described.mean / described.std_ddof1 if hasattr(described, "std_ddof1")
                                          else (A[:22] - C).mean() / (A[:22] - C).std(ddof=1))
    one = tests.one_sample_t(A, 4.6)
    t, p, df = DescrStatsW(A).ttest_mean(4.6)
    assert (one.statistic, one.p, one.df) == pytest.approx((t, p, df))
    assert (one.ci_low + 4.6, one.ci_high + 4.6) == pytest.approx(DescrStatsW(A).tconfint_mean())
    for equal, usevar in ((True, "pooled"), (False, "unequal")):
        result = tests.two_sample_t(A, B, equal_var=equal)
        means = CompareMeans(DescrStatsW(A), DescrStatsW(B))
        t, p, df = means.ttest_ind(usevar=usevar)
        assert (result.statistic, result.p, result.df) == pytest.approx((t, p, df))
        assert (result.ci_low, result.ci_high) == pytest.approx(means.tconfint_diff(usevar=usevar))
        assert result.test == ("Student t" if equal else "Welch t")


def test_t_from_summary_statistics_equals_the_raw_data_and_the_published_d():
    raw = tests.two_sample_t(A, B)
    summary = tests.summary_t(A.mean(), A.std(ddof=1), len(A), B.mean(), B.std(ddof=1), len(B))
    assert summary == raw
    # the re-integration trial's Table 2 at baseline: d 0.11 from M, SD, n
    assert round(tests.summary_t(1.28, 0.57, 64, 1.22, 0.52, 64).effect, 2) == 0.11
    norm = tests.summary_one_sample_t(A.mean(), A.std(ddof=1), len(A), 4.6)
    one = tests.one_sample_t(A, 4.6)
    assert (norm.statistic, norm.p, norm.ci_low, norm.effect) == pytest.approx(
        (one.statistic, one.p, one.ci_low, one.effect))


@pytest.mark.parametrize("welch", [False, True])
def test_anova_against_statsmodels(welch):
    result = tests.anova([A, B, C], welch=welch)
    reference = anova_oneway([A, B, C], use_var="unequal" if welch else "equal")
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))
    assert (result.df, result.df2) == pytest.approx((reference.df_num, reference.df_denom))
    everything = np.concatenate([A, B, C])
    between = sum(len(g) * (g.mean() - everything.mean()) ** 2 for g in (A, B, C))
    assert result.effect == pytest.approx(between / ((everything - everything.mean()) ** 2).sum())
    if not welch:  # the η² bounds are the noncentral F quantiles: the observed F sits at 97.5% and 2.5%
        n = len(everything)
        for bound, level in ((result.effect_ci_low, 0.975), (result.effect_ci_high, 0.025)):
            lam = bound * n / (1 - bound)
            if lam == 0:  # not reachable: even λ = 0 leaves the observed F below this quantile
                assert stats.f.cdf(result.statistic, 2, n - 3) < level
            else:
                assert stats.ncf.cdf(result.statistic, 2, n - 3, lam) == pytest.approx(level, abs=1e-6)


def test_chi_square_r_by_c_with_cramers_v_and_fisher_against_r():
    table = np.array([[12, 5, 9], [7, 14, 6]])
    result = tests.chi_square(table)
    chi2, p, df, _ = stats.chi2_contingency(table, correction=False)
    assert (result.statistic, result.p, result.df) == pytest.approx((chi2, p, df))
    assert result.effect == pytest.approx(stats.contingency.association(table, method="cramer"))
    assert result.effect_ci_low < result.effect < result.effect_ci_high
    # R's fisher.test on the tea-tasting table (its help page): p 0.4857, conditional MLE odds ratio
    # 6.408309, 95% CI from 0.2117
    tea = tests.fisher_exact([[3, 1], [1, 3]])
    assert round(tea.p, 4) == 0.4857
    assert tea.effect == pytest.approx(6.408309, rel=1e-5)  # R finds the root to its uniroot tolerance
    assert tea.effect_ci_low == pytest.approx(0.2117, abs=1e-4) and tea.effect_ci_high > 300


def test_rank_tests_against_scipy():
    result = tests.mann_whitney(A, B)
    reference = stats.mannwhitneyu(A, B, alternative="two-sided")
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))
    assert result.effect == pytest.approx(2 * reference.statistic / (len(A) * len(B)) - 1)
    assert result.estimate == pytest.approx(np.median(np.subtract.outer(A, B)))
    assert result.ci_low < result.estimate < result.ci_high
    paired = tests.wilcoxon(A[:22], C)
    reference = stats.wilcoxon(A[:22], C)
    assert (paired.statistic, paired.p) == pytest.approx((reference.statistic, reference.pvalue))
    difference = A[:22] - C
    ranks = stats.rankdata(np.abs(difference))
    assert paired.effect == pytest.approx((ranks[difference > 0].sum() - ranks[difference < 0].sum()) / ranks.sum())


@pytest.fixture
def demo(project):
    import_trial(project, TRIAL, "participant", "arm", "time")
    return project


def test_trial_test_service_on_the_demo_trial(demo):
    frame = pd.read_csv(TRIAL)
    paired = {c.group: c.result for c in compare(demo, "paired", "scl90", baseline="0", at="3")}
    assert set(paired) == {None, "training", "booster"}
    assert round(paired["training"].effect, 2) == 2.00 and round(paired["booster"].effect, 2) == 2.01
    wide = frame[frame.arm == "booster"].pivot(index="participant", columns="time", values="scl90")
    assert paired["booster"].statistic == pytest.approx(stats.ttest_rel(wide[0], wide[3]).statistic)
    (by_cluster,) = compare(demo, "anova", "scl90", by="cluster", at="24")
    at = frame[frame.time == 24].dropna(subset=["scl90"])
    groups = [at[at.cluster == level].scl90 for level in pd.unique(frame.cluster)]
    assert by_cluster.result.statistic == pytest.approx(stats.f_oneway(*groups).statistic)
    (two,) = compare(demo, "welch", "scl90", by="cluster", order=["B", "C"], at="12")
    b, c = (frame[(frame.time == 12) & (frame.cluster == x)].scl90.dropna() for x in ("B", "C"))
    assert two.result.statistic == pytest.approx(stats.ttest_ind(b, c, equal_var=False).statistic)
    (table,) = compare(demo, "chi2", "cluster", at="0")
    first = frame[frame.time == 0]
    assert table.result.statistic == pytest.approx(
        stats.chi2_contingency(pd.crosstab(first.arm, first.cluster), correction=False)[0])


def test_trial_test_refuses_bad_requests(demo, tmp_path):
    for arguments, message in ((("welch", "scl90"), None), (("anova", "scl90"), None)):
        compare(demo, *arguments, at="3")  # arms: two groups, fine
    for call, message in ((dict(test="welch", outcome="scl90", by="cluster"), "has 3 groups"),
                          (dict(test="student", outcome="scl90", by="sessions_offered"), "only one group"),
                          (dict(test="paired", outcome="scl90", at="48"), "--at: no timepoint '48'"),
                          (dict(test="one-sample", outcome="scl90"), "--mu"),
                          (dict(test="student", outcome="scl90", by="onbekend"), "--by: unknown trial variable"),
                          (dict(test="t", outcome="scl90"), "--test: unknown test"),
                          (dict(test="fisher", outcome="cluster"), "2 × 2")):
        with pytest.raises(ThematicaError, match=message):
            compare(demo, **call)


def test_correlations_with_ci_and_extremity_scores(demo):
    from thematica.quant.trial_service import Scale, correlations

    frame = pd.read_csv(TRIAL)
    at = frame[frame.time == 3].copy()
    at["WAI"] = at[["wai1", "wai2", "wai3", "wai4"]].mean(axis=1)
    found = dict(((group, c.first, c.second), c) for group, c in correlations(
        demo, ["WAI", "scl90"], at="3", scales=[Scale("WAI", ["wai1", "wai2", "wai3", "wai4"])], by="arm"))
    plain = found[(None, "WAI", "scl90")]
    reference = stats.pearsonr(at.WAI, at.scl90)
    assert (plain.r, plain.p, plain.n) == pytest.approx((reference.statistic, reference.pvalue, 128))
    interval = reference.confidence_interval()
    assert (plain.ci_low, plain.ci_high) == pytest.approx((interval.low, interval.high))
    booster = at[at.arm == "booster"]
    assert found[("booster", "WAI", "scl90")].r == pytest.approx(stats.pearsonr(booster.WAI, booster.scl90)[0])
    ((_, extreme),) = correlations(demo, ["WAI", "scl90"], at="3", extremity=True, method="spearman",
                                   scales=[Scale("WAI", ["wai1", "wai2", "wai3", "wai4"])])
    z = at[["WAI", "scl90"]].apply(lambda x: np.abs(stats.zscore(x, ddof=1)))
    assert extreme.r == pytest.approx(stats.spearmanr(z.WAI, z.scl90)[0])
    assert extreme.ci_low == pytest.approx(math.tanh(math.atanh(extreme.r) - 1.959963984540054 * math.sqrt(1.06 / 125)))
    with pytest.raises(ThematicaError, match="two or more variables"):
        correlations(demo, ["scl90"])
    with pytest.raises(ThematicaError, match="'sex' is categorical"):
        correlations(demo, ["scl90", "sex"])


def test_paired_test_of_two_variables_and_extremity_of_one(demo):
    from thematica.quant.trial_service import Scale, correlations

    frame = pd.read_csv(TRIAL)
    at = frame[frame.time == 3]
    (everyone, *_) = compare(demo, "paired", "wai1", versus="wai2", at="3")
    assert everyone.outcome == "wai1 − wai2" and everyone.group is None
    reference = stats.ttest_rel(at.wai1, at.wai2)
    assert (everyone.result.statistic, everyone.result.df) == pytest.approx((reference.statistic, reference.df))
    ((_, mixed),) = correlations(demo, ["age", "WAI"], at="3", extreme=["WAI"],
                                 scales=[Scale("WAI", ["wai1", "wai2", "wai3", "wai4"])])
    wai = at[["wai1", "wai2", "wai3", "wai4"]].mean(axis=1)
    assert mixed.r == pytest.approx(stats.pearsonr(at.age, np.abs(stats.zscore(wai, ddof=1)))[0])
    with pytest.raises(ThematicaError, match="--versus is for the paired tests"):
        compare(demo, "welch", "wai1", versus="wai2")
