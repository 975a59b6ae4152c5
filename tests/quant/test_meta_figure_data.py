"""The numbers the meta-analysis figures draw, against independent computations: each step of the
cumulative meta-analysis against statsmodels' ``combine_effects`` on the first k studies, and the
network's shape against counts made with pandas straight from the files."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from thematica.quant.meta_analysis import analyse
from thematica.quant.meta_figure_data import cumulative, network_graph

ROOT = Path(__file__).resolve().parents[2]
BCG = ROOT / "corpora" / "meta" / "bcg.csv"
SMOKING = ROOT / "tests" / "data" / "meta" / "smokingcessation-arms.csv"
SENN = ROOT / "tests" / "data" / "meta" / "senn2013-contrasts.csv"


@pytest.mark.parametrize("hartung_knapp", [False, True])
def test_every_cumulative_step_equals_statsmodels_on_the_first_k_studies(hartung_knapp):
    """BCG trials in file order, DerSimonian–Laird (statsmodels' ``chi2``), with and without Hartung–Knapp."""
    result = analyse(BCG, "RR", "DL", hartung_knapp=hartung_knapp)
    y = np.array([e.estimate for e in result.effects.effects])
    v = np.array([e.variance for e in result.effects.effects])
    steps = cumulative(result)
    assert [study for study, _ in steps] == [e.study for e in result.effects.effects]
    for k, (_, pooled) in enumerate(steps, start=1):
        assert pooled.k == k
        if k == 1:
            assert pooled.estimate == pytest.approx(y[0]) and pooled.tau2 == 0
            continue
        reference = combine_effects(y[:k], v[:k], method_re="chi2", use_t=hartung_knapp)
        # statsmodels leaves a negative DL τ² as it is; DerSimonian–Laird truncate it at 0, where the
        # random-effects model is the common-effect one (statsmodels' FE rows)
        random = reference.tau2 > 0
        expected = (reference.mean_effect_re if random else reference.mean_effect_fe, max(reference.tau2, 0.0))
        assert (pooled.estimate, pooled.tau2) == pytest.approx(expected, abs=1e-12)
        interval = reference.conf_int(use_t=hartung_knapp)[(3 if random else 2) if hartung_knapp else (1 if random else 0)]
        assert (pooled.ci_low, pooled.ci_high) == pytest.approx(tuple(interval), rel=1e-10)


def _expected_shape(frame: pd.DataFrame, first: str, second: str | None) -> tuple[dict, tuple]:
    """Studies per pair of treatments and the multi-arm studies, counted from the file itself."""
    arms = (frame.groupby("study", sort=False)["treatment"].apply(lambda s: sorted(set(s))) if second is None else
            frame.groupby("study", sort=False).apply(lambda g: sorted(set(g[first]) | set(g[second]))))
    studies: dict[tuple[str, str], int] = {}
    for treatments in arms:
        for pair in combinations(treatments, 2):
            studies[pair] = studies.get(pair, 0) + 1
    return studies, tuple(tuple(t) for t in arms if len(t) > 2)


def test_network_shape_equals_counts_from_the_files():
    smoking = pd.read_csv(SMOKING)
    graph = network_graph(SMOKING, "OR")
    studies, multi = _expected_shape(smoking, "treatment", None)
    assert graph.studies == studies and graph.multi_arm == multi and len(multi) == 2
    assert graph.participants == {t: float(n) for t, n in smoking.groupby("treatment")["n"].sum().items()}
    assert graph.treatments == tuple(sorted(smoking["treatment"].unique()))
    senn = pd.read_csv(SENN)
    graph = network_graph(SENN, "MD")
    studies, multi = _expected_shape(senn, "treat1", "treat2")
    assert graph.studies == studies and graph.multi_arm == multi and graph.participants is None
    assert sum(studies.values()) > len(senn.study.unique())  # a three-arm trial counts in three comparisons
