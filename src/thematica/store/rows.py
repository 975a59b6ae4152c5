"""Rows the store hands out as plain tuples, and codes' ``Parent/Child`` paths: no SQLAlchemy here,
so the workbench's first frame (``store.first_look``) builds the same values as every other reader."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from thematica.names import PATH_SEPARATOR

SegmentRow = tuple[int, int, int, int, int, int, str]
"""``(id, document_id, code_id, coder_id, start, end, memo)``: a segment as the store reads it."""


class CodeRow(NamedTuple):
    """A code as a read-only row (no ORM object)."""

    id: int
    parent_id: int | None
    name: str
    color: str
    definition: str
    inclusion: str
    exclusion: str
    example: str


class CodeNode(Protocol):
    """What a path needs of a code: a ``Code`` entity or a ``CodeRow``."""

    @property
    def id(self) -> int: ...

    @property
    def parent_id(self) -> int | None: ...

    @property
    def name(self) -> str: ...


def code_paths(codes: Sequence[CodeNode]) -> dict[int, str]:
    """``{code id: "Parent/Child"}`` for the given codes (all ancestors must be among them)."""
    by_id = {code.id: code for code in codes}
    paths: dict[int, str] = {}

    def path_of(code: CodeNode) -> str:
        if code.id not in paths:
            parent = by_id.get(code.parent_id) if code.parent_id is not None else None
            paths[code.id] = code.name if parent is None else f"{path_of(parent)}{PATH_SEPARATOR}{code.name}"
        return paths[code.id]

    for code in codes:
        path_of(code)
    return paths
