"""Network meta-analysis: reduces to the pairwise analysis, equals weighted least squares computed with
statsmodels on two-arm networks, fits a lone multi-arm trial exactly, and ranks coherently."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

from thematica.errors import ThematicaError
from thematica.quant.meta.effects import binary_effect
from thematica.quant.meta.network import Arm, league_table, network_meta_analysis
from thematica.quant.meta.pooling import pool
from thematica.quant.meta_files import compare_extractions, read_arms

EXAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "meta" / "work-network.csv"
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


def test_p_scores_league_table_and_example_file():
    arms = read_arms(EXAMPLE, "RR")
    result = network_meta_analysis("RR", arms, "Gebruikelijke zorg", random=True)
    assert np.mean(list(result.p_scores.values())) == pytest.approx(0.5)
    assert max(result.p_scores, key=result.p_scores.get) == "IPS plus cognitieve training"
    table = league_table(result, natural=True)
    assert table[1][1] == "IPS plus cognitieve training" and len(table) == 5
    assert result.df_between >= 0 and result.q_within >= 0


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
