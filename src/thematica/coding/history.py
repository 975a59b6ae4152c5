"""Undo and redo of coding actions (the last 100), kept beside the writes they call.

Each action knows how to do and undo itself through the session's ``Writer``, so an undo is itself
an ordinary, audited one-transaction action, and it returns what it changed (``Written``) so the
session updates its view without re-reading. A segment or code removed and restored gets a new
id (ids are never reused); the action that restored it reports the new ids (``Renumbering``) and
every action on both stacks is told (``renumber``), so a later redo or undo still finds the rows it
names — a segment, its code, a code's parent, a merge's target. Only a write that changed
something is recorded: re-applying a code a passage already has records nothing, so its undo
cannot remove the earlier segment and its memo.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from thematica.coding import codebook
from thematica.coding.segments import SegmentInfo
from thematica.coding.writes import Writer, Written
from thematica.errors import ThematicaError

DEPTH = 100


@dataclass(frozen=True)
class Renumbering:
    """New ids of restored rows: ``{old id: new id}`` of segments and of codes."""

    segments: Mapping[int, int] = field(default_factory=dict)
    codes: Mapping[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.segments or self.codes)

    def segment(self, segment_id: int) -> int:
        return self.segments.get(segment_id, segment_id)

    def code(self, code_id: int) -> int:
        return self.codes.get(code_id, code_id)

    def maybe_code(self, code_id: int | None) -> int | None:
        return None if code_id is None else self.codes.get(code_id, code_id)

    def info(self, info: SegmentInfo) -> SegmentInfo:
        return replace(info, id=self.segment(info.id), code_id=self.code(info.code_id))

    def to_dict(self) -> dict[str, object]:
        return {"segments": dict(self.segments), "codes": dict(self.codes)}


class Action(Protocol):
    label: str

    def undo(self, writer: Writer) -> Written | None: ...

    def redo(self, writer: Writer) -> Written | None: ...

    def renumber(self, ids: Renumbering) -> None:
        """Follow rows that another action's undo or redo restored under new ids."""

    def segment_id(self) -> int | None:
        """The one segment the action names now (an undo or redo may give it a new id), or None."""

    def take_renumbering(self) -> Renumbering:
        """The rows this action's last undo or redo gave new ids (then forgotten), for the others."""


class _SegmentAction:
    """An action naming one segment (``info``): renumbering follows its id and its code's id."""

    info: SegmentInfo

    def renumber(self, ids: Renumbering) -> None:
        self.info = ids.info(self.info)

    def segment_id(self) -> int | None:
        return self.info.id

    def take_renumbering(self) -> Renumbering:
        return Renumbering()  # a new segment id is followed through ``segment_id``


class _Unnumbered:
    """An action that names no segment or code."""

    def renumber(self, ids: Renumbering) -> None:
        return None

    def segment_id(self) -> int | None:
        return None

    def take_renumbering(self) -> Renumbering:
        return Renumbering()


class _CodeAction:
    """An action on the codebook: it names codes; an undo or redo that restores rows under new ids
    keeps them in ``renumbered`` until the history hands them to the other actions."""

    renumbered: Renumbering

    def segment_id(self) -> int | None:
        return None

    def take_renumbering(self) -> Renumbering:
        ids, self.renumbered = self.renumbered, Renumbering()
        return ids


def _restore(writer: Writer, info: SegmentInfo) -> Written:
    # the span was inside the (immutable) document when it was first written: its end bounds it
    written = writer.add(info.document_id, info.end, info.start, info.end, info.code_id, info.memo)
    if written is None:
        raise ThematicaError("that segment is already there again")
    return written


@dataclass
class Applied(_SegmentAction):
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
class Removed(_SegmentAction):
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
class Recoded(_SegmentAction):
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

    def renumber(self, ids: Renumbering) -> None:
        self.info, self.before, self.after = ids.info(self.info), ids.code(self.before), ids.code(self.after)


@dataclass
class MemoEdited(_SegmentAction):
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
class NoteEdited(_Unnumbered):
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
class CaseValueSet(_Unnumbered):
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


class CodeRestorer(Protocol):
    def delete_code(self, code_id: int, *, record: bool = True) -> Any: ...

    def restore_code(self, deleted: Any) -> tuple[int, dict[int, int]]: ...

    def merge_code(self, source_id: int, target_id: int, *, record: bool = True) -> Any: ...

    def unmerge_code(self, merged: Any) -> tuple[int, dict[int, int]]: ...


@dataclass
class CodeDeleted(_CodeAction):
    """A code deleted with its segments (undo: the code again, with its name, colour, definitions,
    parent, everyone's segments and its theme memberships; it and its segments get new ids)."""

    session: CodeRestorer
    deleted: Any  # ``DeletedCode``: ids as they were at the deletion
    code_id: int  # the code's id as it is now (or was, when deleted)
    label: str = "delete code"
    renumbered: Renumbering = field(default_factory=Renumbering)

    def undo(self, writer: Writer) -> None:
        new_id, segments = self.session.restore_code(self.deleted)
        self.renumbered = Renumbering(segments, {self.code_id: new_id})
        self.code_id = new_id

    def redo(self, writer: Writer) -> None:
        self.deleted = self.session.delete_code(self.code_id, record=False)

    def renumber(self, ids: Renumbering) -> None:
        self.code_id = ids.code(self.code_id)
        self.deleted = self.deleted.renumbered(ids)


