"""The coding session's codebook, case and memo actions (a part of ``CodingSession``).

Each is one user action in its own transaction, written to the audit log and put on the undo
stack: the coder's memo on a document or on the project, a case attribute (typed), and the
codebook edits a coder makes while coding — create, rename (asked first when other coders use the
code), move under another parent, delete with every segment of the code (listed first). Undo
puts a deleted code back with its segments and theme memberships.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from thematica.coding import codebook
from thematica.coding.codebook import CodeInfo, code_infos
from thematica.coding.history import CaseValueSet, CodeCreated, CodeDeleted, CodeMerged, CodeReparented, CodeRenamed
from thematica.coding.history import History, NoteEdited, Renumbering
from thematica.coding.session_changes import ChangeReloads
from thematica.coding.views import DocumentView
from thematica.coding.writes import Writer
from thematica.corpus.cases import infer_type
from thematica.errors import ThematicaError
from thematica.store import audit, cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store, segments as segment_store
from thematica.store.code_merge import MergedCode, RemovedCode
from thematica.store.project import Project


@dataclass(frozen=True)
class DeletedCode:
    """What deleting a code removed (``store.code_merge.RemovedCode``), so that undo can put it back."""

    info: CodeInfo
    removed: RemovedCode

    def renumbered(self, ids: Renumbering) -> DeletedCode:
        """The same deletion naming the ids rows have now (a parent restored by an undo has a new id)."""
        info = replace(self.info, id=ids.code(self.info.id), parent_id=ids.maybe_code(self.info.parent_id))
        return DeletedCode(info, self.removed.renumbered(ids.segments, ids.codes))

    def to_dict(self) -> dict[str, object]:
        return {"path": self.info.path, **self.removed.to_dict()}


class CodebookActions(ChangeReloads):
    """Mixed into ``CodingSession``, whose state these actions read and update."""

    project: Project
    coder: str
    coder_id: int | None
    coder_names: dict[int, str]
    codes: dict[int, CodeInfo]
    documents: list[document_store.DocumentRow]
    view: DocumentView | None
    notes: dict[int | None, tuple[int, str]]
    history: History
    writer: Writer
    last_own_event: int
    _lock: threading.RLock

    def refresh(self) -> None:
        raise NotImplementedError

    def _set_codes(self, infos: list[CodeInfo]) -> None:
        raise NotImplementedError

    def document_memo(self) -> str:
        return self.notes.get(self.view.id, (0, ""))[1] if self.view else ""

    def project_memo(self) -> str:
        return self.notes.get(None, (0, ""))[1]

    def set_document_memo(self, text: str) -> None:
        """The coder's memo on the open document (one transaction; undoable)."""
        if self.view is None:
            raise ThematicaError("open a document first")
        self._set_note(self.view.id, text)

    def set_project_memo(self, text: str) -> None:
        """The coder's memo on the project as a whole (one transaction; undoable)."""
        self._set_note(None, text)

    def _set_note(self, document_id: int | None, text: str) -> None:
        with self._lock:
            before = self.notes.get(document_id, (0, ""))[1]
            self._write_note(document_id, text)
            self.history.record(NoteEdited(document_id, before, text))

    def _write_note(self, document_id: int | None, text: str) -> None:
        memo_id = self.notes[document_id][0] if document_id in self.notes else None
        name = next((row[1] for row in self.documents if row[0] == document_id), "project")
        saved, event = self.writer.set_memo_text(memo_id, document_id, f"memo on {name}", text)
        self.notes[document_id] = (saved, text)
        self.coder_id = self.writer.coder_id
        self.last_own_event = max(self.last_own_event, event)

    def create_code(self, path: str) -> CodeInfo:
        """A new code and the parents its path lacks (a codebook action: its own transaction); goes
        onto the undo stack as one action, whose undo removes every code it created."""
        with self._lock:
            created = self.recreate_code(path)
            self.history.record(CodeCreated(self, created, self.codes[created[-1]].path))
            return self.codes[created[-1]]

    def recreate_code(self, path: str) -> tuple[int, ...]:
        """Create the code at ``path`` with its missing parents (one transaction); the ids of the
        codes created, parents first, the code itself last."""
        with self._lock:
            with self.project.reading() as session:
                before = {info.id for info in code_infos(session)}
            info = codebook.create_code(self.project, path.strip(), self.coder)
            self._reload_codes()
            chain: list[int] = []
            code: CodeInfo | None = self.codes.get(info.id)
            while code is not None and code.id not in before:
                chain.append(code.id)
                code = self.codes.get(code.parent_id) if code.parent_id is not None else None
            return tuple(reversed(chain))

    def uncreate_codes(self, code_ids: tuple[int, ...]) -> None:
        """Delete codes created together (a path's new parents and its code) in one transaction,
        the deepest first, each logged as ``code.delete``; refused, nothing deleted, while a
        segment uses one of them or a child not among them is under one."""
        with self._lock:
            codebook.delete_codes(self.project, code_ids, self.coder)
            self.refresh()

    def set_case_attribute(self, name: str, value: str | None, *, record: bool = True) -> None:
        """Set an attribute of the open document's case, checked against the attribute's type
        (integer, float, boolean, date, text; a new attribute takes the value's type); logged and
        undoable. ``None`` clears the value."""
        with self._lock:
            if self.view is None or self.view.case is None:
                raise ThematicaError("this document is not linked to a case")
            name, case = name.strip(), self.view.case
            if not name:
                raise ThematicaError("an attribute needs a name")
            cleaned = None if value is None or not value.strip() else value.strip()
            with self.project.transaction() as session:
                row = case_store.case_by_label(session, case)
                if row is None:
                    raise ThematicaError(f"no case {case!r}")
                known = {attribute.name: attribute for attribute in case_store.attributes(session)}
                kind = known[name].type if name in known else infer_type([cleaned or ""])
                fits = (kind,) if kind == "boolean" else (kind, "integer")  # an integer fits any type but boolean
                if cleaned is not None and kind != "text" and infer_type([cleaned]) not in fits:
                    raise ThematicaError(f"{name} holds {kind} values; {cleaned!r} is not one")
                attribute = case_store.get_or_create_attribute(session, name, kind)
                before = dict(self.view.attributes).get(name)
                case_store.set_case_value(session, row, attribute, cleaned)
                audit.record(session, self.coder, "case.set", "case", row.id, attribute=name, before=before,
                             after=cleaned)
                session.flush()
            attributes = list(self.view.attributes)
            if any(n == name for n, _ in attributes):  # the attribute keeps its place
                attributes = [(n, cleaned if n == name else v) for n, v in attributes]
            else:
                attributes.append((name, cleaned))
            self.view = replace(self.view, attributes=attributes)
            if record:
                self.history.record(CaseValueSet(self, name, before, cleaned))
            self._reload_codes()  # takes the newest event id as our own

    def code_segments(self, code_id: int) -> list[tuple[str, str, str]]:
        """``(document, coder, quote)`` of every segment of the code, all coders — what deleting it
        would remove (listed for the confirmation; coders' names only, as the audit log has them)."""
        names = {row[0]: row[1] for row in self.documents}
        with self.project.reading() as session:
            rows = segment_store.segment_rows_of_codes(session, [code_id])
            texts = document_store.texts_of(session, {row[1] for row in rows})
            if any(row[3] not in self.coder_names for row in rows):
                self.coder_names = {c.id: c.name for c in coder_store.all_coders(session)}
        return [(names.get(d, str(d)), self.coder_names.get(c, str(c)), " ".join(texts[d][s:e].split()))
                for _, d, _, c, s, e, _ in rows]

    def delete_code(self, code_id: int, *, record: bool = True) -> DeletedCode:
        """Delete a code without children, with everyone's segments of it (and their exemplar
        marks), its memos, theme and group memberships and links, in one transaction (logged);
        undoable: ``restore_code``."""
        with self._lock:
            info = self.codes.get(code_id)
            if info is None:
                raise ThematicaError(f"no code with id {code_id}")
            removed = codebook.remove(self.project, code_id, info.path, self.coder)
            deleted = DeletedCode(info, removed)
            if record:
                self.history.record(CodeDeleted(self, deleted, code_id))
            self.refresh()
            return deleted

    def restore_code(self, deleted: DeletedCode) -> tuple[int, dict[int, int]]:
        """Put a deleted code back in one transaction (logged): a new id, with its place in the
        codebook, segments (new ids), memos, memberships and links. Returns the code's new id and
        ``{old segment id: new id}``."""
        with self._lock:
            code_id, renumbered = codebook.put_back(self.project, deleted.removed, deleted.info.path, self.coder)
            self.refresh()
            return code_id, renumbered

    def merge_code(self, source_id: int, target_id: int, *, record: bool = True) -> MergedCode:
        """Merge a code into another in one transaction (logged; ``codebook.merge``): everyone's
        segments, children, memos and memberships move; undoable (``unmerge_code``)."""
        with self._lock:
            merged = codebook.merge(self.project, source_id, target_id, self.coder)
            if record:
                self.history.record(CodeMerged(self, merged, source_id))
            self.refresh()
            return merged

    def unmerge_code(self, merged: MergedCode) -> tuple[int, dict[int, int]]:
        """Take a merge back in one transaction (logged): the source code under a new id, with its
        parent, colour, definitions, memos, memberships and every segment it held."""
        with self._lock:
            parent = merged.source["parent_id"]
            restored = codebook.unmerge(self.project, merged, self.coder,
                                        parent_id=None if parent is None else int(parent), target_id=merged.target_id)
            self.refresh()
            return restored

    def move_code(self, code_id: int, direction: int) -> CodeInfo:
        """Re-parent by keys: ``-1`` moves a code up a level (beside its parent), ``+1`` under the
        sibling above it. A codebook action (logged), undoable; the code's segments stay."""
        with self._lock:
            info = self.codes[code_id]
            if direction < 0:
                if info.parent_id is None:
                    raise ThematicaError(f"{info.path} is already at the top level")
                target = self.codes[info.parent_id].parent_id
            else:
                siblings = [c for c in self.codes.values() if c.parent_id == info.parent_id]
                index = next(i for i, c in enumerate(siblings) if c.id == code_id)
                if index == 0:
                    raise ThematicaError(f"no code above {info.name} to move it under")
                target = siblings[index - 1].id
            codebook.reparent_code(self.project, code_id, target, self.coder)
            self.history.record(CodeReparented(code_id, info.parent_id, target))
            self.refresh()  # the codes and the newest own event too
            return self.codes[code_id]

    def reparent_code(self, code_id: int, parent_id: int | None) -> CodeInfo:
        """Move a code under another parent (None: the top level), as the code editor does; logged, undoable."""
        with self._lock:
            before = self.codes[code_id].parent_id
            codebook.reparent_code(self.project, code_id, parent_id, self.coder)
            self.history.record(CodeReparented(code_id, before, parent_id))
            self.refresh()  # the codes and the newest own event too
            return self.codes[code_id]

    def code_used_by_others(self, code_id: int) -> bool:
        """Whether another coder's segments carry the code (asked before a rename or merge that
        changes their coding too; says nothing about what they coded)."""
        others = [i for i in self.coder_names if i != self.coder_id]
        if not others:
            return False
        with self.project.reading() as session:
            return code_store.segment_counts_by_code(session, others, [code_id]).get(code_id, 0) > 0

    def rename_code(self, code_id: int, name: str) -> None:
        """Rename a code (a codebook action, logged); goes onto the undo stack."""
        with self._lock:
            before = self.codes[code_id].name
            codebook.rename_code(self.project, code_id, name, self.coder)
            self.history.record(CodeRenamed(code_id, before, name.strip()))
            self._reload_codes()

    def _reload_codes(self) -> None:
        with self.project.reading() as session:
            self._set_codes(code_infos(session))
            self.last_own_event = audit.last_event_id(session)
