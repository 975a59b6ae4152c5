"""Span arithmetic on half-open ``[start, end)`` code-point offsets into an immutable document text.

Every module that compares, merges or measures segments uses these helpers, so that
"overlap", "coverage" and "union" mean one thing throughout Thematica.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


SegmentRow = tuple[str, int, int, str, str]
"""One coder's segment as the statistics take it: document, start, end, code path, coder."""


class Span(NamedTuple):
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of code points shared by two half-open spans (0 when they only touch)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return overlap(a, b) > 0


def clip(span: tuple[int, int], window: tuple[int, int]) -> Span | None:
    """The part of ``span`` inside ``window``; None when they share no code point."""
    start, end = max(span[0], window[0]), min(span[1], window[1])
    return Span(start, end) if start < end else None


def clipped(spans: Iterable[tuple[int, int]], window: tuple[int, int]) -> list[Span]:
    """The parts of ``spans`` inside ``window``, in the given order (not merged)."""
    return [part for part in (clip(span, window) for span in spans) if part is not None]


def union(spans: Iterable[tuple[int, int]]) -> list[Span]:
    """Merge spans into sorted, disjoint spans; touching spans are joined.

    A coder's overlapping segments of one code count each character once (NVivo's rule).
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, end)
        else:
            merged.append(Span(start, end))
    return merged


def total_length(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of the spans."""
    return sum(span.length for span in union(spans))


def intersection_length(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Characters covered by both span sets (each set merged first), by a linear sweep."""
    left, right = union(a), union(b)
    i = j = shared = 0
    while i < len(left) and j < len(right):
        shared += overlap(left[i], right[j])
        if left[i].end < right[j].end:
            i += 1
        else:
            j += 1
    return shared


def coverage(unit: tuple[int, int], spans: Iterable[tuple[int, int]]) -> float:
    """Share of the unit's characters covered by the union of the spans (0 for an empty unit)."""
    length = unit[1] - unit[0]
    if length <= 0:
        return 0.0
    return total_length(clipped(spans, unit)) / length
