"""Undo and redo of coding actions (at least the last 50), kept beside the services they call.

Each action knows how to do and undo itself through the coding services, so an undo is itself
an ordinary, audited action. A segment removed and restored gets a new id (ids are never reused);
the history hands the new id to every action on its stacks that named the old one, so a later
undo or redo still finds the segment.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from thematica.coding import codebook, segments
from thematica.coding.segments import SegmentInfo
from thematica.store.project import Project

DEPTH = 100


@dataclass
class Applied:
    """A code applied to a passage (undo: remove it)."""

    info: SegmentInfo
    label: str = "apply code"

    def undo(self, project: Project) -> None:
        segments.remove_segment(project, self.info.id, self.info.coder)

    def redo(self, project: Project) -> None:
        self.info = segments.apply_code(project, self.info.document_id, self.info.coder, self.info.start,
                                        self.info.end, code_id=self.info.code_id, memo=self.info.memo)


@dataclass
class Removed:
    """A segment removed (undo: restore it, memo included)."""

    info: SegmentInfo
    label: str = "remove segment"

    def undo(self, project: Project) -> None:
        self.info = segments.apply_code(project, self.info.document_id, self.info.coder, self.info.start,
                                        self.info.end, code_id=self.info.code_id, memo=self.info.memo)

    def redo(self, project: Project) -> None:
        segments.remove_segment(project, self.info.id, self.info.coder)


@dataclass
class Recoded:
    segment_id: int
    coder: str
    before: int
    after: int
    label: str = "re-code segment"

    def undo(self, project: Project) -> None:
        segments.recode_segment(project, self.segment_id, self.coder, code_id=self.before)

    def redo(self, project: Project) -> None:
        segments.recode_segment(project, self.segment_id, self.coder, code_id=self.after)


@dataclass
class MemoEdited:
    segment_id: int
    coder: str
    before: str
    after: str
    label: str = "edit memo"

    def undo(self, project: Project) -> None:
        segments.set_segment_memo(project, self.segment_id, self.coder, self.before)

    def redo(self, project: Project) -> None:
        segments.set_segment_memo(project, self.segment_id, self.coder, self.after)


@dataclass
class CodeCreated:
    code_id: int
    path: str
    coder: str
    label: str = "create code"

    def undo(self, project: Project) -> None:
        codebook.delete_code(project, self.code_id, self.coder)

    def redo(self, project: Project) -> None:
        self.code_id = codebook.create_code(project, self.path, self.coder).id


class History:
    """A bounded undo stack and its redo stack; a new action clears the redo stack."""

    def __init__(self, project: Project, depth: int = DEPTH) -> None:
        self.project = project
        self.done: deque = deque(maxlen=depth)
        self.undone: list = []

    def record(self, action) -> None:
        self.done.append(action)
        self.undone.clear()

    def undo(self) -> str | None:
        if not self.done:
            return None
        action = self.done.pop()
        before = _segment_id(action)
        action.undo(self.project)
        self._renumber(before, _segment_id(action))
        self.undone.append(action)
        return action.label

    def redo(self) -> str | None:
        if not self.undone:
            return None
        action = self.undone.pop()
        before = _segment_id(action)
        action.redo(self.project)
        self._renumber(before, _segment_id(action))
        self.done.append(action)
        return action.label

    def _renumber(self, old: int | None, new: int | None) -> None:
        if old is None or new is None or old == new:
            return
        for action in (*self.done, *self.undone):
            if isinstance(action, (Applied, Removed)) and action.info.id == old:
                action.info = replace(action.info, id=new)
            elif isinstance(action, (Recoded, MemoEdited)) and action.segment_id == old:
                action.segment_id = new


def _segment_id(action: object) -> int | None:
    return action.info.id if isinstance(action, (Applied, Removed)) else None
