"""Unit-based presence: did coder c apply code k to unit u?

A coder applied code k to a unit when the union of their code-k segments covers at least
``min_overlap`` of the unit's characters (0: any character, the default). Overlapping segments of
one coder count each character once. Units of a document are sorted, non-overlapping spans, so
the units a span touches are found by binary search — no per-character work. The 2×2 table of a
code's presence, and its closed-form alpha, are ``thematica.maths.two_by_two``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from thematica.spans import SegmentRow, union


@dataclass(frozen=True)
class UnitIndex:
    """All units of the selected documents, numbered 0..N-1 document by document."""

    documents: tuple[str, ...]
    offsets: dict[str, int]
    starts: dict[str, np.ndarray]
    ends: dict[str, np.ndarray]

    @property
    def size(self) -> int:
        return sum(len(self.starts[d]) for d in self.documents)

    @classmethod
    def build(cls, units: dict[str, Sequence[tuple[int, int]]]) -> UnitIndex:
        offsets, starts, ends, total = {}, {}, {}, 0
        for document, spans in units.items():
            ordered = sorted(spans)
            offsets[document] = total
            starts[document] = np.array([s for s, _ in ordered], dtype=np.int64)
            ends[document] = np.array([e for _, e in ordered], dtype=np.int64)
            total += len(ordered)
        return cls(tuple(units), offsets, starts, ends)


def presence(index: UnitIndex, segments: Iterable[SegmentRow], coders: Sequence[str], codes: Sequence[str],
             min_overlap: float = 0.0) -> np.ndarray:
    """Boolean array [coder, code, unit]."""
    coder_at = {name: i for i, name in enumerate(coders)}
    code_at = {name: i for i, name in enumerate(codes)}
    grouped: dict[tuple[int, int, str], list[tuple[int, int]]] = defaultdict(list)
    for document, start, end, code_path, coder_name in segments:
        if document in index.offsets and coder_name in coder_at and code_path in code_at:
            grouped[(coder_at[coder_name], code_at[code_path], document)].append((start, end))
    result = np.zeros((len(coders), len(codes), index.size), dtype=bool)
    coverage = np.zeros(index.size, dtype=np.float64) if min_overlap > 0 else None
    for (coder, code, document), spans in grouped.items():
        starts, ends, offset = index.starts[document], index.ends[document], index.offsets[document]
        touched: list[tuple[int, int]] = []
        for start, end in union(spans):
            low = int(np.searchsorted(ends, start, side="right"))
            high = int(np.searchsorted(starts, end, side="left"))
            if low >= high:
                continue
            if coverage is None:
                result[coder, code, offset + low:offset + high] = True
            else:
                covered = np.minimum(ends[low:high], end) - np.maximum(starts[low:high], start)
                coverage[offset + low:offset + high] += covered
                touched.append((low, high))
        if coverage is not None:
            for low, high in touched:
                lengths = ends[low:high] - starts[low:high]
                shares = coverage[offset + low:offset + high] / lengths
                result[coder, code, offset + low:offset + high] = (shares > 0) & (shares >= min_overlap)
            for low, high in touched:
                coverage[offset + low:offset + high] = 0.0
    return result


def domain_values(presence_of_children: np.ndarray) -> tuple[np.ndarray, int]:
    """[coder, child, unit] presence -> coders × units category matrix (NaN when none or several).

    Returns the matrix and the number of (coder, unit) violations: a unit given two or more
    categories of one domain by the same coder. Violations are left out (NaN) and counted.
    """
    counts = presence_of_children.sum(axis=1)
    category = presence_of_children.argmax(axis=1).astype(float)
    category[counts != 1] = np.nan
    return category, int(np.count_nonzero(counts > 1))
