"""Network meta-analysis: reproduces R netmeta on two published networks, reduces to the pairwise
analysis, equals weighted least squares computed with statsmodels on two-arm networks, fits a lone
multi-arm trial exactly, and ranks coherently.

The netmeta figures below were produced by netmeta 3.x (``netmeta(TE, seTE, treat1, treat2, studlab)``,
``netrank``, ``decomp.design``) on its own datasets and published with their generating script in the
public repository mahmood726-cyber/ubcma (nma/reference/gen_netmeta_reference.R and the CSV files
beside it). The data: Senn et al. (2013), Stat Med 32:1785–96, glucose-lowering drugs, HbA1c mean
differences with one three-arm trial (netmeta's ``Senn2013``); and the smoking-cessation network of
Hasselblad (1998) as in Dias et al. (2013), NICE DSU TSD 4 (netmeta's ``smokingcessation``), given here
both arm-level and as the contrasts netmeta's ``pairwise()`` derives (0.5 added to the cells of the
two studies with a zero arm).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
import scipy.stats
import statsmodels.api as sm

from thematica.errors import ThematicaError
from thematica.quant.meta.effects import binary_effect
from thematica.quant.meta.network import Arm, Contrast, league_table, network_from_contrasts, network_meta_analysis
from thematica.quant.meta.pooling import pool
from thematica.quant.meta_files import compare_extractions, read_arms, read_contrasts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpora" / "meta" / "work-network.csv"
DATA = ROOT / "tests" / "data" / "meta"

# netmeta: TE of each treatment versus placebo (common and random effects), their standard errors,
# P-scores (small values desirable), tau², Q (df 18) and decomp.design's within/between-design Q.
SENN_FIXED = {"acar": -0.827368972, "benf": -0.9051864494, "metf": -1.114110189, "migl": -0.9439329629,
              "piog": -1.0664331069, "rosi": -1.2018420107, "sita": -0.57, "sulf": -0.4394971506, "vild": -0.7}
SENN_FIXED_SE = {"acar": 0.1085208454, "benf": 0.1270911346, "metf": 0.0596114775, "migl": 0.1269061204,
                 "piog": 0.0758475068, "rosi": 0.0476621653, "sita": 0.1291, "sulf": 0.0914791254, "vild": 0.1273}
SENN_RANDOM = {"acar": -0.8417849382, "benf": -0.7311472149, "metf": -1.1267753512, "migl": -0.9497263777,
               "piog": -1.1290919538, "rosi": -1.233455753, "sita": -0.57, "sulf": -0.4165588002, "vild": -0.7}
SENN_RANDOM_SE = {"acar": 0.2458203057, "benf": 0.2860750524, "metf": 0.154266582, "migl": 0.2317585377,
                  "piog": 0.2196381302, "rosi": 0.1278016419, "sita": 0.3540956554, "sulf": 0.2408838117,
                  "vild": 0.3534433662}
SENN_P_FIXED = {"acar": 0.479183553591904, "benf": 0.572664185085247, "metf": 0.851277164945292,
                "migl": 0.620004412248249, "piog": 0.768632565564681, "plac": 6.4907432449204e-07,
                "rosi": 0.978903244463782, "sita": 0.238614641905226, "sulf": 0.139491658740947,
                "vild": 0.351227924380347}
SENN_P_RANDOM = {"acar": 0.520264415346934, "benf": 0.435817023500372, "metf": 0.781776531582271,
                 "migl": 0.613655528194324, "piog": 0.774569730700626, "plac": 0.0138950538084336,
                 "rosi": 0.89336818125521, "sita": 0.333099206416942, "sulf": 0.210307659651169,
                 "vild": 0.423246669543718}
# smoking cessation, log odds ratios versus A (no contact); larger is better
SMOKING_FIXED = {"B": 0.1997625049, "C": 0.6524277907, "D": 0.7168193144}
SMOKING_FIXED_SE = {"B": 0.1259807412, "C": 0.0589500197, "D": 0.1879173493}
SMOKING_RANDOM = {"B": 0.4162377049, "C": 0.7334060234, "D": 0.902298208}
SMOKING_RANDOM_SE = {"B": 0.3681021952, "C": 0.218923644, "D": 0.4115865072}
SMOKING_P_FIXED = {"A": 0.0188255170973268, "B": 0.316262623703612, "C": 0.787825295028737, "D": 0.877086564170324}
SMOKING_P_RANDOM = {"A": 0.0478871870493142, "B": 0.404201861940132, "C": 0.71032820917033, "D": 0.837582741840224}


def _assert_netmeta(result, reference, estimates, errors, scores, q_total, q_within, q_between):
    """Every treatment versus ``reference`` (estimate, se), P-scores and the Q decomposition (value, df)."""
    pairs = {t: result.contrast(t, reference) for t in result.treatments if t != reference}
    assert {t: p[0] for t, p in pairs.items()} == pytest.approx(estimates, abs=1e-9)
    assert {t: p[1] for t, p in pairs.items()} == pytest.approx(errors, abs=1e-9)
    assert result.p_scores == pytest.approx(scores, abs=1e-9)
    for (q, df), expected in zip(((result.q_total, result.df_total), (result.q_within, result.df_within),
                                  (result.q_between, result.df_between)), (q_total, q_within, q_between)):
        assert (q, df) == (pytest.approx(expected[0], abs=1e-8), expected[1])


def test_senn2013_contrast_data_reproduce_netmeta():
    rows = read_contrasts(DATA / "senn2013-contrasts.csv", "MD")
    fixed = network_from_contrasts("MD", rows, "plac", random=False, larger_is_better=False)
    random = network_from_contrasts("MD", rows, "plac", random=True, larger_is_better=False)
    for result, estimates, errors, scores in ((fixed, SENN_FIXED, SENN_FIXED_SE, SENN_P_FIXED),
                                              (random, SENN_RANDOM, SENN_RANDOM_SE, SENN_P_RANDOM)):
        _assert_netmeta(result, "plac", estimates, errors, scores, (96.9855530052601, 18), (74.4552817355127, 11),
                        (22.5302712697474, 7))
        assert result.i2 == pytest.approx(81.4405347577657, abs=1e-9)
    assert random.tau2 == pytest.approx(0.108716923142419, abs=1e-12)
    assert fixed.tau2 == 0.0


@pytest.mark.parametrize("layout", ["arms", "contrasts"])
def test_smoking_cessation_reproduces_netmeta_from_arms_and_from_contrasts(layout):
    if layout == "arms":
        arms = read_arms(DATA / "smokingcessation-arms.csv", "OR")
        fit = lambda random: network_meta_analysis("OR", arms, "A", random=random)  # noqa: E731
    else:
        rows = read_contrasts(DATA / "smokingcessation-contrasts.csv", "OR")
        fit = lambda random: network_from_contrasts("OR", rows, "A", random=random)  # noqa: E731
    for random, estimates, errors, scores in ((False, SMOKING_FIXED, SMOKING_FIXED_SE, SMOKING_P_FIXED),
                                              (True, SMOKING_RANDOM, SMOKING_RANDOM_SE, SMOKING_P_RANDOM)):
        result = fit(random)
        _assert_netmeta(result, "A", estimates, errors, scores, (202.618871212979, 23), (187.398534192084, 16),
                        (15.2203370208934, 7))
        assert result.tau2 == pytest.approx(0.598875258924702 if random else 0.0, abs=1e-12)


def test_contrast_level_multi_arm_studies_are_checked():
    def rows(*items):
        return [Contrast("S1", a, b, te, se) for a, b, te, se in items] + [Contrast("S2", "A", "B", 0.3, 0.2)]

    with pytest.raises(ValueError, match="needs all 3 pairwise contrasts"):
        network_from_contrasts("MD", rows(("A", "B", 0.5, 0.2), ("A", "C", 0.7, 0.3)), "A")
    with pytest.raises(ValueError, match="not consistent"):
        network_from_contrasts("MD", rows(("A", "B", 0.5, 0.2), ("A", "C", 0.7, 0.3), ("B", "C", 0.9, 0.3)), "A")
    with pytest.raises(ValueError, match="same comparison twice"):
        network_from_contrasts("MD", rows(("A", "B", 0.5, 0.2), ("B", "A", -0.5, 0.2), ("A", "C", 0.1, 0.3)), "A")
    with pytest.raises(ValueError, match="one variance per arm"):
        network_from_contrasts("MD", rows(("A", "B", 0.5, 0.1), ("A", "C", 0.7, 0.1), ("B", "C", 0.2, 0.9)), "A")
    # a consistent three-arm study equals its arm-level form: arm variances 0.01, 0.03, 0.06
    three = rows(("A", "B", -0.5, math.sqrt(0.04)), ("A", "C", -0.7, math.sqrt(0.07)), ("B", "C", -0.2, math.sqrt(0.09)))
    result = network_from_contrasts("MD", three, "A")
    arms = [Arm("S1", "A", mean=0.0, sd=0.1, n=1), Arm("S1", "B", mean=0.5, sd=math.sqrt(0.03), n=1),
            Arm("S1", "C", mean=0.7, sd=math.sqrt(0.06), n=1),
            Arm("S2", "A", mean=0.0, sd=math.sqrt(0.02), n=1), Arm("S2", "B", mean=-0.3, sd=math.sqrt(0.02), n=1)]
    by_arms = network_meta_analysis("MD", arms, "A")
    assert result.estimates == pytest.approx(by_arms.estimates)
    assert result.se == pytest.approx(by_arms.se)
    assert result.q_total == pytest.approx(by_arms.q_total)


def test_ratio_contrasts_on_the_natural_scale_and_a_disconnected_network(tmp_path):
    natural = tmp_path / "natural.csv"
    natural.write_text("study,treat1,treat2,estimate,se\nS1,B,A,2.0,0.3\nS2,C,B,0.5,0.4\n")
    result = network_from_contrasts("OR", read_contrasts(natural, "OR"), "A")
    assert result.estimates["B"] == pytest.approx(math.log(2.0))
    assert result.estimates["C"] == pytest.approx(math.log(2.0) + math.log(0.5))
    natural.write_text("study,treat1,treat2,estimate,se\nS1,B,A,-2.0,0.3\n")
    with pytest.raises(ThematicaError, match="row 2: estimate must be greater than 0"):
        read_contrasts(natural, "OR")
    with pytest.raises(ValueError, match="not connected: A, B; C, D"):
        network_from_contrasts("MD", [Contrast("S1", "A", "B", 1, 1), Contrast("S2", "C", "D", 1, 1)], "A")
PAIRS = [("s1", 15, 100, 30, 100), ("s2", 8, 60, 20, 62), ("s3", 30, 150, 41, 148), ("s4", 5, 40, 16, 41)]


def _arms(pairs, first="A", second="B"):
    arms = []
    for study, e1, n1, e2, n2 in pairs:
        arms += [Arm(study, second, events=e2, n=n2), Arm(study, first, events=e1, n=n1)]
    return arms


@pytest.mark.parametrize("measure", ["OR", "RR"])
def test_a_single_comparison_equals_the_pairwise_analysis(measure):
    effects = [binary_effect(measure, s, e2, n2, e1, n1) for s, e1, n1, e2, n2 in PAIRS]
    y, v = [e.estimate for e in effects], [e.variance for e in effects]
    for random, method in ((False, "FE"), (True, "DL")):
        network = network_meta_analysis(measure, _arms(PAIRS), "A", random=random)
        pairwise = pool(y, v, method)
        assert network.estimates["B"] == pytest.approx(pairwise.estimate)
        assert network.se["B"] == pytest.approx(pairwise.se)
        assert network.tau2 == pytest.approx(pairwise.tau2)
        assert network.q_total == pytest.approx(pairwise.q)


def test_two_arm_network_equals_weighted_least_squares():
    """A–B, A–C, B–C studies: the fixed-effect NMA is WLS of the study log ORs on the design matrix."""
    studies = [("ab1", "A", 10, 80, "B", 20, 80), ("ab2", "A", 12, 70, "B", 25, 75), ("ac1", "A", 9, 60, "C", 22, 61),
               ("bc1", "B", 18, 90, "C", 26, 88), ("bc2", "B", 11, 50, "C", 14, 52)]
    arms, y, v, rows = [], [], [], []
    columns = {"B": 0, "C": 1}
    for study, t1, e1, n1, t2, e2, n2 in studies:
        arms += [Arm(study, t1, events=e1, n=n1), Arm(study, t2, events=e2, n=n2)]
        effect = binary_effect("OR", study, e2, n2, e1, n1)
        y.append(effect.estimate)
        v.append(effect.variance)
        row = np.zeros(2)
        row[columns[t2]] += 1
        if t1 in columns:
            row[columns[t1]] -= 1
        rows.append(row)
    wls = sm.WLS(np.array(y), np.array(rows), weights=1 / np.array(v)).fit()
    network = network_meta_analysis("OR", arms, "A")
    assert [network.estimates["B"], network.estimates["C"]] == pytest.approx(list(wls.params))
    assert [network.se["B"], network.se["C"]] == pytest.approx(list(wls.bse / math.sqrt(wls.scale)))
    assert network.q_total == pytest.approx(float(np.sum(wls.resid ** 2 / np.array(v))))


def test_a_lone_three_arm_trial_is_fitted_exactly():
    arms = [Arm("t", "A", events=10, n=50), Arm("t", "B", events=20, n=50), Arm("t", "C", events=30, n=50)]
    network = network_meta_analysis("OR", arms, "A")
    odds = lambda e, n: math.log(e / (n - e))  # noqa: E731
    assert network.estimates["C"] == pytest.approx(odds(30, 50) - odds(10, 50))
    assert network.contrast("C", "B")[0] == pytest.approx(odds(30, 50) - odds(20, 50))
    assert network.q_total == pytest.approx(0.0, abs=1e-9)
    assert network.contrast("C", "B")[1] == pytest.approx(math.sqrt(1 / 30 + 1 / 20 + 1 / 20 + 1 / 30))


def _log_risk_contrasts(arms, others):
    """One study's log risk ratios against its first arm, their covariance and design rows, from
    log(e/n) with variance 1/e − 1/n per arm (arms share the baseline, so Cov = var(baseline))."""
    log_risk = [math.log(e / n) for _, e, n in arms]
    variance = [1 / e - 1 / n for _, e, n in arms]
    y = np.array([value - log_risk[0] for value in log_risk[1:]])
    covariance = np.full((len(y), len(y)), variance[0]) + np.diag(variance[1:])
    design = np.zeros((len(y), len(others)))
    for row, (treatment, _, _) in enumerate(arms[1:]):
        if treatment in others:
            design[row, others.index(treatment)] += 1
        if arms[0][0] in others:
            design[row, others.index(arms[0][0])] -= 1
    return y, covariance, design


def _generalised_least_squares(blocks):
    """β̂ = (XᵀWX)⁻¹XᵀWy, W = blockdiag(Σₛ)⁻¹; returns β̂, Cov(β̂) and Q = rᵀWr with its df."""
    y = np.concatenate([b[0] for b in blocks])
    X = np.vstack([b[2] for b in blocks])
    W = np.linalg.inv(scipy.linalg.block_diag(*[b[1] for b in blocks]))
    covariance = np.linalg.inv(X.T @ W @ X)
    beta = covariance @ X.T @ W @ y
    residual = y - X @ beta
    return beta, covariance, float(residual @ W @ residual), len(y) - X.shape[1]


def test_example_network_q_decomposition_league_and_p_scores_match_an_independent_fit():
    """The example file refitted here with numpy/scipy from its counts, independently of the module.

    Q_within (heterogeneity within designs) is Cochran's Q, Σ wᵢ(yᵢ − ȳ_w)², w = 1/v, of each design
    with more than one study (here IPS vs usual care, studies 1 and 2; df 1). Q_between (inconsistency
    between designs) is, by the design-by-treatment decomposition of Krahn, Binder & König (2013, BMC
    Med Res Methodol 13:35), the Q of the consistency model fitted to the design-level
    inverse-variance summaries (6 design contrasts − 3 parameters: df 3). Q_total = Q_within +
    Q_between holds exactly for the fixed-effect fit. Q_total < df here, so DerSimonian–Laird's τ² is
    truncated at 0 and the random-effects fit equals the fixed one.
    """
    studies: dict[str, list[tuple[str, int, int]]] = {}
    with EXAMPLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            studies.setdefault(row["study"], []).append((row["treatment"], int(row["events"]), int(row["n"])))
    reference = "Gebruikelijke zorg"
    others = sorted({t for arms in studies.values() for t, _, _ in arms} - {reference})
    blocks = {study: _log_risk_contrasts(arms, others) for study, arms in studies.items()}
    beta, covariance, q_total, df_total = _generalised_least_squares(list(blocks.values()))

    # within: the one design with two studies, Cochran's Q on their log RR (IPS vs usual care)
    y = np.array([blocks[s][0][0] for s in ("Studie 1", "Studie 2")])
    w = 1 / np.array([blocks[s][1][0, 0] for s in ("Studie 1", "Studie 2")])
    pooled = float(np.sum(w * y) / np.sum(w))
    q_within = float(np.sum(w * (y - pooled) ** 2))
    # between: the consistency model on the design summaries (the pooled IPS–usual care design + the rest)
    summary = (np.array([pooled]), np.array([[1 / np.sum(w)]]), blocks["Studie 1"][2])
    design_blocks = [summary] + [blocks[s] for s in ("Studie 3", "Studie 4", "Studie 5", "Studie 6")]
    _, _, q_between, df_between = _generalised_least_squares(design_blocks)
    assert q_within + q_between == pytest.approx(q_total, rel=1e-12)

    for random in (False, True):
        result = network_meta_analysis("RR", read_arms(EXAMPLE, "RR"), reference, random=random)
        assert result.tau2 == 0.0
        assert (result.q_total, result.df_total) == (pytest.approx(q_total, rel=1e-10), 4)
        assert (result.q_within, result.df_within) == (pytest.approx(q_within, rel=1e-10), 1)
        assert (result.q_between, result.df_between) == (pytest.approx(q_between, rel=1e-10), df_between)
        assert df_between == 3
        assert [result.estimates[t] for t in others] == pytest.approx(list(beta), rel=1e-10)
        assert [result.se[t] for t in others] == pytest.approx(list(np.sqrt(np.diag(covariance))), rel=1e-10)

    # P-scores (Rücker & Schwarzer 2015): mean over j ≠ i of Φ((θᵢ − θⱼ)/se(θᵢ − θⱼ)), larger better
    theta = dict(zip(others, beta)) | {reference: 0.0}
    full = {t: np.zeros(len(others)) for t in theta}
    for index, treatment in enumerate(others):
        full[treatment][index] = 1.0
    expected_scores = {}
    for first in theta:
        values = []
        for second in theta:
            if first != second:
                vector = full[first] - full[second]
                values.append(scipy.stats.norm.cdf((theta[first] - theta[second]) /
                                                   math.sqrt(vector @ covariance @ vector)))
        expected_scores[first] = float(np.mean(values))
    assert result.p_scores == pytest.approx(expected_scores, rel=1e-10)
    assert max(result.p_scores, key=result.p_scores.get) == "IPS plus cognitieve training"

    # a league cell: IPS plus cognitive training versus usual care, RR with exp(θ̂ ± z·se); numbers, not text
    table = league_table(result, natural=True)
    assert list(table.treatments) == sorted(theta, key=lambda t: -expected_scores[t])
    assert [cell is None for cell in table.cells[2]] == [False, False, True, False]
    best = others.index("IPS plus cognitieve training")
    estimate, se = beta[best], math.sqrt(covariance[best, best])
    z = scipy.stats.norm.ppf(0.975)
    cell = table.cell("IPS plus cognitieve training", reference)
    assert (cell.estimate, cell.ci_low, cell.ci_high) == pytest.approx(
        (math.exp(estimate), math.exp(estimate - z * se), math.exp(estimate + z * se)), rel=1e-10)
    reverse = table.cell(reference, "IPS plus cognitieve training")
    assert (reverse.estimate, reverse.ci_low, reverse.ci_high) == pytest.approx(
        (1 / cell.estimate, 1 / cell.ci_high, 1 / cell.ci_low), rel=1e-10)


def test_malformed_arm_files_and_extraction_comparison(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("study,treatment,events,n\nS1,A,5,10\n")
    with pytest.raises(ThematicaError, match="single arm"):
        read_arms(bad, "OR")
    bad.write_text("study,treatment,events,n\nS1,A,12,10\nS1,B,1,10\n")
    with pytest.raises(ThematicaError, match="row 2: more events"):
        read_arms(bad, "OR")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("study,events_t,n_t\nX,5,50\nY,3,40\n")
    second.write_text("study,events_t,n_t\nX,5,50.0\nY,4,40\nZ,1,9\n")
    assert compare_extractions(first, second) == [("Y", "events_t", "3", "4"), ("Z", "(study)", "missing", "present")]


def test_league_cell_of_a_lone_three_arm_trial_is_statsmodels_woolf_odds_ratio_interval():
    from statsmodels.stats.contingency_tables import Table2x2

    from thematica.quant.meta.network import league_interval, league_order

    arms = [Arm("t", "A", events=10, n=50), Arm("t", "B", events=20, n=50), Arm("t", "C", events=30, n=50)]
    network = network_meta_analysis("OR", arms, "A")
    woolf = Table2x2(np.array([[30, 20], [20, 30]]))
    assert league_interval(network, "C", "B", natural=True) == pytest.approx(
        (woolf.oddsratio, *woolf.oddsratio_confint(alpha=0.05)))
    assert league_order(network)[0] == max(network.p_scores, key=network.p_scores.get)
