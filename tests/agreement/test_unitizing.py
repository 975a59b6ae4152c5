"""Unitizing alpha (|uα per category) against Krippendorff's (2004, p. 254) worked example and a
brute-force computation of the observed disagreement over all section pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from thematica.agreement.stats.unitizing import (_delta, pair_disagreement, pooled_alpha, sections,
                                                 unitizing_alpha)

# Krippendorff (2004: 254): a continuum from 150 to 450, two observers, categories c and k
# (units as offset, length); the per-category values as reproduced by DKPro Statistics' tests.
BEGIN, LENGTH = 150, 300
EXAMPLE = {"c": [[(225, 70), (370, 30)], [(220, 80), (355, 20), (400, 20)]],
           "k": [[(180, 60), (300, 50)], [(180, 60), (300, 50)]]}


def _units(pairs):
    return [(offset - BEGIN, offset - BEGIN + length) for offset, length in pairs]


def test_distances_of_the_worked_example():
    assert _delta((225, 295, True), (220, 300, True)) == 50
    assert _delta((370, 400, True), (355, 375, True)) == 850
    assert _delta((400, 450, False), (400, 420, True)) == 400
    assert _delta((5, 11, True), (4, 6, True)) == 26 and _delta((5, 11, True), (6, 10, True)) == 2


def test_krippendorff_2004_example():
    c = unitizing_alpha([_units(u) for u in EXAMPLE["c"]], LENGTH)
    k = unitizing_alpha([_units(u) for u in EXAMPLE["k"]], LENGTH)
    assert (round(c.observed, 4), round(c.expected, 4), round(c.alpha, 4)) == (0.0144, 0.0532, 0.7286)
    assert (round(k.observed, 4), round(k.expected, 4), k.alpha) == (0.0, 0.0490, 1.0)
    assert pooled_alpha([c, k]) == pytest.approx(0.8591, abs=5e-4)


def test_undefined_cases_say_why():
    assert unitizing_alpha([[], []], 100).reason == "no coder used this code"
    assert unitizing_alpha([[(0, 100)], [(0, 100)]], 100).alpha == 1.0  # identical units agree perfectly
    assert unitizing_alpha([[(0, 10)]], 100).reason == "needs two coders and a non-empty continuum"


spans = st.lists(st.tuples(st.integers(0, 59), st.integers(1, 20)).map(lambda t: (t[0], min(60, t[0] + t[1]))),
                 max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, min_size=2, max_size=4))
def test_observed_disagreement_equals_all_pairs_brute_force(coders):
    tilings = [sections(units, 60) for units in coders]
    for first in tilings:
        for second in tilings:
            brute = sum(_delta(g, h) for g in first for h in second if min(g[1], h[1]) > max(g[0], h[0]))
            assert pair_disagreement(first, second) == brute
    if any(coders):
        same = unitizing_alpha([coders[0], coders[0]], 60)
        assert same.alpha is None or same.alpha == pytest.approx(1.0)
