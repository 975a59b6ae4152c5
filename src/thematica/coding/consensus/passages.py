"""Where two codings differ, unit by unit — pure functions on spans, no database.

A passage is a unit (sentence, turn or paragraph). Coder X "has" code k on a unit when the union
of X's segments with code k covers at least ``min_overlap`` of the unit (any character when 0),
the same rule as unit-based agreement. Per unit and coder we keep the covered characters per code.

Kinds of disagreement (one per passage, the most basic that applies):
* ``present/absent`` — one coder coded the passage, the other left it uncoded;
* ``different code`` — both coded it, with different sets of codes;
* ``boundary`` — the same codes, but covering different characters of the passage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thematica.spans import Span, clipped, coverage, union
from thematica.vocabulary import DisagreementKind

PRESENT_ABSENT = DisagreementKind.PRESENT_ABSENT
DIFFERENT_CODE = DisagreementKind.DIFFERENT_CODE
BOUNDARY = DisagreementKind.BOUNDARY


@dataclass(frozen=True)
class CodedSpan:
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class Passage:
    document: str
    start: int
    end: int
    speaker: str | None
    codes_a: tuple[str, ...]
    codes_b: tuple[str, ...]
    kind: DisagreementKind | None  # None when the coders agree
    extents_a: tuple[tuple[str, tuple[Span, ...]], ...] = ()  # per code: A's covered characters of the passage
    extents_b: tuple[tuple[str, tuple[Span, ...]], ...] = ()

    @property
    def agrees(self) -> bool:
        return self.kind is None

    def to_dict(self) -> dict[str, object]:
        return {"document": self.document, "start": self.start, "end": self.end, "speaker": self.speaker,
                "codes_a": list(self.codes_a), "codes_b": list(self.codes_b),
                "kind": None if self.kind is None else self.kind.value}

    @property
    def codes_involved(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.codes_a) | set(self.codes_b)))


def _clipped(spans: Iterable[tuple[int, int]], unit: tuple[int, int]) -> list[Span]:
    return union(clipped(spans, unit))


def compare_unit(
    document: str, unit: tuple[int, int], speaker: str | None,
    segments_a: Sequence[CodedSpan], segments_b: Sequence[CodedSpan], min_overlap: float = 0.0,
) -> Passage:
    """Compare two coders on one unit; segments may be all of the document's (they are clipped)."""
    per_coder = []
    for segments in (segments_a, segments_b):
        by_code: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for segment in segments:
            if segment.start < unit[1] and segment.end > unit[0]:
                by_code[segment.code].append((segment.start, segment.end))
        present = {
            code: _clipped(spans, unit) for code, spans in by_code.items()
            if coverage(unit, spans) > 0 and coverage(unit, spans) >= min_overlap
        }
        per_coder.append(present)
    a, b = per_coder
    codes_a, codes_b = tuple(sorted(a)), tuple(sorted(b))
    kind: DisagreementKind | None
    if not a and not b:
        kind = None
    elif not a or not b:
        kind = PRESENT_ABSENT
    elif set(a) != set(b):
        kind = DIFFERENT_CODE
    elif any(a[code] != b[code] for code in a):
        kind = BOUNDARY
    else:
        kind = None
    return Passage(document, unit[0], unit[1], speaker, codes_a, codes_b, kind,
                   tuple((code, tuple(a[code])) for code in codes_a), tuple((code, tuple(b[code])) for code in codes_b))


def compare_document(
    document: str, units: Sequence[tuple[int, int, str | None]],
    segments_a: Sequence[CodedSpan], segments_b: Sequence[CodedSpan], min_overlap: float = 0.0,
) -> list[Passage]:
    """Every unit of a document compared, in reading order (agreeing ones included)."""
    ordered_a = sorted(segments_a, key=lambda s: s.start)
    ordered_b = sorted(segments_b, key=lambda s: s.start)
    return [compare_unit(document, (start, end), speaker, _near(ordered_a, start, end), _near(ordered_b, start, end),
                         min_overlap) for start, end, speaker in units]


def _near(segments: Sequence[CodedSpan], start: int, end: int) -> list[CodedSpan]:
    return [segment for segment in segments if segment.start < end and segment.end > start]


def describe_extents(extents: tuple[tuple[str, tuple[Span, ...]], ...]) -> dict[str, str]:
    """``{code: "[3094,3149)"}``: where a coder's code lies in the passage (several pieces joined by ' + ')."""
    return {code: " + ".join(f"[{start},{end})" for start, end in spans) for code, spans in extents}


def disagreements(passages: Iterable[Passage]) -> list[Passage]:
    return [passage for passage in passages if not passage.agrees]
