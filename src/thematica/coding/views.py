"""What the workbench shows, as plain frozen values: a code, a segment, a document's view, its progress.

Kept apart from the modules that read them (``coding.workbench``, ``coding.session``) so that a
front end can draw its first frame from them before the database layer (SQLAlchemy) is imported;
see ``coding.first_look``.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from thematica.names import PATH_SEPARATOR
from thematica.store.rows import CodeRow, SegmentRow, code_paths


@dataclass(frozen=True)
class CodeInfo:
    id: int
    path: str
    name: str
    parent_id: int | None
    color: str
    definition: str
    inclusion: str
    exclusion: str
    example: str

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR)


@dataclass(frozen=True)
class SegmentInfo:
    """A stored segment as the services hand it on (its coder by name); ``VisibleSegment`` when it
    is one a viewer may see."""

    id: int
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    memo: str = ""


VisibleSegment = SegmentInfo


@dataclass(frozen=True)
class DocumentProgress:
    document_id: int
    name: str
    case: str | None
    words: int
    coded_share: float
    status: str


@dataclass(frozen=True)
class ShownSegment:
    id: int
    start: int
    end: int
    code_id: int
    code: str
    color: str
    coder: str
    memo: str


@dataclass(frozen=True)
class DocumentView:
    id: int
    name: str
    text: str
    case: str | None
    attributes: list[tuple[str, str | None]]
    units: dict[str, list[tuple[int, int, str | None]]]
    segments: list[ShownSegment]


@dataclass(frozen=True)
class Hit:
    document_id: int
    document: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Retrieved:
    document_id: int
    document: str
    case: str | None
    speaker: str | None
    start: int
    end: int
    coder: str
    code: str
    text: str
    before: str = ""
    after: str = ""
    memo: str = ""
    attributes: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def shown_segment(row: SegmentRow, codes: dict[int, CodeInfo], colours: dict[int, str],
                  coder_names: dict[int, str]) -> ShownSegment:
    """A stored segment as the transcript shows it: its code's path and on-screen colour, its coder's name."""
    segment_id, _, code_id, coder_id, start, end, memo = row
    code = codes.get(code_id)
    return ShownSegment(segment_id, start, end, code_id, code.path if code else f"code {code_id}",
                        colours.get(code_id, "#808080"), coder_names.get(coder_id, f"coder {coder_id}"), memo)


def segments_per_code(segments: Iterable[ShownSegment]) -> dict[int, int]:
    """``{code id: segments}`` of the segments given (a document's, for the code tree's counts)."""
    counts: dict[int, int] = {}
    for segment in segments:
        counts[segment.code_id] = counts.get(segment.code_id, 0) + 1
    return counts


def code_info(code: CodeRow, path: str) -> CodeInfo:
    return CodeInfo(id=code.id, path=path, name=code.name, parent_id=code.parent_id, color=code.color,
                    definition=code.definition, inclusion=code.inclusion, exclusion=code.exclusion,
                    example=code.example)


def codes_in_tree_order(rows: Sequence[CodeRow]) -> list[CodeInfo]:
    """Codes in tree order (parents before children) from rows in sibling order (position, name)."""
    paths = code_paths(rows)
    by_parent: dict[int | None, list[CodeRow]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    ordered: list[CodeInfo] = []

    def walk(parent_id: int | None) -> None:
        for row in by_parent.get(parent_id, []):
            ordered.append(code_info(row, paths[row.id]))
            walk(row.id)

    walk(None)
    return ordered


def shade(colour: str, index: int, depth: int) -> str:
    """A distinguishable shade of a parent's colour for its ``index``-th child at ``depth``.

    Lightness alternates above and below the parent's (HLS), stepping 0.12 per sibling, so
    siblings differ from each other and from their parent while keeping its hue.
    """
    if depth == 0 or not colour.startswith("#") or len(colour) < 7:
        return colour
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    step = 0.12 * ((index // 2) + 1) * (1 if index % 2 == 0 else -1)
    lightness = min(0.85, max(0.25, lightness + step))
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#{:02X}{:02X}{:02X}".format(round(red * 255), round(green * 255), round(blue * 255))


def code_colours(infos: Iterable[CodeInfo]) -> dict[int, str]:
    """Each code's colour on screen, codes in tree order: a child that keeps its parent's colour
    gets a shade of it (``shade``), so siblings' stripes can be told apart."""
    codes: dict[int, CodeInfo] = {}
    siblings: dict[int | None, int] = {}
    colours: dict[int, str] = {}
    for info in infos:
        codes[info.id] = info
        index = siblings.get(info.parent_id, 0)
        siblings[info.parent_id] = index + 1
        parent = codes.get(info.parent_id) if info.parent_id is not None else None
        colours[info.id] = (shade(colours[parent.id], index, info.depth)
                            if parent is not None and info.color.lower() == parent.color.lower() else info.color)
    return colours
