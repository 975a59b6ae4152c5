"""Every statistic against a published worked example or an independent computation."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from thematica.agreement.stats.alpha import alpha, bootstrap_alpha, units_for_width
from thematica.maths.two_by_two import TwoByTwo
from thematica.agreement.stats.multi import fleiss_kappa

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 observers × 12 units example.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                                  ("ratio", 0.797)])
def test_krippendorffs_own_example(level, published):
    value, reason = alpha(KRIPPENDORFF_2011, level)
    assert reason is None and round(value, 3) == published


def test_textbook_cohen_kappa():
    """50 units: 20 both, 5 A only, 10 B only, 15 neither -> p_o 0.70, p_e 0.50, kappa 0.40."""
    table = TwoByTwo(20, 5, 10, 15)
    assert table.percent_agreement == pytest.approx(0.70)
    assert table.kappa()[0] == pytest.approx(0.40)
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert table.kappa()[0] == pytest.approx(cohen_kappa_score(a, b))


def test_fleiss_1971_example():
    """Fleiss (1971) as reproduced widely: 10 subjects, 14 raters, 5 categories -> kappa 0.210."""
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    assert round(fleiss_kappa(counts)[0], 3) == 0.210


def test_gwet_ac1_paradox_example():
    """High agreement, skewed prevalence (118 both, 5 A only, 2 B only, 0 neither; Gwet 2008 style):
    kappa collapses to about -0.023 while AC1 stays about 0.941; PABAK = 2·0.944 − 1."""
    table = TwoByTwo(118, 5, 2, 0)
    p_o = 118 / 125
    p_a, p_b = 123 / 125, 120 / 125
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    assert table.kappa()[0] == pytest.approx((p_o - p_e) / (1 - p_e))
    assert round(table.kappa()[0], 3) == -0.023
    pi = (p_a + p_b) / 2
    assert table.ac1()[0] == pytest.approx((p_o - 2 * pi * (1 - pi)) / (1 - 2 * pi * (1 - pi)))
    assert round(table.ac1()[0], 3) == 0.941
    diagnostics = table.diagnostics()
    assert diagnostics["pabak"] == pytest.approx(2 * p_o - 1)
    assert diagnostics["prevalence_index"] == pytest.approx(118 / 125)
    assert diagnostics["bias_index"] == pytest.approx(3 / 125)
    assert diagnostics["brennan_prediger"] == pytest.approx(diagnostics["pabak"])


def test_undefined_values_say_why():
    assert TwoByTwo(0, 0, 0, 10).kappa() == (None, "no variation: both coders gave every unit the same value")
    assert TwoByTwo(0, 0, 0, 10).binary_alpha()[0] is None
    assert alpha([[1, 1, 1], [1, 1, 1]])[0] is None
    assert alpha([[1, NAN], [NAN, 2]])[1] == "no unit was coded by two or more coders"


def test_bootstrap_interval_contains_the_estimate_and_is_reproducible():
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 3, 200)
    noisy = np.where(rng.random(200) < 0.8, truth, rng.integers(0, 3, 200))
    data = np.vstack([truth, noisy]).astype(float)
    first = bootstrap_alpha(data, samples=300, seed=7)
    again = bootstrap_alpha(data, samples=300, seed=7)
    assert first == again
    assert first.ci_low < first.alpha < first.ci_high
    assert set(first.p_below) == {"0.667", "0.800"}
    assert 0.0 <= first.p_below["0.667"] <= first.p_below["0.800"] <= 1.0


def test_sample_size_scales_with_the_square_of_the_width_ratio():
    assert units_for_width(100, 0.20, 0.10) == 400
    assert units_for_width(250, 0.15, 0.15) == 250
    assert math.isclose(units_for_width(80, 0.3, 0.2), math.ceil(80 * 2.25))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), st.integers(0, 10_000))
def test_coincidence_alpha_equals_the_krippendorff_package(level, seed):
    import krippendorff

    from thematica.agreement.stats.alpha import coincidence_alpha

    rng = np.random.default_rng(seed)
    data = rng.integers(1, 6, size=(rng.integers(2, 6), 30)).astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    if np.unique(data[~np.isnan(data)]).size < 2 or (np.sum(~np.isnan(data), axis=0) >= 2).sum() == 0:
        return
    assert coincidence_alpha(data, level)[0] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement=level), abs=1e-9)


def test_coincidence_bootstrap_is_centred_on_alpha_with_the_analytic_spread():
    """D_o* is a weighted sum of independent draws: E[α*] = α and Var(D_o*) = Σ_u T_u (2/(m_u−1))² Var(δ²) / n²."""
    from thematica.agreement.stats.alpha import _value_counts, coincidence_alpha

    data = np.array(KRIPPENDORFF_2011, dtype=float)
    estimate, o, delta, d_e = coincidence_alpha(data, "nominal")
    result = bootstrap_alpha(data, "nominal", samples=20_000, seed=3)
    _, counts = _value_counts(data)
    m = counts.sum(axis=1)
    p = (o / o.sum()).ravel()
    variance_delta = (p * delta.ravel() ** 2).sum() - (p * delta.ravel()).sum() ** 2
    sd = np.sqrt(((m * (m - 1) / 2) * (2 / (m - 1)) ** 2).sum() * variance_delta) / m.sum() / d_e
    low, high = estimate - 1.96 * sd, estimate + 1.96 * sd
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), abs=0.03)
    assert bootstrap_alpha(np.array([[1, 2, 3, 1], [1, 2, 3, 1]], float), samples=200) == pytest.approx(
        bootstrap_alpha(np.array([[1, 2, 3, 1], [1, 2, 3, 1]], float), samples=200))
    perfect = bootstrap_alpha(np.array([[1, 2, 3, 1], [1, 2, 3, 1]], float), samples=200)
    assert (perfect.alpha, perfect.ci_low, perfect.ci_high) == (1.0, 1.0, 1.0)
