"""Reloading only what another coder changed (a part of ``CodingSession``).

The change watch (``store.watch``) says that someone committed; the audit log
(``store.audit.events_since``) says what: when every event since the last look is a coding change
(a segment added, removed, re-coded, its memo or exemplar mark), only the counts of the codes those
events name (their details carry the code ids) and the open document's segments are read again,
and who is visible only when a coder not seen before wrote — four statements, none of which grows
with the project; another coder's status marks and memos are theirs alone, so they reload nothing.
Anything else — the codebook, documents, cases, themes, blind mode, a bulk import — reloads
everything, as before. The session's own writes are already in its view and are skipped (their
events are the coder's own, up to ``last_own_event``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace

from thematica.coding.views import DocumentView, ShownSegment
from thematica.store import codes as code_store
from thematica.store import audit
from thematica.store.project import Project

CODING_ACTIONS = frozenset({"segment.add", "segment.remove", "segment.recode", "segment.memo", "exemplar.mark",
                            "exemplar.unmark"})
"""Changes that touch segments only: the open document's segments and the counts are read again."""

PRIVATE_ACTIONS = frozenset({"document.status", "memo.set"})
"""Another coder's own marks and memos: nothing this coder sees changes."""


class ChangeReloads:
    """Mixed into ``CodingSession``, whose state this reads and updates."""

    project: Project
    coder: str
    coder_names: dict[int, str]
    visible: list[int] | None
    counts: dict[int, int]
    view: DocumentView | None
    last_own_event: int
    _coverage: list[tuple[int, int]] | None
    _lock: threading.RLock
    _seen_event: int | None = None  # the newest audit event reloaded (``load`` sets it)

    def refresh(self) -> None:
        raise NotImplementedError

    def visible_coders(self, session: object) -> list[int]:
        raise NotImplementedError

    def _segments_of(self, session: object, document_id: int) -> list[ShownSegment]:
        raise NotImplementedError

    def reload_changed(self) -> bool:
        """Reload what changed since the last look; True when something this coder sees was reloaded."""
        with self._lock:
            seen = self.last_own_event if self._seen_event is None else self._seen_event
            with self.project.reading() as session:  # one read: what happened and, if coding only, its result
                events = audit.events_since(session, seen)
                if events is not None and not events:
                    return False
                others = None if events is None else [
                    (actor, action, detail) for event_id, actor, action, detail in events
                    if not (actor == self.coder and event_id <= self.last_own_event)]
                if others is not None and all(action in PRIVATE_ACTIONS for _, action, _ in others):
                    self._seen_event = events[-1][0] if events else seen
                    return False
                coding_only = others is not None and all(action in CODING_ACTIONS | PRIVATE_ACTIONS
                                                         for _, action, _ in others)
                if coding_only and others is not None:
                    self._reload_coding(session, others)
            if not coding_only:
                self.refresh()
            self._seen_event = events[-1][0] if events else self.last_own_event  # None: refresh read it all
            return True

    def _reload_coding(self, session: object, events: list[tuple[str, str, str]]) -> None:
        """The counts of the codes the events name and the open document's segments, read again."""
        if any(actor not in self.coder_names.values() for actor, _, _ in events):
            self.visible = self.visible_coders(session)  # a new coder: visible now when not blind
        codes: set[int] = set()
        for _, action, detail in events:
            named = json.loads(detail) if detail else {}
            codes |= {int(named[key]) for key in ("code_id", "before", "after")
                      if action in ("segment.add", "segment.remove", "segment.recode")
                      and isinstance(named.get(key), int)}
        if codes:
            counted = code_store.segment_counts_by_code(session, self.visible, sorted(codes))  # type: ignore[arg-type]
            self.counts = {**{c: n for c, n in self.counts.items() if c not in codes}, **counted}
        if self.view is not None:
            self.view = replace(self.view, segments=self._segments_of(session, self.view.id))
            self._coverage = None
