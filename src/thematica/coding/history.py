"""Undo and redo of coding actions (the last 100), kept beside the writes they call.

Each action knows how to do and undo itself through the session's ``Writer``, so an undo is itself
an ordinary, audited one-transaction action, and it returns what it changed (``Written``) so the
session updates its view without re-reading. A segment removed and restored gets a new id; the
action keeps the current one so a later redo or undo still finds it. Only a write that changed
something is recorded: re-applying a code a passage already has records nothing, so its undo
cannot remove the earlier segment and its memo.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Protocol

from thematica.coding import codebook
from thematica.coding.segments import SegmentInfo
from thematica.coding.writes import Writer, Written
from thematica.errors import ThematicaError

DEPTH = 100


class Action(Protocol):
    label: str

    def undo(self, writer: Writer) -> Written | None: ...

    def redo(self, writer: Writer) -> Written | None: ...


def _restore(writer: Writer, info: SegmentInfo) -> Written:
    # the span was inside the (immutable) document when it was first written: its end bounds it
    written = writer.add(info.document_id, info.end, info.start, info.end, info.code_id, info.memo)
    if written is None:
        raise ThematicaError("that segment is already there again")
    return written


@dataclass
class Applied:
    """A code applied to a passage (undo: remove it)."""

    info: SegmentInfo
    label: str = "apply code"

    def undo(self, writer: Writer) -> Written:
        return writer.remove(self.info.id)

    def redo(self, writer: Writer) -> Written:
        written = _restore(writer, self.info)
        assert written.after is not None
        self.info = written.after
        return written


@dataclass
class Removed:
    """A segment removed (undo: restore it, memo included)."""

    info: SegmentInfo
    label: str = "remove segment"

    def undo(self, writer: Writer) -> Written:
        written = _restore(writer, self.info)
        assert written.after is not None
        self.info = written.after
        return written

    def redo(self, writer: Writer) -> Written:
        return writer.remove(self.info.id)


@dataclass
class Recoded:
    """A segment given another code (undo: give it back its code)."""

    info: SegmentInfo  # the segment as it is now
    before: int
    after: int
    label: str = "re-code segment"

    def _to(self, writer: Writer, code_id: int) -> Written:
        written = writer.recode(self.info, code_id)
        assert written.after is not None
        self.info = written.after
        return written

    def undo(self, writer: Writer) -> Written:
        return self._to(writer, self.before)

    def redo(self, writer: Writer) -> Written:
        return self._to(writer, self.after)


@dataclass
class MemoEdited:
    info: SegmentInfo  # the segment as it is now
    before: str
    after: str
    label: str = "edit memo"

    def _to(self, writer: Writer, memo: str) -> Written:
        written = writer.set_memo(self.info, memo)
        assert written.after is not None
        self.info = written.after
        return written

    def undo(self, writer: Writer) -> Written:
        return self._to(writer, self.before)

    def redo(self, writer: Writer) -> Written:
        return self._to(writer, self.after)


@dataclass
class NoteEdited:
    """The coder's memo on a document (``document_id``) or on the project (None) rewritten."""

    document_id: int | None
    before: str
    after: str
    label: str = "edit document or project memo"

    def undo(self, writer: Writer) -> None:
        writer.note_hook(self.document_id, self.before)

    def redo(self, writer: Writer) -> None:
        writer.note_hook(self.document_id, self.after)


class CaseValueSetter(Protocol):
    def set_case_attribute(self, name: str, value: str | None, *, record: bool = True) -> None: ...


@dataclass
class CaseValueSet:
    """A case attribute set in the case pane (undo: its value before)."""

    session: CaseValueSetter
    name: str
    before: str | None
    after: str | None
    label: str = "set case attribute"

    def undo(self, writer: Writer) -> None:
        self.session.set_case_attribute(self.name, self.before, record=False)

    def redo(self, writer: Writer) -> None:
        self.session.set_case_attribute(self.name, self.after, record=False)


class CodeDeleter(Protocol):
    def delete_code(self, code_id: int, *, record: bool = True) -> Any: ...

    def restore_code(self, deleted: Any) -> int: ...


@dataclass
class CodeDeleted:
    """A code deleted with its segments (undo: the code again, with its name, colour, definitions,
    parent, everyone's segments and its theme memberships; it gets a new id)."""

    session: CodeDeleter
    deleted: Any
    current_id: int | None = None
    label: str = "delete code"

    def undo(self, writer: Writer) -> None:
        self.current_id = self.session.restore_code(self.deleted)

    def redo(self, writer: Writer) -> None:
        if self.current_id is not None:
            self.deleted = self.session.delete_code(self.current_id, record=False)


@dataclass
class CodeReparented:
    """A code moved under another parent (undo: back under the old one)."""

    code_id: int
    before: int | None
    after: int | None
    label: str = "move code"

    def undo(self, writer: Writer) -> None:
        codebook.reparent_code(writer.project, self.code_id, self.before, writer.coder)

    def redo(self, writer: Writer) -> None:
        codebook.reparent_code(writer.project, self.code_id, self.after, writer.coder)


@dataclass
class CodeRenamed:
    """A code renamed (undo: its old name back; both are in the audit log)."""

    code_id: int
    before: str
    after: str
    label: str = "rename code"

    def undo(self, writer: Writer) -> None:
        codebook.rename_code(writer.project, self.code_id, self.before, writer.coder)

    def redo(self, writer: Writer) -> None:
        codebook.rename_code(writer.project, self.code_id, self.after, writer.coder)


@dataclass
class CodeCreated:
    """A new code (undo: delete it again, refused while segments use it)."""

    code_id: int
    path: str
    label: str = "create code"

    def undo(self, writer: Writer) -> None:
        codebook.delete_code(writer.project, self.code_id, writer.coder)

    def redo(self, writer: Writer) -> None:
        self.code_id = codebook.create_code(writer.project, self.path, writer.coder).id


class History:
    """A bounded undo stack and its redo stack; a new action clears the redo stack."""

    def __init__(self, depth: int = DEPTH) -> None:
        self.done: deque[Action] = deque(maxlen=depth)
        self.undone: list[Action] = []

    def record(self, action: Action) -> None:
        self.done.append(action)
        self.undone.clear()

    def undo(self, writer: Writer) -> tuple[str, Written | None] | None:
        """Undo the newest action: ``(label, what changed)``, or None when there is nothing to undo."""
        if not self.done:
            return None
        action = self.done[-1]
        before = _segment_id(action)
        written = action.undo(writer)  # a refused undo (ThematicaError) stays on the stack
        self.undone.append(self.done.pop())
        self._renumber(before, _segment_id(action))
        return action.label, written

    def redo(self, writer: Writer) -> tuple[str, Written | None] | None:
        if not self.undone:
            return None
        action = self.undone[-1]
        before = _segment_id(action)
        written = action.redo(writer)
        self.done.append(self.undone.pop())
        self._renumber(before, _segment_id(action))
        return action.label, written

    def _renumber(self, old: int | None, new: int | None) -> None:
        """A restored segment has a new id (ids are never reused): every action that named the old one
        now names the new one, so a later undo or redo still finds it."""
        if old is None or new is None or old == new:
            return
        for action in (*self.done, *self.undone):
            info = getattr(action, "info", None)
            if isinstance(info, SegmentInfo) and info.id == old:
                action.info = replace(info, id=new)  # type: ignore[attr-defined]


def _segment_id(action: object) -> int | None:
    info = getattr(action, "info", None)
    return info.id if isinstance(info, SegmentInfo) else None