@dataclass
class CodeMerged(_CodeAction):
    """A code merged into another (undo: the source code again, under a new id, with its parent,
    colour, definitions, memos, memberships and every segment it held, of every coder, also those
    dropped as duplicates of the target's; redo: the merge again)."""

    session: CodeRestorer
    merged: Any  # ``MergedCode``, its ids kept current by ``renumber``
    source_id: int  # the source's id now (or at its merge)
    label: str = "merge code"
    renumbered: Renumbering = field(default_factory=Renumbering)

    def undo(self, writer: Writer) -> None:
        new_id, inserted = self.session.unmerge_code(self.merged)
        self.renumbered = Renumbering(inserted, {self.source_id: new_id})
        self.source_id = new_id

    def redo(self, writer: Writer) -> None:
        self.merged = self.session.merge_code(self.source_id, self.merged.target_id, record=False)

    def renumber(self, ids: Renumbering) -> None:
        self.source_id = ids.code(self.source_id)
        self.merged = self.merged.renumbered(ids.segments, ids.codes)


@dataclass
class CodeReparented(_CodeAction):
    """A code moved under another parent (undo: back under the old one)."""

    code_id: int
    before: int | None
    after: int | None
    label: str = "move code"
    renumbered: Renumbering = field(default_factory=Renumbering)

    def undo(self, writer: Writer) -> None:
        codebook.reparent_code(writer.project, self.code_id, self.before, writer.coder)

    def redo(self, writer: Writer) -> None:
        codebook.reparent_code(writer.project, self.code_id, self.after, writer.coder)

    def renumber(self, ids: Renumbering) -> None:
        self.code_id = ids.code(self.code_id)
        self.before, self.after = ids.maybe_code(self.before), ids.maybe_code(self.after)


@dataclass
class CodeRenamed(_CodeAction):
    """A code renamed (undo: its old name back; both are in the audit log)."""

    code_id: int
    before: str
    after: str
    label: str = "rename code"
    renumbered: Renumbering = field(default_factory=Renumbering)

    def undo(self, writer: Writer) -> None:
        codebook.rename_code(writer.project, self.code_id, self.before, writer.coder)

    def redo(self, writer: Writer) -> None:
        codebook.rename_code(writer.project, self.code_id, self.after, writer.coder)

    def renumber(self, ids: Renumbering) -> None:
        self.code_id = ids.code(self.code_id)


class CodeCreator(Protocol):
    def uncreate_codes(self, code_ids: tuple[int, ...]) -> None: ...

    def recreate_code(self, path: str) -> tuple[int, ...]: ...


@dataclass
class CodeCreated(_CodeAction):
    """A new code with the parents its path created (``code_ids``, parents first, the code itself
    last); undo deletes all of them in one transaction (refused while segments use one), redo
    creates them again under new ids."""

    session: CodeCreator
    code_ids: tuple[int, ...]
    path: str
    label: str = "create code"
    renumbered: Renumbering = field(default_factory=Renumbering)

    @property
    def code_id(self) -> int:
        return self.code_ids[-1]

    def undo(self, writer: Writer) -> None:
        self.session.uncreate_codes(self.code_ids)

    def redo(self, writer: Writer) -> None:
        old, self.code_ids = self.code_ids, self.session.recreate_code(self.path)
        self.renumbered = Renumbering({}, dict(zip(old[len(old) - len(self.code_ids):], self.code_ids)))

    def renumber(self, ids: Renumbering) -> None:
        self.code_ids = tuple(ids.code(code_id) for code_id in self.code_ids)


class History:
    """A bounded undo stack and its redo stack; a new action clears the redo stack."""

    def __init__(self, depth: int = DEPTH) -> None:
        self.done: deque[Action] = deque(maxlen=depth)
        self.undone: list[Action] = []
        self.last_renumbered = Renumbering()  # what the last undo or redo renumbered (the session follows it)

    def record(self, action: Action) -> None:
        self.done.append(action)
        self.undone.clear()

    def undo(self, writer: Writer) -> tuple[str, Written | None] | None:
        """Undo the newest action: ``(label, what changed)``, or None when there is nothing to undo."""
        if not self.done:
            return None
        action = self.done[-1]
        before = action.segment_id()
        written = action.undo(writer)  # a refused undo (ThematicaError) stays on the stack
        self.undone.append(self.done.pop())
        self._renumber(action, before)
        return action.label, written

    def redo(self, writer: Writer) -> tuple[str, Written | None] | None:
        if not self.undone:
            return None
        action = self.undone[-1]
        before = action.segment_id()
        written = action.redo(writer)
        self.done.append(self.undone.pop())
        self._renumber(action, before)
        return action.label, written

    def _renumber(self, action: Action, before: int | None) -> None:
        """Rows restored by ``action`` have new ids: every other action that named the old ones now
        names the new ones, so a later undo or redo still finds them."""
        ids = action.take_renumbering()
        after = action.segment_id()
        if before is not None and after is not None and before != after:
            ids = Renumbering({**ids.segments, before: after}, ids.codes)
        self.last_renumbered = ids
        if not ids:
            return
        for other in (*self.done, *self.undone):
            if other is not action:
                other.renumber(ids)

