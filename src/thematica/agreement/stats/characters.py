"""Character-based agreement, as NVivo's coding comparison reports it.

Per code and document, every character of the document is a unit: coded by A, by B, by both or
by neither (overlapping segments of one coder count a character once). Kappa is the standard
Cohen's kappa of that 2×2 table, p_e = p_A·p_B + (1 − p_A)(1 − p_B) (added chance terms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from thematica.maths.two_by_two import TwoByTwo
from thematica.spans import SegmentRow, intersection_length, total_length



def character_tables(segments: Iterable[SegmentRow], lengths: dict[str, int], coder_a: str, coder_b: str,
                     codes: Sequence[str]) -> dict[tuple[str, str], TwoByTwo]:
    """``{(code, document): 2×2 over the document's characters}`` for every code and document."""
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for document, start, end, code, coder in segments:
        if coder in (coder_a, coder_b) and document in lengths:
            spans[(coder, code, document)].append((start, end))
    tables = {}
    for code in codes:
        for document, length in lengths.items():
            a, b = spans.get((coder_a, code, document), []), spans.get((coder_b, code, document), [])
            both = intersection_length(a, b) if a and b else 0
            coded_a, coded_b = total_length(a), total_length(b)
            tables[(code, document)] = TwoByTwo(both, coded_a - both, coded_b - both,
                                                length - coded_a - coded_b + both)
    return tables
