"""The coincidence-form unitizing alphas (uα, |uα, |cuα, cuα): a worked example by hand, the limit
of unit-length units (where they must equal nominal alpha from the krippendorff package), and a
per-character brute force on random codings."""

from __future__ import annotations

from collections import defaultdict

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from thematica.agreement.stats.unitizing_coincidence import (GAP, OverlappingCategories, tiling,
                                                              unitizing_family)


def test_worked_example_by_hand():
    """L = 10. Coder A: x on [0,4), y on [6,8); coder B: x on [0,4) and on [6,8).

    Observed (both directions, m − 1 = 1): ℓ_xx = 8, ℓ_φφ = 8, ℓ_xy = ℓ_yx = 2; ℓ.. = 20 = mL.
    Corrections: s_x = 4² + 4² + 2² = 36, s_y = 2² = 4, s_φ = 2 + 2 + 2 + 2 = 8; ℓ..² − Σs = 352.
    ε_xy = 20·10·2/352, ε_xφ = 20·10·8/352, ε_yφ = 20·2·8/352: Σ_{c≠k} ε = 4640/352.
    uα = 1 − 4·352/4640. |uα = 1 (both coded exactly the same stretches).
    |cuα(x) = 1 − 4/(2·(400 + 1600)/352); |cuα(y) = 1 − 4/(2·(400 + 320)/352).
    cuα: ℓ* = {xx 8, xy 2, yx 2}, ℓ*.. = 12; pairable lengths 4, 2 (A) and 4, 2 (B): s*_x = 36,
    s*_y = 4; ε*_xy = 12·10·2/(144 − 40); cuα = 1 − 4/(2·240/104).
    """
    family = unitizing_family([[(0, 4, "x"), (6, 8, "y")], [(0, 4, "x"), (6, 8, "x")]], 10)
    assert family.observed[("x", "x")] == 8 and family.observed[(GAP, GAP)] == 8
    assert family.observed[("x", "y")] == family.observed[("y", "x")] == 2
    assert sum(family.expected.values()) == pytest.approx(20)
    assert family.u_alpha == pytest.approx(1 - 4 * 352 / 4640)
    assert family.binary_alpha == pytest.approx(1.0)
    assert family.category_alpha["x"] == pytest.approx(1 - 4 * 352 / 4000)
    assert family.category_alpha["y"] == pytest.approx(1 - 4 * 352 / 1440)
    assert family.cu_alpha == pytest.approx(1 - 4 * 104 / 480)
    assert family.coverage == {"x": pytest.approx(1.0), "y": pytest.approx(1.0)}


def _unit_length_codings(rng, m, length, categories="abc"):
    values = rng.choice([GAP, *categories], size=(m, length), p=[0.4] + [0.6 / len(categories)] * len(categories))
    coders = [[(x, x + 1, v) for x, v in enumerate(row) if v != GAP] for row in values]
    return values, coders


def _nominal(values, mapping) -> float:
    codes = {v: i for i, v in enumerate(sorted({mapping(v) for v in values.ravel()} - {None}))}
    data = np.array([[np.nan if mapping(v) is None else codes[mapping(v)] for v in row] for row in values], float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


@pytest.mark.parametrize("m", [2, 3, 4])
def test_units_of_length_one_give_nominal_alpha(m):
    """Every unit one character long: uα is nominal alpha with φ as a value, |uα its binary form,
    |cuα(c) c against the rest; with two coders cuα is nominal alpha with gaps as missing values."""
    rng = np.random.default_rng(m)
    values, coders = _unit_length_codings(rng, m, 400)
    family = unitizing_family(coders, 400)
    assert family.u_alpha == pytest.approx(_nominal(values, lambda v: v))
    assert family.binary_alpha == pytest.approx(_nominal(values, lambda v: v == GAP))
    for category in "abc":
        assert family.category_alpha[category] == pytest.approx(_nominal(values, lambda v, c=category: v == c))
    if m == 2:
        assert family.cu_alpha == pytest.approx(_nominal(values, lambda v: None if v == GAP else v))


def _brute(coders, length):
    """Per character: each coder's value at each character, every ordered pair of coders."""
    m = len(coders)
    tilings = [tiling(units, length) for units in coders]
    value_at = [[GAP] * length for _ in range(m)]
    for i, t in enumerate(tilings):
        for begin, end, value in t:
            for x in range(begin, end):
                value_at[i][x] = value
    observed = defaultdict(float)
    for i in range(m):
        for j in range(m):
            if i != j:
                for x in range(length):
                    observed[(value_at[i][x], value_at[j][x])] += 1 / (m - 1)
    correction = defaultdict(float)
    pairable = defaultdict(float)
    for i, t in enumerate(tilings):
        for begin, end, value in t:
            correction[value] += (end - begin) if value == GAP else (end - begin) ** 2
            if value != GAP:
                under = sum(1 for x in range(begin, end) if any(value_at[j][x] != GAP for j in range(m) if j != i))
                pairable[value] += under ** 2

    def alpha(matrix, corr):
        margin = defaultdict(float)
        for (c, _), v in matrix.items():
            margin[c] += v
        total = sum(margin.values())
        denominator = total ** 2 - sum(corr.values())
        if total <= 0 or denominator <= 0:
            return None
        d_o = sum(v for (c, k), v in matrix.items() if c != k)
        d_e = sum(total * margin[c] * margin[k] for c in margin for k in margin if c != k) / denominator
        return 1 - d_o / d_e if d_e > 0 else None

    sub = {key: v for key, v in observed.items() if GAP not in key}
    return alpha(observed, correction), alpha(sub, pairable)


units = st.lists(st.tuples(st.integers(0, 59), st.integers(1, 15), st.sampled_from("ab")), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(units, min_size=2, max_size=4))
def test_sweep_equals_per_character_brute_force(raw):
    coders = []
    for spans in raw:
        taken, kept = set(), []
        for start, size, value in spans:  # keep each coder's units non-overlapping, as a domain requires
            cells = set(range(start, min(60, start + size)))
            if cells and not cells & taken:
                taken |= cells
                kept.append((start, max(cells) + 1, value))
        coders.append(kept)
    family = unitizing_family(coders, 60)
    valued = {v for c in coders for _, _, v in c}
    if not valued:
        assert family.u_alpha is None
        return
    u_alpha, cu_alpha = _brute(coders, 60)
    assert family.u_alpha == (None if u_alpha is None else pytest.approx(u_alpha))
    assert family.cu_alpha == (None if cu_alpha is None else pytest.approx(cu_alpha))


def test_overlapping_categories_of_one_coder_are_refused():
    with pytest.raises(OverlappingCategories, match="coder 2 gave two categories to the same 3 characters"):
        unitizing_family([[(0, 5, "a")], [(0, 5, "a"), (2, 8, "b")]], 10)
    # every doubly-coded character counts, not only the first clash: 3 + 5
    with pytest.raises(OverlappingCategories, match="the same 8 characters"):
        unitizing_family([[], [(0, 5, "a"), (2, 8, "b"), (20, 30, "a"), (25, 40, "c")]], 50)
    # the same category twice is one unit
    family = unitizing_family([[(0, 5, "a")], [(0, 3, "a"), (2, 5, "a")]], 10)
    assert family.u_alpha == pytest.approx(1.0)
