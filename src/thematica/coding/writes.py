"""The coding session's writes: each user action is one short transaction of at most six statements.

The session already knows the document's length, the coder's id and the segment it acts on, so an
action needs no look-ups: ``BEGIN``, one ``INSERT``/``UPDATE``/``DELETE … RETURNING`` on the
segment, one ``INSERT`` into the audit log, ``COMMIT`` — the same at 6 and at 1,000 documents.
(A coder's very first write adds two statements that create the coder.) The row the database
returns is the truth the session shows, so nothing is re-read after a write.

A write that meets a busy database (another process importing) waits — SQLite's busy timeout —
and is then retried; ``on_busy(attempt)`` lets the front end say so instead of failing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from thematica.coding.coders import checked_coder_name
from thematica.coding.segments import SegmentInfo
from thematica.errors import ThematicaError
from thematica.store import audit, documents as document_store, segments as segment_store
from thematica.store.models import DOCUMENT_STATUSES
from thematica.store.project import OperationalError, Project
from thematica.store.segments import SegmentRow

RETRY_PAUSE_SECONDS = 0.2
MAX_ATTEMPTS = 50  # with SQLite's 30-s busy timeout per attempt: about 25 minutes of waiting at most

Result = TypeVar("Result")


@dataclass(frozen=True)
class Written:
    """What one action changed: the segment before and after (None when absent) and the audit event id."""

    before: SegmentInfo | None
    after: SegmentInfo | None
    event_id: int

    def to_dict(self) -> dict[str, object]:
        return {"before": None if self.before is None else vars(self.before),
                "after": None if self.after is None else vars(self.after), "event_id": self.event_id}


def is_busy(error: OperationalError) -> bool:
    """SQLite's 'database is locked'/'busy', PostgreSQL's lock and serialisation time-outs."""
    reason = str(error.orig if error.orig is not None else error).lower()
    return any(word in reason for word in ("locked", "busy", "lock timeout", "could not serialize"))


class Writer:
    """One coder's writes; ``coder_id`` is None until the coder's first write creates them."""

    def __init__(self, project: Project, coder: str, coder_id: int | None,
                 on_busy: Callable[[int], None] | None = None) -> None:
        # the coders' name rules; a consensus coding (reserved name) is written only by its meeting's decisions
        self.project, self.coder, self.coder_id = project, checked_coder_name(coder), coder_id
        self.on_busy = on_busy
        self.note_hook: Callable[[int | None, str], None] = self._no_notes

    def _no_notes(self, document_id: int | None, text: str) -> None:
        raise ThematicaError("memos on documents need a coding session")

    def _retrying(self, work: Callable[[], Result]) -> Result:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return work()
            except OperationalError as error:
                if not is_busy(error) or attempt == MAX_ATTEMPTS:
                    reason = str(error.orig if error.orig is not None else error).splitlines()[0]
                    raise ThematicaError(f"the database refused the change ({reason}); nothing was saved") from None
                if self.on_busy is not None:
                    self.on_busy(attempt)
                time.sleep(RETRY_PAUSE_SECONDS * min(attempt, 5))
        raise AssertionError("unreachable")

    def _coder_id(self, session: object) -> int:
        if self.coder_id is None:
            return segment_store.coder_id_for_writing(session, self.coder)  # type: ignore[arg-type]
        return self.coder_id

    def _info(self, row: SegmentRow) -> SegmentInfo:
        segment_id, document_id, code_id, _, start, end, memo = row
        return SegmentInfo(segment_id, document_id, code_id, self.coder, start, end, memo)

    def _event(self, session: object, action: str, entity_id: int, **detail: object) -> int:
        event = audit.record(session, self.coder, action, "segment", entity_id, **detail)  # type: ignore[arg-type]
        session.flush()  # type: ignore[attr-defined]
        return int(event.id)

    def add(self, document_id: int, length: int, start: int, end: int, code_id: int, memo: str = "") -> Written | None:
        """Code ``[start, end)``; None (nothing written) when the coder already has exactly this segment."""
        if not 0 <= start < end <= length:
            raise ThematicaError(f"span [{start}, {end}) is not inside the document (length {length}) or is empty")

        def work() -> tuple[Written | None, int]:
            with self.project.transaction() as session:
                coder_id = self._coder_id(session)
                segment_id = segment_store.add_segment(session, document_id=document_id, coder_id=coder_id,
                                                       code_id=code_id, start=start, end=end, memo=memo)
                if segment_id is None:
                    return None, coder_id
                event = self._event(session, "segment.add", segment_id, document_id=document_id, code_id=code_id,
                                    start=start, end=end)
                info = SegmentInfo(segment_id, document_id, code_id, self.coder, start, end, memo)
                return Written(None, info, event), coder_id

        written, self.coder_id = self._retrying(work)
        return written

    def _own(self) -> int:
        if self.coder_id is None:
            raise ThematicaError("you have no segments yet")
        return self.coder_id

    def remove(self, segment_id: int) -> Written:
        coder_id = self._own()

        def work() -> Written:
            with self.project.transaction() as session:
                row = segment_store.delete_own_segment(session, segment_id, coder_id)
                if row is None:
                    raise ThematicaError(f"segment {segment_id} is not one of yours (or was removed)")
                info = self._info(row)
                event = self._event(session, "segment.remove", segment_id, document_id=info.document_id,
                                    code_id=info.code_id, start=info.start, end=info.end, memo=info.memo)
                return Written(info, None, event)

        return self._retrying(work)

    def _update(self, before: SegmentInfo, action: str, detail: dict[str, object], **values: object) -> Written:
        coder_id = self._own()

        def work() -> Written:
            with self.project.transaction() as session:
                row = segment_store.update_own_segment(session, before.id, coder_id, **values)
                if row is None:
                    raise ThematicaError(f"segment {before.id} is not one of yours (or was removed)")
                event = self._event(session, action, before.id, **detail)
                return Written(before, self._info(row), event)

        return self._retrying(work)

    def recode(self, before: SegmentInfo, code_id: int) -> Written:
        return self._update(before, "segment.recode", {"before": before.code_id, "after": code_id}, code_id=code_id)

    def set_memo(self, before: SegmentInfo, memo: str) -> Written:
        return self._update(before, "segment.memo", {"before": before.memo, "after": memo}, memo=memo)

    def set_status(self, document_id: int, status: str) -> int:
        """The coder's progress mark on a document; the audit event id."""
        if status not in DOCUMENT_STATUSES:
            raise ThematicaError(f"status must be one of {', '.join(DOCUMENT_STATUSES)}")

        def work() -> tuple[int, int]:
            with self.project.transaction() as session:
                coder_id = self._coder_id(session)
                segment_store.upsert_document_status(session, document_id, coder_id, status)
                event = audit.record(session, self.coder, "document.status", "document", document_id,
                                     coder=self.coder, status=status)
                session.flush()
                return int(event.id), coder_id

        event_id, self.coder_id = self._retrying(work)
        return event_id

    def set_memo_text(self, memo_id: int | None, document_id: int | None, title: str, text: str) -> tuple[int, int]:
        """The coder's memo on a document (``document_id``) or on the project (None): ``(memo id,
        audit event id)``; BEGIN, one INSERT or UPDATE, the audit event."""
        def work() -> tuple[int, int, int]:
            with self.project.transaction() as session:
                coder_id = self._coder_id(session)
                saved = document_store.save_memo(session, memo_id, coder_id, document_id, title, text)
                event = audit.record(session, self.coder, "memo.set", "memo", saved, document_id=document_id,
                                     length=len(text))
                session.flush()
                return saved, int(event.id), coder_id

        saved, event_id, self.coder_id = self._retrying(work)
        return saved, event_id

