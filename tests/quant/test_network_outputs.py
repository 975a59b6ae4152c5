"""The outputs a knowledge synthesis reports from a network meta-analysis: prediction intervals,
rank probabilities (SUCRA, P(best), mean rank) and node-splitting, each checked independently:
SUCRA against netmeta's published P-scores (equal in expectation, Rücker & Schwarzer 2015), the
prediction interval against the pairwise HTS formula, node-splitting against refitting the
network without the direct studies."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from thematica.quant.meta.network import (Arm, network_meta_analysis, network_from_contrasts, node_split,
                                          prediction_intervals, rank_probabilities)
from thematica.quant.meta_files import read_contrasts

# netmeta P-scores (see tests/quant/test_network.py for their source)
SENN_P_RANDOM = {"acar": 0.520264415346934, "benf": 0.435817023500372, "metf": 0.781776531582271,
                 "migl": 0.613655528194324, "piog": 0.774569730700626, "plac": 0.0138950538084336,
                 "rosi": 0.89336818125521, "sita": 0.333099206416942, "sulf": 0.210307659651169,
                 "vild": 0.423246669543718}
SMOKING_P_FIXED = {"A": 0.0188255170973268, "B": 0.316262623703612, "C": 0.787825295028737, "D": 0.877086564170324}
DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "meta"


def _senn(random=True):
    return network_from_contrasts("MD", read_contrasts(DATA / "senn2013-contrasts.csv", "MD"), "plac", random=random,
                                  larger_is_better=False)


def test_sucra_from_the_multivariate_normal_equals_netmeta_p_scores():
    ranking = rank_probabilities(_senn(), smaller_is_better=True, draws=200000, seed=7)
    sucra = dict(zip(ranking.treatments, ranking.sucra))
    assert sucra == pytest.approx(SENN_P_RANDOM, abs=0.005)
    size = len(ranking.treatments)
    for row, s, mean, best in zip(ranking.probabilities, ranking.sucra, ranking.mean_rank, ranking.p_best):
        assert sum(row) == pytest.approx(1.0) and best == row[0]
        assert mean == pytest.approx(1 + (size - 1) * (1 - s))
    assert np.sum(ranking.probabilities, axis=0) == pytest.approx(np.ones(size))  # each rank taken once per draw
    again = rank_probabilities(_senn(), smaller_is_better=True, draws=200000, seed=7)
    assert again == ranking  # seeded


def test_ranking_direction_flips_the_ranks():
    rows = read_contrasts(DATA / "smokingcessation-contrasts.csv", "OR")
    fit = network_from_contrasts("OR", rows, "A")
    larger = rank_probabilities(fit, smaller_is_better=False, draws=100000)
    smaller = rank_probabilities(fit, smaller_is_better=True, draws=100000)
    assert dict(zip(larger.treatments, larger.sucra)) == pytest.approx(SMOKING_P_FIXED, abs=0.005)
    assert np.array(smaller.sucra) == pytest.approx(1 - np.array(larger.sucra), abs=1e-9)


def test_prediction_interval_of_a_single_comparison_is_the_hts_formula():
    pairs = [("s1", 15, 100, 30, 100), ("s2", 8, 60, 20, 62), ("s3", 30, 150, 41, 148), ("s4", 5, 40, 16, 41)]
    arms = [a for s, e1, n1, e2, n2 in pairs for a in (Arm(s, "A", events=e1, n=n1), Arm(s, "B", events=e2, n=n2))]
    fit = network_meta_analysis("OR", arms, "A", random=True)
    (interval,) = prediction_intervals(fit)
    estimate, se = fit.contrast("A", "B")
    half = stats.t.ppf(0.975, len(pairs) - 1) * math.sqrt(se ** 2 + fit.tau2)
    assert (interval.first, interval.second, interval.pi_df) == ("A", "B", 3)
    assert (interval.pi_low, interval.pi_high) == pytest.approx((estimate - half, estimate + half))
    assert interval.ci_low == pytest.approx(estimate - 1.959963984540054 * se)
    fixed = prediction_intervals(network_meta_analysis("OR", arms, "A"))
    assert fixed[0].pi_low is None  # no prediction interval for the common-effect model
    senn = prediction_intervals(_senn())
    assert len(senn) == 45 and all(r.pi_low < r.ci_low < r.estimate < r.ci_high < r.pi_high for r in senn)


def test_node_splitting_indirect_equals_the_network_without_the_direct_studies():
    studies = [("ab1", "A", 10, 80, "B", 20, 80), ("ab2", "A", 12, 70, "B", 25, 75), ("ac1", "A", 9, 60, "C", 22, 61),
               ("ac2", "A", 14, 66, "C", 20, 64), ("bc1", "B", 18, 90, "C", 26, 88), ("bc2", "B", 11, 50, "C", 14, 52)]
    arms = [Arm(s, t1, events=e1, n=n1) for s, t1, e1, n1, *_ in studies]
    arms += [Arm(s, t2, events=e2, n=n2) for s, _, _, _, t2, e2, n2 in studies]
    arms.sort(key=lambda a: (a.study, a.treatment))
    fit = network_meta_analysis("OR", arms, "A")
    splits = {(s.first, s.second): s for s in node_split(fit)}
    assert set(splits) == {("A", "B"), ("A", "C"), ("B", "C")}
    for first, second, prefix in (("A", "B", "ab"), ("A", "C", "ac"), ("B", "C", "bc")):
        rest = network_meta_analysis("OR", [a for a in arms if not a.study.startswith(prefix)], "A")
        direct = network_meta_analysis("OR", [a for a in arms if a.study.startswith(prefix)], first)
        split = splits[(first, second)]
        assert split.indirect == pytest.approx(rest.contrast(first, second)[0])
        assert split.indirect_se == pytest.approx(rest.contrast(first, second)[1])
        assert split.direct == pytest.approx(direct.contrast(first, second)[0])
        assert split.p == pytest.approx(2 * stats.norm.sf(abs(split.difference / split.difference_se)))


def test_node_splitting_skips_comparisons_without_indirect_evidence():
    fit = _senn(random=False)
    splits = node_split(fit)
    assert splits and all(s.studies >= 1 and 0 <= s.p <= 1 for s in splits)
    # metf–plac is informed directly and through the rest of the network; sita–plac only directly
    pairs = {(s.first, s.second) for s in splits}
    assert ("metf", "plac") in pairs and ("plac", "sita") not in pairs


def _cli(*arguments):
    """``thematica ARGUMENTS`` through ``main`` in this process (exit code, stdout and stderr as a
    child process gives them; nothing here needs a process of its own)."""
    from tests.conftest import run_cli_in_process

    return run_cli_in_process(*arguments)


def test_nma_command_requires_a_ranking_direction_and_reports_every_output(tmp_path):
    import json

    senn = str(DATA / "senn2013-contrasts.csv")
    refused = _cli("nma", senn, "--measure", "MD", "--reference", "plac", "--random")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "--smaller-is-better or --larger-is-better" in refused.stderr
    league = tmp_path / "league.md"
    result = _cli("nma", senn, "--measure", "MD", "--reference", "plac", "--random", "--smaller-is-better",
                  "--format", "json", "--seed", "3", "--league", str(league))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    fit = _senn()
    expected = rank_probabilities(fit, smaller_is_better=True, draws=10000, seed=3)
    assert data["ranking"] == json.loads(json.dumps(expected.to_dict()))
    assert data["ranking_direction"] == "smaller is better"
    rosi = next(r for r in data["treatments"] if r["treatment"] == "rosi")
    interval = next(r for r in prediction_intervals(fit) if {r.first, r.second} == {"rosi", "plac"})
    assert sorted([rosi["pi_low"], rosi["pi_high"]]) == pytest.approx(
        sorted([-interval.pi_high, -interval.pi_low]) if interval.first == "plac" else [interval.pi_low, interval.pi_high])
    assert len(data["node_split"]) == len(node_split(fit)) and len(data["comparisons"]) == 45
    # --league .md writes the whole NMA document; the league table is in it, with its CIs on one line
    text = league.read_text()
    block = text.split("*League table (MD \\[95% CI\\], row versus column)*", 1)[1].split("\n\n", 2)[1]
    lines = block.splitlines()
    assert lines[0].startswith("| rosi |") and len(lines) == 2 + 10
    assert lines[2].startswith("| rosi | ") and "\u00a0\\[" in lines[2] and ",\u00a0" in lines[2]
    rows = {line.split(" | ")[0][2:]: line.rstrip(" |").split(" | ") for line in text.split("ranked: smaller is better)*", 1)[1]
            .split("\n\n", 2)[1].splitlines()[2:]}
    for treatment, sucra, best, mean in zip(expected.treatments, expected.sucra, expected.p_best, expected.mean_rank):
        assert rows[treatment][4:7] == [f"{sucra:.2f}", f"{best:.2f}", f"{mean:.2f}"]
    assert rows["rosi"][2].replace("\\", "") == f"[{rosi['pi_low']:.2f},\u00a0{rosi['pi_high']:.2f}]".replace("-", "\u2212")
    splits = text.split("*Node-splitting: direct versus indirect evidence", 1)[1].split("\n\n", 2)[1].splitlines()
    assert len(splits) == 2 + len(node_split(fit))
    import docx

    word = tmp_path / "league.docx"
    assert _cli("nma", senn, "--measure", "MD", "--reference", "plac", "--larger-is-better", "--league",
                str(word)).returncode == 0
    main, table = docx.Document(str(word)).tables[:2]
    assert [c.text for c in main.rows[0].cells][-3:] == ["SUCRA", "P(best)", "Mean rank"]
    assert table.rows[1].cells[0].text == table.rows[0].cells[0].text and "\u00a0[" in table.rows[1].cells[1].text
