"""Unit-, segment- and character-based methods against straightforward per-character references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.agreement.stats.characters import character_tables
from thematica.agreement.stats.segments import overlap_share, segment_agreement
from thematica.agreement.stats.units import UnitIndex, domain_values, presence

LENGTH = 120
UNITS = [(0, 15), (16, 40), (41, 41 + 30), (72, 100), (101, 120)]
CODES = ["K1", "K2"]


def _segments(draw_list):
    return [("D", min(s, e), max(s, e) + 1, code, coder) for s, e, code, coder in draw_list]


segment_lists = st.lists(
    st.tuples(st.integers(0, LENGTH - 2), st.integers(0, LENGTH - 2), st.sampled_from(CODES), st.sampled_from(["A", "B"])),
    max_size=12,
).map(_segments)


def _characters(segments, coder, code):
    covered = set()
    for _, start, end, segment_code, segment_coder in segments:
        if segment_coder == coder and segment_code == code:
            covered.update(range(start, end))
    return covered


@settings(max_examples=100, deadline=None)
@given(segment_lists, st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_unit_presence_equals_per_character_coverage(segments, min_overlap):
    index = UnitIndex.build({"D": UNITS})
    found = presence(index, segments, ["A", "B"], CODES, min_overlap)
    for c, coder in enumerate(["A", "B"]):
        for k, code in enumerate(CODES):
            chars = _characters(segments, coder, code)
            for u, (start, end) in enumerate(UNITS):
                share = len(chars & set(range(start, end))) / (end - start)
                assert found[c, k, u] == (share > 0 and share >= min_overlap)


@settings(max_examples=100, deadline=None)
@given(segment_lists)
def test_character_tables_equal_per_character_sets(segments):
    tables = character_tables(segments, {"D": LENGTH}, "A", "B", CODES)
    for code in CODES:
        a, b = _characters(segments, "A", code), _characters(segments, "B", code)
        table = tables[(code, "D")]
        assert (table.both, table.a_only, table.b_only) == (len(a & b), len(a - b), len(b - a))
        assert table.neither == LENGTH - len(a | b)


@settings(max_examples=100, deadline=None)
@given(segment_lists, st.sampled_from([50.0, 90.0, 100.0]))
def test_segment_agreement_equals_pairwise_check(segments, threshold):
    results = {r.code: r for r in segment_agreement(segments, "A", "B", CODES, threshold)}
    for code in CODES:
        own = {"A": [s for s in segments if s[4] == "A" and s[3] == code],
               "B": [s for s in segments if s[4] == "B" and s[3] == code]}
        def matched(mine, theirs):
            return sum(any(overlap_share((m[1], m[2]), (t[1], t[2])) >= threshold / 100 for t in theirs) for m in mine)
        assert results[code].a_agree == matched(own["A"], own["B"]) and results[code].a_total == len(own["A"])
        assert results[code].b_agree == matched(own["B"], own["A"]) and results[code].b_total == len(own["B"])


def test_overlap_share_is_shared_over_combined():
    assert overlap_share((0, 10), (0, 10)) == 1.0
    assert overlap_share((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap_share((0, 10), (10, 20)) == 0.0


def test_domain_values_mark_missing_and_violations():
    # coders × categories × units: coder 0 gives unit 0 category 1, unit 1 two categories (violation)
    present = np.zeros((2, 3, 3), dtype=bool)
    present[0, 1, 0] = True
    present[0, 0, 1] = present[0, 2, 1] = True
    present[1, 1, 0] = True
    present[1, 2, 2] = True
    values, violations = domain_values(present)
    assert violations == 1
    np.testing.assert_array_equal(values, [[1, np.nan, np.nan], [1, np.nan, 2]])
