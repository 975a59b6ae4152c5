"""Span arithmetic, which every offset passes through: examples, and properties against a per-character model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.spans import (Span, clip, clipped, coverage, intersection_length, overlap, overlaps, total_length,
                             union)

span = st.tuples(st.integers(0, 60), st.integers(0, 60))
span_sets = st.lists(span, max_size=12)


def characters(spans: list[tuple[int, int]]) -> set[int]:
    """The model: the set of code points the half-open spans cover."""
    return {i for start, end in spans for i in range(start, end)}


def test_examples():
    assert overlap((0, 5), (5, 9)) == 0 and not overlaps((0, 5), (5, 9))  # touching is not overlapping
    assert overlap((0, 5), (3, 9)) == 2 and overlaps((3, 9), (0, 5))
    assert union([(5, 9), (0, 5), (20, 22), (21, 30), (7, 7)]) == [Span(0, 9), Span(20, 30)]  # touching joined
    assert union([(4, 2)]) == []  # an empty or reversed span covers nothing
    assert total_length([(0, 10), (5, 15)]) == 15
    assert intersection_length([(0, 10)], [(5, 15), (8, 12)]) == 5
    assert coverage((10, 20), [(0, 12), (18, 40)]) == pytest.approx(0.4)
    assert coverage((3, 3), [(0, 10)]) == 0.0
    assert Span(2, 7).length == 5


@settings(max_examples=300, deadline=None)
@given(span_sets)
def test_union_is_sorted_disjoint_and_covers_the_same_characters(spans):
    merged = union(spans)
    assert characters(merged) == characters(spans)
    assert all(s.start < s.end for s in merged)
    assert all(left.end < right.start for left, right in zip(merged, merged[1:]))  # not even touching
    assert union(merged) == merged
    assert total_length(spans) == len(characters(spans))


@settings(max_examples=300, deadline=None)
@given(span, span)
def test_overlap_counts_shared_characters_and_is_symmetric(a, b):
    assert overlap(a, b) == overlap(b, a) == len(characters([a]) & characters([b]))
    assert overlaps(a, b) == (overlap(a, b) > 0)


@settings(max_examples=300, deadline=None)
@given(span_sets, span_sets)
def test_intersection_length_is_the_shared_characters(a, b):
    assert intersection_length(a, b) == intersection_length(b, a) == len(characters(a) & characters(b))
    assert intersection_length(a, b) <= min(total_length(a), total_length(b))


@settings(max_examples=300, deadline=None)
@given(span, span_sets)
def test_coverage_is_the_covered_share_of_the_unit(unit, spans):
    inside = characters([unit])
    expected = len(inside & characters(spans)) / len(inside) if inside else 0.0
    assert coverage(unit, spans) == pytest.approx(expected)
    assert 0.0 <= coverage(unit, spans) <= 1.0


@settings(max_examples=300, deadline=None)
@given(span, span)
def test_clip_keeps_exactly_the_characters_inside_the_window(a, window):
    part = clip(a, window)
    inside = characters([a]) & characters([window])
    assert (part is None) == (not inside)
    if part is not None:
        assert characters([part]) == inside and part.length == overlap(a, window)
    assert characters(clipped([a, window], window)) == characters([window])
