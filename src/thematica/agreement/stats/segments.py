"""Segment-based agreement, as MAXQDA reports it.

A coder's segment agrees when the other coder has a segment of the same code, in the same
document, overlapping it by at least ``threshold`` percent. The overlap percentage of two segments
is |A ∩ B| / |A ∪ B| (their shared characters over the characters either covers), so 100% means
identical boundaries. Counted in both directions: A's segments against B, and B's against A.

Per code: agreeing and non-agreeing segments of each coder, percent agreement
(agreeing / all segments, both directions pooled), and MAXQDA's chance-corrected kappa after
Brennan & Prediger (1981): κ = (p_o − 1/q) / (1 − 1/q) with q the number of codes compared.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from thematica.agreement.defaults import SEGMENT_MATCH_PERCENT
from thematica.spans import SegmentRow, overlap


@dataclass(frozen=True)
class SegmentAgreement:
    code: str
    a_agree: int
    a_total: int
    b_agree: int
    b_total: int

    @property
    def percent_agreement(self) -> float | None:
        total = self.a_total + self.b_total
        return None if total == 0 else (self.a_agree + self.b_agree) / total

    def to_dict(self) -> dict:
        return {**asdict(self), "percent_agreement": self.percent_agreement}


def overlap_share(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = overlap(a, b)
    return shared / (max(a[1], b[1]) - min(a[0], b[0])) if shared else 0.0


def _matched(own: list[tuple[int, int]], other: list[tuple[int, int]], threshold: float) -> int:
    other = sorted(other)
    starts = [s for s, _ in other]
    longest = max((e - s for s, e in other), default=0)
    matched = 0
    for segment in own:
        first = bisect.bisect_left(starts, segment[0] - longest)
        last = bisect.bisect_left(starts, segment[1])
        if any(overlap_share(segment, other[i]) >= threshold for i in range(first, last)):
            matched += 1
    return matched


def segment_agreement(segments: Iterable[SegmentRow], coder_a: str, coder_b: str, codes: Sequence[str],
                      threshold_percent: float = SEGMENT_MATCH_PERCENT) -> list[SegmentAgreement]:
    threshold = threshold_percent / 100.0
    by_key: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for document, start, end, code, coder in segments:
        by_key[(coder, code, document)].append((start, end))
    documents = {document for (_, _, document) in by_key}
    results = []
    for code in codes:
        counts = [0, 0, 0, 0]
        for document in documents:
            a = by_key.get((coder_a, code, document), [])
            b = by_key.get((coder_b, code, document), [])
            counts[0] += _matched(a, b, threshold) if b else 0
            counts[1] += len(a)
            counts[2] += _matched(b, a, threshold) if a else 0
            counts[3] += len(b)
        results.append(SegmentAgreement(code, *counts))
    return results


def brennan_prediger(p_o: float | None, categories: int) -> float | None:
    if p_o is None or categories < 2:
        return None
    return (p_o - 1 / categories) / (1 - 1 / categories)
