"""Forest, funnel and network figures on corpora/meta and the netmeta test networks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from thematica.quant.meta.pooling import pool
from thematica.quant.meta_analysis import analyse, analyse_network
from thematica.quant.meta_figure_data import cumulative, network_graph
from thematica.reports.figures.forest_rows import cumulative_rows, forest_rows, leave_one_out_rows
from thematica.reports.figures.forest import forest, funnel
from thematica.reports.figures.network import network_plot, nma_forest, rankogram

from tests.conftest import run_cli_in_process

ROOT = Path(__file__).resolve().parents[3]
BCG = ROOT / "corpora" / "meta" / "bcg.csv"
WORK = ROOT / "corpora" / "meta" / "work-network.csv"
SMOKING = ROOT / "tests" / "data" / "meta" / "smokingcessation-arms.csv"
SENN = ROOT / "tests" / "data" / "meta" / "senn2013-contrasts.csv"
ARMS = ("BCG vaccine", "Control")


def test_forest_prints_metafor_columns_ticks_favours_diamond_and_pi(check_formats, figs):
    result = analyse(BCG, "RR", "REML")
    svg = check_formats(lambda fmt: forest(forest_rows(result, BCG, ARMS), fmt, ARMS))
    texts = figs.svg_texts(svg)
    for expected in ("Study", "BCG vaccine", "events/total", "Weight", "RR [95% CI]", "4/123", "11/139",
                     "← Favours BCG vaccine", "Favours Control →", "95% prediction interval", "RR (log scale)"):
        assert any(expected in t for t in texts), expected
    ticks = [t for t in texts if t in ("0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10")]
    assert {"0.1", "0.2", "0.5", "1", "2"} <= set(ticks)
    assert not any("10^" in t or "−1" in t for t in texts)  # no 10⁻¹ style labels
    pooled = result.pooled
    overall = f"{math.exp(pooled.estimate):.2f} [{math.exp(pooled.ci_low):.2f}, {math.exp(pooled.ci_high):.2f}]"
    assert overall == "0.49 [0.34, 0.70]" and overall in texts  # Viechtbauer (2010): 0.49 [0.34, 0.70]
    assert f"{math.exp(pooled.pi_low):.2f} [" not in texts
    assert any(t.startswith("Heterogeneity: Q = 152.23, df = 12") for t in texts)
    weights = [t for t in texts if t.endswith("%") and t[:-1].replace(".", "").isdigit()]
    assert len(weights) == 13 and abs(sum(float(w[:-1]) for w in weights) - 100) < 0.2


def test_subgroup_forest_differs_and_has_a_diamond_per_subgroup(figs):
    plain = forest(forest_rows(analyse(BCG, "RR", "REML"), BCG, ARMS), "svg", ARMS)
    result = analyse(BCG, "RR", "REML", "allocation")
    grouped = forest(forest_rows(result, BCG, ARMS, "allocation"), "svg", ARMS)
    assert grouped != plain
    texts = figs.svg_texts(grouped)
    assert {t for t in texts if t.startswith("allocation: ")} == {"allocation: alternate", "allocation: random",
                                                                 "allocation: systematic"}
    for name, sub in result.subgroups.items():
        own = pool([e.estimate for e in result.effects.effects if e.study in _members(name)],
                   [e.variance for e in result.effects.effects if e.study in _members(name)], "REML")
        assert abs(own.estimate - sub.estimate) < 1e-9
        assert f"{math.exp(sub.estimate):.2f} [{math.exp(sub.ci_low):.2f}, {math.exp(sub.ci_high):.2f}]" in texts
    q, df, p = result.subgroup_q
    assert f"Test for subgroup differences: Q = {q:.2f}, df = 2, p = {p:.3f}".replace("0.", ".", 1) in texts
    assert sum(t.startswith("RE model (REML) for") for t in texts) == 3


def _members(group: str) -> set[str]:
    import csv

    with BCG.open(encoding="utf-8") as handle:
        return {row["study"] for row in csv.DictReader(handle) if row["allocation"] == group}


def test_larger_is_better_swaps_the_favours_labels(figs):
    result = analyse(BCG, "RR", "REML")
    texts = figs.svg_texts(forest(forest_rows(result, BCG, ARMS), "svg", ARMS, larger_is_better=True))
    assert "← Favours Control" in texts and "Favours BCG vaccine →" in texts


def test_leave_one_out_and_cumulative_forests(check_formats, figs):
    result = analyse(BCG, "RR", "REML")
    texts = figs.svg_texts(check_formats(lambda fmt: forest(leave_one_out_rows(result), fmt, ARMS)))
    assert sum(t.startswith("omitting ") for t in texts) == 13
    steps = cumulative(result)
    first = result.effects.effects[0]
    assert abs(steps[0][1].estimate - first.estimate) < 1e-12 and steps[0][1].k == 1
    assert abs(steps[-1][1].estimate - result.pooled.estimate) < 1e-9
    assert abs(steps[-1][1].tau2 - result.pooled.tau2) < 1e-9
    texts = figs.svg_texts(forest(cumulative_rows(result), "svg", ARMS))
    assert sum(t.startswith("+ ") for t in texts) == 13


def test_continuous_forest_shows_mean_sd_n(tmp_path, figs):
    path = tmp_path / "smd.csv"
    path.write_text("study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,10,2,20,12,2.5,22\nB,9.5,3,30,11,3,28\n"
                    "C,11,2,15,11.5,2,16\n", encoding="utf-8")
    result = analyse(path, "SMD", "REML")
    texts = figs.svg_texts(forest(forest_rows(result, path, ("Therapie", "Wachtlijst")), "svg",
                                  ("Therapie", "Wachtlijst")))
    assert "10 (2) 20" in texts and "M (SD) n" in " ".join(texts) and "0" in texts  # null at 0, linear axis


def test_funnel_has_significance_contours(check_formats, figs):
    result = analyse(BCG, "RR", "REML")
    texts = figs.svg_texts(check_formats(lambda fmt: funnel(result, fmt)))
    assert {"p < .01", ".01 ≤ p < .05", ".05 ≤ p < .10", "Standard error", "RR (log scale)"} <= set(texts)


@pytest.mark.parametrize("path, measure", [(WORK, "RR"), (SMOKING, "OR"), (SENN, "MD")])
def test_network_plot_labels_never_collide(path, measure, check_formats, figs):
    graph = network_graph(path, measure)
    svg = check_formats(lambda fmt: network_plot(graph, fmt))
    boxes = [b for b in figs.matplotlib_text_boxes(svg) if not b.name.startswith(("Network of", "edge width"))
             and "studies" not in b.name]
    assert figs.collisions(boxes) == []
    discs = figs.matplotlib_markers(svg)
    assert len(discs) == len(graph.treatments)
    assert [(b.name, d.name) for b in boxes for d in discs if b.overlaps(d)] == []  # no label on a disc
    counts = [b.name for b in boxes if b.name.isdigit()]
    assert sorted(counts) == sorted(str(n) for n in graph.studies.values())  # every count drawn, the largest too
    if path == SMOKING:
        assert graph.studies[("A", "C")] == 15 and graph.participants and graph.multi_arm


def test_network_graph_reads_participants_and_multi_arm_studies():
    graph = network_graph(WORK, "RR")
    assert graph.participants == {"Gebruikelijke zorg": 403.0, "IPS": 326.0, "IPS plus cognitieve training": 115.0,
                                  "Training vooraf": 158.0}
    assert graph.multi_arm == (("Gebruikelijke zorg", "IPS", "Training vooraf"),)
    assert graph.studies[("Gebruikelijke zorg", "IPS")] == 3
    assert network_graph(SENN, "MD").participants is None


def test_nma_forest_and_rankogram_from_numbers_computed_here(check_formats, figs):
    result = analyse_network(WORK, "RR", "Gebruikelijke zorg", random=True)
    treatments = result.treatments
    estimates = np.array([result.contrast(t, result.reference)[0] for t in treatments])
    se = np.array([result.contrast(t, result.reference)[1] for t in treatments])
    half = 1.959963984540054 * se
    prediction = 2.5 * np.sqrt(se ** 2 + result.tau2)
    scores = [result.p_scores[t] for t in treatments]
    texts = figs.svg_texts(check_formats(lambda fmt: nma_forest(
        treatments, estimates, estimates - half, estimates + half, result.reference, "RR", True, fmt,
        list(estimates - prediction), list(estimates + prediction), scores)))
    ips = treatments.index("IPS")
    cell = (f"{math.exp(estimates[ips]):.2f} [{math.exp(estimates[ips] - half[ips]):.2f}, "
            f"{math.exp(estimates[ips] + half[ips]):.2f}]  [{math.exp(estimates[ips] - prediction[ips]):.2f}, "
            f"{math.exp(estimates[ips] + prediction[ips]):.2f}]")
    assert cell in texts and "reference" in texts and "95% prediction interval" in texts
    draws = np.random.default_rng(7).multivariate_normal(result.full_estimates, result.full_covariance, 2000)
    ranks = np.argsort(np.argsort(-draws, axis=1), axis=1)
    probabilities = np.array([[np.mean(ranks[:, i] == r) for r in range(len(treatments))]
                              for i in range(len(treatments))])
    assert np.allclose(probabilities.sum(axis=1), 1)
    texts = figs.svg_texts(check_formats(lambda fmt: rankogram(treatments, probabilities, fmt, scores)))
    assert any("P-score 0.99" in t for t in texts) and "rank (1 = best)" in texts
    with pytest.raises(ValueError):
        rankogram(treatments, probabilities[:, :2], "svg")


def test_meta_and_nma_commands_write_the_figures(tmp_path):
    run = run_cli_in_process
    done = run("meta", str(BCG), "--measure", "RR", "--subgroup", "allocation", "--arms", "BCG vaccine,Control",
               "--forest", str(tmp_path / "f.svg"), "--funnel", str(tmp_path / "funnel.pdf"),
               "--leave-one-out-forest", str(tmp_path / "l.png"), "--cumulative-forest", str(tmp_path / "c.svg"))
    assert done.returncode == 0, done.stderr
    plain = run("meta", str(BCG), "--measure", "RR", "--forest", str(tmp_path / "plain.svg"))
    assert plain.returncode == 0 and (tmp_path / "plain.svg").read_bytes() != (tmp_path / "f.svg").read_bytes()
    done = run("nma", str(WORK), "--measure", "RR", "--reference", "Gebruikelijke zorg", "--random",
               "--larger-is-better", "--network", str(tmp_path / "n.svg"), "--forest", str(tmp_path / "nf.pdf"),
               "--rankogram", str(tmp_path / "rank.svg"))
    assert done.returncode == 0, done.stderr
    assert "<text" in (tmp_path / "rank.svg").read_text(encoding="utf-8")
    for name in ("f.svg", "funnel.pdf", "l.png", "c.svg", "n.svg", "nf.pdf", "rank.svg"):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0
    bad = run("meta", str(BCG), "--measure", "RR", "--forest", str(tmp_path / "f.gif"))
    assert bad.returncode == 2 and "f.gif" in bad.stderr and not (tmp_path / "f.gif").exists()


def test_figure_numbers_print_as_reports_numbers_do(tmp_path, figs):
    """Negative estimates (SMD) with the true minus the axis ticks use, in the figure and the terminal forest;
    heterogeneity through ``reports.numbers`` too (identical for the non-negative Q, I², τ²)."""
    import re

    from thematica.reports.figures.forest_rows import forest_text, heterogeneity
    from thematica.reports.numbers import number

    path = tmp_path / "smd.csv"
    path.write_text("study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,10,2,20,12,2.5,22\nB,9.5,3,30,11,3,28\n"
                    "C,11,2,15,11.5,2,16\n", encoding="utf-8")
    result = analyse(path, "SMD", "REML")
    first = result.effects.effects[0]
    assert first.estimate < 0
    expected = f"{number(first.estimate)} [{number(first.estimate - 1.959963984540054 * first.se)}, "
    texts = figs.svg_texts(forest(forest_rows(result, path, ("Therapie", "Wachtlijst")), "svg",
                                  ("Therapie", "Wachtlijst")))
    assert any(t.startswith(expected) for t in texts), expected
    assert not [t for t in texts if re.search(r"-\d", t)]  # the axis ticks too
    assert "\u22121" in texts or "\u22120.5" in texts
    terminal = forest_text(result)
    assert "\u2212" in terminal and not re.search(r"-\d", terminal)
    pooled = result.pooled
    assert heterogeneity(pooled).startswith(f"Q = {pooled.q:.2f}, df = {pooled.q_df}, ")
    assert f"I² = {pooled.i2:.1f}%, τ² = {pooled.tau2:.3f}" in heterogeneity(pooled)


def test_shortest_numbers_for_ticks_and_file_values():
    from thematica.reports.numbers import DASH, shortest

    assert [shortest(v) for v in (0.5, 10.0, 12.25, -2.0, -0.0, None, float("nan"))] == [
        "0.5", "10", "12.25", "\u22122", "0", DASH, DASH]
