"""A headless coding session: what one coder has open and selected, and what they may do to it.

The workbench's panes drive it and the tests drive it without Textual. It holds the current
document (text, units, the segments the coder may see), the selection and the unit kind, the
filter, the undo/redo history, the codebook with counts and each document's progress — all in
memory, so moving the cursor, filtering or following ``]``/``[`` sends no SQL at all.

Each coding action (apply, remove, re-code, memo, status) is one short transaction through
``coding.writes`` and the row it writes updates the state held here; nothing is re-read. Reads
never write: the coder is looked up, and created only by their first write. Whose segments the
coder may see is decided in one place, ``visible_coders``; another coder's change is noticed by
``poll`` (``PRAGMA data_version`` on SQLite), which reloads only then.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from thematica.coding import codebook
from thematica.coding.visibility import visible_coder_ids
from thematica.coding.codebook import CodeInfo, code_infos
from thematica.coding.history import (Applied, CodeCreated, CodeDeleted, CodeRenamed, CodeReparented, History,
                                      MemoEdited, Recoded, Removed)
from thematica.coding.queries import DocumentProgress
from thematica.coding.segments import SegmentInfo
from thematica.coding.session_codebook import CodebookActions
from thematica.coding.views import DocumentView, ShownSegment, code_colours, segments_per_code, shown_segment
from thematica.coding.visibility_rule import NOBODY
from thematica.coding.writes import Writer, Written
from thematica.errors import ThematicaError
from thematica.spans import union
from thematica.store import audit, cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store, segments as segment_store, trial_presence
from thematica.store.project import Project
from thematica.store.watch import ChangeWatch
from thematica.vocabulary import DocumentStatus, UnitKind

UNIT_KINDS = tuple(kind.value for kind in UnitKind)  # the order ``cycle_unit_kind`` steps through
STATUSES = tuple(status.value for status in DocumentStatus)  # the order ``cycle_status`` steps through
CODE_PATH_ACTIONS = frozenset(action.label for action in (CodeCreated, CodeRenamed, CodeDeleted, CodeReparented))
"""Undone or redone, these change code paths: the session reads its state again (``_after_history``)."""



@dataclass(frozen=True)
class SegmentFilter:
    """Which segments the transcript shows and ``]``/``[`` visit: one code (with its children), one
    coder, or only uncoded passages; the empty filter shows everything the coder may see."""

    code_ids: frozenset[int] | None = None
    coder: str | None = None
    uncoded: bool = False
    label: str = ""
    code_id: int | None = None  # the code chosen (``code_ids`` is it with its children, if ``children``)
    children: bool = True

    @property
    def active(self) -> bool:
        return self.code_ids is not None or self.coder is not None or self.uncoded

    @property
    def picks_segments(self) -> bool:
        """A code or coder filter: it shows the segments it ``admits`` and hides the others (the
        uncoded filter hides no segment; it picks the passages ``]``/``[`` visit)."""
        return self.active and not self.uncoded

    def admits(self, segment: ShownSegment) -> bool:
        return ((self.code_ids is None or segment.code_id in self.code_ids)
                and (self.coder is None or segment.coder == self.coder))

    def to_dict(self) -> dict[str, object]:
        return {"code_ids": None if self.code_ids is None else sorted(self.code_ids), "coder": self.coder,
                "uncoded": self.uncoded, "label": self.label, "code_id": self.code_id, "children": self.children}


@dataclass(frozen=True)
class PendingApply:
    """A code applied on screen before it is written: the provisional segment (a negative id, never
    a database id) in the document it belongs to. ``CodingSession.write_pending`` writes it."""

    document_id: int
    length: int
    segment: ShownSegment

    def to_dict(self) -> dict[str, object]:
        return {"document_id": self.document_id, "length": self.length, "segment": vars(self.segment)}


def _order(segment: ShownSegment) -> tuple[int, int, int]:
    return segment.start, segment.end, segment.id


class CodingSession(CodebookActions):
    """One coder's workbench state; thread-safe (the front end runs writes in worker threads)."""

    def __init__(self, project: Project, coder: str, *, on_busy: Callable[[int], None] | None = None) -> None:
        self.project, self.coder = project, coder
        self._lock = threading.RLock()
        self.coder_id: int | None = None
        self.coder_names: dict[int, str] = {}
        self.visible: list[int] | None = []
        self.codes: dict[int, CodeInfo] = {}
        self.colours: dict[int, str] = {}
        self.counts: dict[int, int] = {}
        self.documents: list[document_store.DocumentRow] = []
        self.statuses: dict[int, str] = {}
        self.own_spans: dict[int, list[tuple[int, int]]] = {}
        self.view: DocumentView | None = None
        self.unit_kind = "sentence"
        self.selection: tuple[int, int] = (0, 0)
        self.visiting: ShownSegment | None = None
        self.filter = SegmentFilter()
        self.filter_notice = ""  # why the filter was dropped (its code deleted or merged away), once
        self.history = History()
        self.writer = Writer(project, coder, None, on_busy)
        self.writer.note_hook = self._write_note
        self.notes: dict[int | None, tuple[int, str]] = {}  # the coder's memos: document id (None: project)
        self.last_own_event = 0
        self._cycle_anchor: tuple[tuple[int, int], int] | None = None
        self._watch = ChangeWatch(project.engine)
        self._coverage: list[tuple[int, int]] | None = None
        self._indexed: list[ShownSegment] | None = None
        self._unions: dict[int, list[tuple[int, int]]] = {}
        self._segment_starts: list[int] = []
        self._longest = 0
        self._unit_starts: dict[str, tuple[list[tuple[int, int, str | None]], list[int]]] = {}
        self._trial: bool | None = None
        self._provisional = 0  # the last provisional segment's id (negative: never a database id)
        self._pending: dict[int, PendingApply] = {}
        self._rows_of: list[document_store.DocumentRow] | None = None
        self._code_counts_of: list[ShownSegment] | None = None
        self._document_counts: dict[int, int] = {}
        self._rows: dict[int, document_store.DocumentRow] = {}

    # ---- reading --------------------------------------------------------------------------
    def visible_coders(self, session: object) -> list[int]:
        """Coder ids whose segments this coder may see (``coding.visibility``). The one place the
        visibility rule is asked; a coder not yet created sees only their (no) segments when blind."""
        return sorted(visible_coder_ids(session, self.coder_id if self.coder_id is not None else NOBODY))

    def load(self, *, totals: bool = True) -> None:
        """Codebook, documents and status marks in one read transaction (about ten statements);
        with ``totals`` also the counts per code and the coded share of every document, which
        read every segment of the project — a front end loads those after its first frame
        (``load_totals``), so start-up does not grow with the project."""
        with self._lock, self.project.reading() as session:
            coder = coder_store.coder_by_name(session, self.coder)
            self.coder_id = None if coder is None else coder.id
            self.writer.coder_id = self.coder_id
            self._load_shared(session, totals=totals)
            self.documents = document_store.document_rows(session)
            self.last_own_event = self._seen_event = audit.last_event_id(session)
        self._watch.changed()  # takes the first reading

    def load_totals(self) -> None:
        with self._lock, self.project.reading() as session:
            self._load_totals(session)
            self._keep_pending()

    def _load_shared(self, session: object, *, totals: bool = True) -> None:
        self.coder_names = {c.id: c.name for c in coder_store.all_coders(session)}  # type: ignore[arg-type]
        self.visible = self.visible_coders(session)
        self._set_codes(code_infos(session))
        self.statuses = ({} if self.coder_id is None else
                         segment_store.document_statuses(session, self.coder_id))  # type: ignore[arg-type]
        if totals:
            self._load_totals(session)

    def _load_totals(self, session: object) -> None:
        self.counts = code_store.segment_counts_by_code(session, self.visible)  # type: ignore[arg-type]
        self.own_spans = ({} if self.coder_id is None else
                          segment_store.spans_by_document(session, self.coder_id))  # type: ignore[arg-type]
        self._unions = {}

    def _set_codes(self, infos: list[CodeInfo]) -> None:
        self.codes = {info.id: info for info in infos}
        self.colours = code_colours(infos)
        self._follow_codes()

    def _follow_codes(self, renumbered: dict[int, int] | None = None) -> None:
        """Keep a code filter on the codebook as it is now: its code under its new id when an undo
        restored it (``renumbered``), its family taken again (a child created, moved, merged away or
        restored), or dropped — saying so in ``filter_notice`` — when its code is gone."""
        chosen = self.filter.code_id
        if chosen is None:
            return
        chosen = (renumbered or {}).get(chosen, chosen)
        if chosen not in self.codes:
            self.filter_notice = f"filter dropped: {self.filter.label} is no longer in the codebook"
            self.filter = SegmentFilter()
            return
        self.filter_by_code(chosen, children=self.filter.children)

    def _shown(self, row: segment_store.SegmentRow) -> ShownSegment:
        return shown_segment(row, self.codes, self.colours, self.coder_names)

    def _segments_of(self, session: object, document_id: int) -> list[ShownSegment]:
        rows = segment_store.segment_tuples_of_document(session, document_id, self.visible)  # type: ignore[arg-type]
        if any(row[3] not in self.coder_names for row in rows):  # a coder created since we looked
            self.coder_names = {c.id: c.name for c in coder_store.all_coders(session)}  # type: ignore[arg-type]
        return [self._shown(row) for row in rows]  # the query's order: start, end, id

    def open_document(self, document_id: int) -> DocumentView:
        """Text, units, case attributes and visible segments of a document (four statements)."""
        with self._lock, self.project.reading() as session:
            found = document_store.document_row(session, document_id)
            if found is None:
                raise ThematicaError(f"no document with id {document_id}")
            (identifier, name, case, _, _), case_id, text = found
            units = document_store.units_by_kind(session, document_id)
            attributes = ([(attribute.name, value) for attribute, value in case_store.case_values(session, case_id)]
                          if case_id is not None else [])
            segments = self._segments_of(session, document_id)
            notes = ({} if self.coder_id is None else
                     document_store.coder_memos(session, self.coder_id, document_id))
        view = DocumentView(identifier, name, text, case, attributes, units, segments)
        with self._lock:
            self.view, self.visiting, self._coverage = view, None, None
            self.notes = notes
            self.selection = (0, 0)
            self.select_unit(0)
        return view

    def poll(self) -> bool:
        """Reload what someone else committed since the last look; True when something was reloaded.

        ``PRAGMA data_version`` moves for our own commits too: those are recognised in the audit
        log as our own events, and nothing is reloaded for them."""
        if not self._watch.changed():
            return False
        return self.reload_changed()  # only what changed (``session_changes``)

    def refresh(self) -> None:
        """Everything but texts and units again: another coder, a codebook edit, blind mode switched."""
        self._trial = None
        with self._lock, self.project.reading() as session:
            if self.coder_id is None:
                coder = coder_store.coder_by_name(session, self.coder)
                self.coder_id = self.writer.coder_id = None if coder is None else coder.id
            self._load_shared(session)
            self.documents = document_store.document_rows(session)
            if self.view is not None:
                self.view = replace(self.view, segments=self._segments_of(session, self.view.id))
                self._coverage = None
            self.last_own_event = audit.last_event_id(session)
            self._keep_pending()

    def close(self) -> None:
        self._watch.close()

    def has_trial_data(self) -> bool:
        """Whether the project holds trial data (asked once; the case pane shows trial values then)."""
        if self._trial is None:
            with self.project.reading() as session:
                self._trial = trial_presence.has_trial_data(session)
        return self._trial

    # ---- what the panes show ------------------------------------------------------------
    @property
    def units(self) -> list[tuple[int, int, str | None]]:
        return self.view.units.get(self.unit_kind, []) if self.view else []

    def shown_segments(self) -> list[ShownSegment]:
        """The current document's segments that pass the filter, in reading order."""
        if self.view is None:
            return []
        if not self.filter.picks_segments:
            return self.view.segments
        return [s for s in self.view.segments if self.filter.admits(s)]

    def segments_here(self, *, everything: bool = False) -> list[ShownSegment]:
        """Shown segments touching the selection (with ``everything`` also those the filter hides),
        found by binary search on their starts."""
        if self.view is None:
            return []
        segments = self.view.segments
        if self._indexed is not segments:
            self._indexed = segments
            self._segment_starts = [s.start for s in segments]
            self._longest = max((s.end - s.start for s in segments), default=0)
        start, end = self.selection
        first = bisect.bisect_left(self._segment_starts, start - self._longest)
        last = bisect.bisect_left(self._segment_starts, max(end, start + 1))
        admitted = self.filter.admits if self.filter.picks_segments and not everything else None
        return [s for s in segments[first:last]
                if s.start < end and s.end > start and (admitted is None or admitted(s))]

    def own_segments_here(self, *, everything: bool = False) -> list[ShownSegment]:
        """The coder's own segments touching the selection, the innermost (shortest, newest) first
        (with ``everything`` also those the filter hides)."""
        mine = [s for s in self.segments_here(everything=everything) if s.coder == self.coder]
        if self.visiting is not None and self.visiting.coder == self.coder and any(
                s.id == self.visiting.id for s in mine):
            mine.sort(key=lambda s: (s.id != self.visiting.id if self.visiting else True, s.end - s.start, -s.id))
        else:
            mine.sort(key=lambda s: (s.end - s.start, -s.id))
        return mine

    def code_here(self) -> CodeInfo | None:
        """The code under the cursor: the coder's innermost segment's, else any visible one's."""
        here = self.own_segments_here() or self.segments_here()
        return self.codes.get(here[0].code_id) if here else None

    def code_counts(self) -> dict[int, int]:
        """Segments per code the coder may see, in all documents."""
        return dict(self.counts)

    def document_code_counts(self) -> dict[int, int]:
        """Segments per code in the open document (kept up to date by each coding action)."""
        segments = self.view.segments if self.view else []
        if self._code_counts_of is not segments:
            self._code_counts_of, self._document_counts = segments, segments_per_code(segments)
        return dict(self._document_counts)

    def progress(self) -> list[DocumentProgress]:
        """Per document: the coder's share of characters coded and their status mark (no SQL)."""
        return [self.document_progress(row) for row in self.documents]

    def _union_of(self, document_id: int) -> list[tuple[int, int]]:
        union_spans = self._unions.get(document_id)
        if union_spans is None and not self.own_spans.get(document_id):
            union_spans = self._unions[document_id] = []  # nothing coded (most survey answers): no union to take
            return union_spans
        if union_spans is None:
            union_spans = self._unions[document_id] = [(span.start, span.end) for span in
                                                       union(self.own_spans.get(document_id, []))]
        return union_spans

    def _cover(self, document_id: int, start: int, end: int) -> None:
        """Merge ``[start, end)`` into the document's cached union of the coder's spans (a coding
        action on a document with thousands of segments must not recompute the union)."""
        spans = self._unions.get(document_id)
        if spans is None:
            return
        first = bisect.bisect_left(spans, (start, start))
        if first > 0 and spans[first - 1][1] >= start:
            first -= 1
        last = first
        while last < len(spans) and spans[last][0] <= end:
            start, end = min(start, spans[last][0]), max(end, spans[last][1])
            last += 1
        spans[first:last] = [(start, end)]

    def document_row(self, document_id: int) -> document_store.DocumentRow | None:
        """The listed document's row, by id (an index kept beside ``documents``, no scan)."""
        if self._rows_of is not self.documents:
            self._rows_of = self.documents
            self._rows = {row[0]: row for row in self.documents}
        return self._rows.get(document_id)

    def document_progress(self, row: document_store.DocumentRow) -> DocumentProgress:
        identifier, name, case, words, length = row
        covered = sum(end - start for start, end in self._union_of(identifier))
        share = covered / length if length else 0.0
        return DocumentProgress(identifier, name, case, words, share, self.statuses.get(identifier, "not_started"))

    def status(self) -> str:
        return self.statuses.get(self.view.id, "not_started") if self.view else "not_started"

    # ---- selection (no SQL) -------------------------------------------------------------------
    def unit_span(self, unit: tuple[int, int, str | None]) -> tuple[int, int]:
        """A unit's span to select: a turn (or a paragraph that starts one) without its ``R:`` label."""
        start, end, speaker = unit
        if self.view is not None and speaker and self.unit_kind != "sentence":
            colon = self.view.text.find(":", start, min(end, start + len(speaker) + 2))
            if colon >= 0:
                start = colon + 1
                while start < end and self.view.text[start].isspace():
                    start += 1
        return (start, end) if start < end else (unit[0], end)

    def select(self, start: int, end: int, *, visiting: ShownSegment | None = None) -> None:
        with self._lock:
            self.selection = (start, end)
            self.visiting = visiting
            self._cycle_anchor = None

    def select_unit(self, index: int) -> None:
        units = self.units
        if not units:
            return
        index = max(0, min(index, len(units) - 1))
        self.select(*self.unit_span(units[index]))

    def unit_at(self, offset: int) -> int:
        units = self.units
        cached = self._unit_starts.get(self.unit_kind)
        if cached is None or cached[0] is not units:
            cached = self._unit_starts[self.unit_kind] = (units, [start for start, _, _ in units])
        return max(0, bisect.bisect_right(cached[1], offset) - 1)

    def next_unit(self) -> None:
        self.select_unit(self.unit_at(self.selection[1] - 1) + 1)

    def previous_unit(self) -> None:
        self.select_unit(self.unit_at(self.selection[0]) - 1)

    def extend_down(self) -> None:
        following = self.unit_at(self.selection[1] - 1) + 1
        if following < len(self.units):
            self.select(self.selection[0], self.units[following][1])

    def extend_up(self) -> None:
        last = self.unit_at(self.selection[1] - 1)
        if last > self.unit_at(self.selection[0]):
            self.select(self.selection[0], self.units[last - 1][1])

    def nudge(self, which: int, step: int) -> None:
        """Move the selection's start (``which`` 0) or end (1) by ``step`` characters."""
        if self.view is None:
            return
        start, end = self.selection
        if which == 0:
            start = max(0, min(start + step, end - 1))
        else:
            end = min(len(self.view.text), max(end + step, start + 1))
        self.select(start, end)

    def cycle_unit_kind(self) -> str:
        """sentence → turn → paragraph → sentence; cycling all the way returns to the same place."""
        anchor = self._cycle_anchor
        origin = anchor[1] if anchor is not None and anchor[0] == self.selection else self.selection[0]
        self.unit_kind = UNIT_KINDS[(UNIT_KINDS.index(self.unit_kind) + 1) % len(UNIT_KINDS)]
        if self.units:
            index = self.unit_at(origin)
            unit = self.units[index]
            if not unit[0] <= origin < unit[1] and index + 1 < len(self.units):
                index += 1
            self.select_unit(index)
        self._cycle_anchor = (self.selection, origin)
        return self.unit_kind

    # ---- filters and ]/[ --------------------------------------------------------------------
    def code_family(self, code_id: int) -> frozenset[int]:
        """A code and all its descendants."""
        path = self.codes[code_id].path
        return frozenset(info.id for info in self.codes.values()
                         if info.id == code_id or info.path.startswith(path + codebook.PATH_SEPARATOR))

    def filter_by_code(self, code_id: int | None, *, children: bool = True) -> SegmentFilter:
        if code_id is None:
            self.filter = SegmentFilter()
        else:
            ids = self.code_family(code_id) if children else frozenset({code_id})
            self.filter = SegmentFilter(code_ids=ids, label=self.codes[code_id].name, code_id=code_id,
                                        children=children)
        return self.filter

    def filter_by_coder(self, coder: str | None) -> SegmentFilter:
        """Only one coder's segments — among those the visibility rule lets this coder see."""
        if coder is not None and self.visible is not None and coder not in {
                self.coder_names.get(i) for i in self.visible}:
            raise ThematicaError(f"the segments of {coder!r} are not visible to you")
        self.filter = SegmentFilter() if coder is None else SegmentFilter(coder=coder, label=f"coder {coder}")
        return self.filter

    def filter_uncoded(self) -> SegmentFilter:
        self.filter = SegmentFilter(uncoded=True, label="uncoded passages")
        return self.filter

    def clear_filter(self) -> None:
        self.filter = SegmentFilter()

    def take_filter_notice(self) -> str:
        """Why the filter was dropped since the last call ("" when it was not)."""
        notice, self.filter_notice = self.filter_notice, ""
        return notice

    def _covered(self, start: int, end: int) -> bool:
        if self._coverage is None:
            self._coverage = [(span.start, span.end) for span in union(
                (s.start, s.end) for s in (self.view.segments if self.view else []))]
        index = bisect.bisect_right(self._coverage, (end, end)) - 1
        while index >= 0 and self._coverage[index][1] > start:
            if self._coverage[index][0] < end:
                return True
            index -= 1
        return False

    def document_match(self, direction: int) -> tuple[int, int] | None:
        """With a code or coder filter: the nearest document after (``direction`` +1) or before (-1)
        the open one, in the document list's order, holding a segment that passes the filter — and
        that segment's id, its first going on, its last going back. One read; None when none has."""
        flt = self.filter
        if self.view is None or not flt.picks_segments:
            return None
        coders = self.visible
        if flt.coder is not None:
            coders = [i for i, name in self.coder_names.items() if name == flt.coder]
        codes = sorted(flt.code_ids) if flt.code_ids is not None else list(self.codes)
        with self._lock, self.project.reading() as session:
            rows = segment_store.segment_rows_of_codes(session, codes, coders)
        order = {row[0]: index for index, row in enumerate(self.documents)}
        here = order.get(self.view.id, -1)
        places = [(order[row[1]], (row[4], row[5], row[0])) for row in rows
                  if row[1] in order and (order[row[1]] - here) * direction > 0]
        if not places:
            return None
        index, (_, _, segment_id) = min(places) if direction > 0 else max(places)
        return self.documents[index][0], segment_id

    def visit_segment(self, segment_id: int) -> bool:
        """Select a segment of the open document by id (False when it is not there)."""
        found = next((s for s in (self.view.segments if self.view else []) if s.id == segment_id), None)
        if found is None:
            return False
        self.select(found.start, found.end, visiting=found)
        return True

    def next_segment(self) -> bool:
        """Visit the next segment passing the filter (each of several at one offset in turn), or
        with the uncoded filter the next unit no visible segment touches; False at the end."""
        return self._step(+1)

    def previous_segment(self) -> bool:
        return self._step(-1)

    def _step(self, direction: int) -> bool:
        if self.view is None:
            return False
        if self.filter.uncoded:
            index = self.unit_at(self.selection[0] if direction < 0 else self.selection[1] - 1) + direction
            while 0 <= index < len(self.units):
                span = self.unit_span(self.units[index])
                if not self._covered(*span):
                    self.select(*span)
                    return True
                index += direction
            return False
        segments = self.shown_segments()
        start, end = self.selection
        if self.visiting is not None and (self.visiting.start, self.visiting.end) == (start, end):
            key = _order(self.visiting)
        else:
            big = 1 << 62
            key = (start, big, big) if direction > 0 else (start, -1, -1)
        keys = [_order(s) for s in segments]
        if direction > 0:
            position = bisect.bisect_right(keys, key)
            if position >= len(segments):
                return False
        else:
            position = bisect.bisect_left(keys, key) - 1
            if position < 0:
                return False
        target = segments[position]
        self.select(target.start, target.end, visiting=target)
        return True

    # ---- actions: each one transaction -----------------------------------------------------------
    def _absorb(self, written: Written | None) -> None:
        """Take what a write returned into the state: view, counts, progress."""
        if written is None:
            return
        with self._lock:
            if self._took_write(written):
                return
            before, after = written.before, written.after
            for info, sign in ((before, -1), (after, +1)):
                if info is None:
                    continue
                self.counts[info.code_id] = max(0, self.counts.get(info.code_id, 0) + sign)
                self._own_span(info.document_id, info.start, info.end, sign)
            if self.view is not None:
                segments = list(self.view.segments)
                if before is not None and before.document_id == self.view.id:
                    segments = [s for s in segments if s.id != before.id]
                if after is not None and after.document_id == self.view.id:
                    shown = self._shown_written(after)
                    bisect.insort(segments, shown, key=_order)
                    if self.visiting is not None and self.visiting.id == after.id:
                        self.visiting = shown
                self.view = replace(self.view, segments=segments)
                self._coverage = None

    def _took_write(self, written: Written) -> bool:
        """Note a write of this session's: its audit event is our own, and the coder it may have
        created is ours. True when it did create them, and the state was read again (``refresh``):
        who sees what may have changed (blind mode), so nothing is patched in."""
        self.last_own_event = max(self.last_own_event, written.event_id)
        created = self.coder_id is None and self.writer.coder_id is not None
        self.coder_id = self.writer.coder_id
        if created:
            self.refresh()
        return created

    def _shown_written(self, info: SegmentInfo) -> ShownSegment:
        """A segment this coder just wrote, as the transcript shows it."""
        return self._shown((info.id, info.document_id, info.code_id, self.coder_id or NOBODY, info.start, info.end,
                            info.memo))

    def _own_span(self, document_id: int, start: int, end: int, sign: int) -> None:
        """Add (``sign`` +1) or take back (-1) one of the coder's spans for the coded share."""
        spans = self.own_spans.setdefault(document_id, [])
        if sign > 0:
            spans.append((start, end))
            self._cover(document_id, start, end)
        else:
            if (start, end) in spans:
                spans.remove((start, end))
            self._unions.pop(document_id, None)

    def _require_selection(self) -> tuple[int, int, int, int]:
        if self.view is None:
            raise ThematicaError("open a document first")
        start, end = self.selection
        if start >= end:
            raise ThematicaError("select a passage first")
        return self.view.id, len(self.view.text), start, end

    def _apply_span(self, code_id: int, span: tuple[int, int] | None) -> tuple[int, int, int, int]:
        """(document id, length, start, end) that an apply of ``code_id`` would code: the selection, or ``span``."""
        document_id, length, start, end = self._require_selection()
        if span is not None:
            start, end = span
        if code_id not in self.codes:
            raise ThematicaError(f"no code with id {code_id}")
        return document_id, length, start, end

    def apply(self, code_id: int, span: tuple[int, int] | None = None) -> ShownSegment | None:
        """Code the selection (or ``span``); None when the coder already had exactly this segment,
        in which case nothing is written and nothing goes onto the undo stack."""
        with self._lock:
            document_id, length, start, end = self._apply_span(code_id, span)
            written = self.writer.add(document_id, length, start, end, code_id)
            if written is None or written.after is None:
                return None
            self.history.record(Applied(written.after))
            self._absorb(written)
            return next((s for s in self.view.segments if s.id == written.after.id), None) if self.view else None

    def show_apply(self, code_id: int, span: tuple[int, int] | None = None) -> PendingApply | None:
        """Apply a code in memory only, so a front end can draw the result before the database has
        it: a provisional segment joins the view, the count and the coded share. None when the
        coder already has exactly this segment here (nothing to write). ``write_pending`` then
        writes it in one transaction and puts the written row in its place, or takes it back."""
        with self._lock:
            document_id, length, start, end = self._apply_span(code_id, span)
            if not 0 <= start < end <= length:
                raise ThematicaError(f"span [{start}, {end}) is not inside the document (length {length}) or is empty")
            assert self.view is not None
            if any(s.code_id == code_id and s.coder == self.coder for s in self._at_span(start, end)):
                return None
            self._provisional -= 1
            shown = ShownSegment(self._provisional, start, end, code_id, self.codes[code_id].path,
                                 self.colours.get(code_id, "#808080"), self.coder, "")
            pending = PendingApply(document_id, length, shown)
            self._pending[shown.id] = pending
            self._count(pending, +1)
            return pending

    def _count(self, pending: PendingApply, sign: int) -> None:
        """Add (``sign`` +1) or take back (-1) a provisional segment: view, count per code, coded share."""
        segment, document_id = pending.segment, pending.document_id
        self.counts[segment.code_id] = max(0, self.counts.get(segment.code_id, 0) + sign)
        self._own_span(document_id, segment.start, segment.end, sign)
        if self.view is not None and self.view.id == document_id:
            self._replace_in_view(segment, segment if sign > 0 else None)

    def _at_span(self, start: int, end: int) -> list[ShownSegment]:
        """The open document's segments of exactly ``[start, end)`` (binary search: segments are
        held in (start, end, id) order)."""
        segments = self.view.segments if self.view else []
        first = bisect.bisect_left(segments, (start, end, -(1 << 62)), key=_order)
        found = []
        while first < len(segments) and (segments[first].start, segments[first].end) == (start, end):
            found.append(segments[first])
            first += 1
        return found

    def _replace_in_view(self, old: ShownSegment, new: ShownSegment | None) -> None:
        """Take ``old`` out of the open document's segments (if there) and put ``new`` in, each by
        binary search, so a coding action costs the same with 50 or 5,000 segments."""
        assert self.view is not None
        before = self.view.segments
        segments = list(before)
        indexed = self._indexed is before  # the indexes kept for segments_here and the counts follow
        counted = self._code_counts_of is before
        index = bisect.bisect_left(segments, _order(old), key=_order)
        if index < len(segments) and segments[index].id == old.id:
            del segments[index]
            if indexed:
                del self._segment_starts[index]
            if counted:
                self._document_counts[old.code_id] = self._document_counts.get(old.code_id, 1) - 1
        if new is not None:
            index = bisect.bisect_left(segments, _order(new), key=_order)
            segments.insert(index, new)
            if indexed:
                self._segment_starts.insert(index, new.start)
                self._longest = max(self._longest, new.end - new.start)  # an upper bound is enough
            if counted:
                self._document_counts[new.code_id] = self._document_counts.get(new.code_id, 0) + 1
        self.view = replace(self.view, segments=segments)
        if indexed:
            self._indexed = segments
        if counted:
            self._code_counts_of = segments
        self._coverage = None

    def _withdraw(self, pending: PendingApply) -> None:
        if self._pending.pop(pending.segment.id, None) is not None:
            self._count(pending, -1)

    def _keep_pending(self) -> None:
        """After a reload: the provisional segments not yet written are shown and counted again."""
        for pending in self._pending.values():
            self._count(pending, +1)

    def write_pending(self, pending: PendingApply) -> ShownSegment | None:
        """Write a code shown by ``show_apply`` (one transaction, without holding the session's lock
        while the database works); the written segment replaces the provisional one. None when the
        database already had it. When the write is refused the provisional segment is taken back
        and the ``ThematicaError`` raised, so the front end can show the revert and say why."""
        segment = pending.segment
        try:
            written = self.writer.add(pending.document_id, pending.length, segment.start, segment.end,
                                      segment.code_id)
        except ThematicaError:
            with self._lock:
                self._withdraw(pending)
            raise
        with self._lock:
            if written is None or written.after is None:
                self._withdraw(pending)
                return None
            self.history.record(Applied(written.after))
            self._pending.pop(segment.id, None)
            if self._took_write(written):
                return None
            # the written row takes the provisional segment's place: the count, the coded share and
            # the union of spans already include it
            if self.view is None or self.view.id != pending.document_id:
                return None
            shown = self._shown_written(written.after)
            self._replace_in_view(segment, shown)
            return shown

    def _target(self, segment_id: int | None) -> ShownSegment:
        if segment_id is not None:
            found = next((s for s in (self.view.segments if self.view else []) if s.id == segment_id), None)
        else:
            here = self.own_segments_here()
            found = here[0] if here else None
        if found is None or found.coder != self.coder:
            raise ThematicaError("none of your segments here")
        return found

    def _info(self, segment: ShownSegment) -> SegmentInfo:
        assert self.view is not None
        return SegmentInfo(segment.id, self.view.id, segment.code_id, self.coder, segment.start, segment.end,
                           segment.memo)

    def remove(self, segment_id: int | None = None) -> ShownSegment:
        with self._lock:
            target = self._target(segment_id)
            written = self.writer.remove(target.id)
            assert written.before is not None
            self.history.record(Removed(written.before))
            self._absorb(written)
            if self.visiting is not None and self.visiting.id == target.id:
                self.visiting = None
            return target

    def recode(self, code_id: int, segment_id: int | None = None) -> ShownSegment:
        with self._lock:
            target = self._target(segment_id)
            if code_id not in self.codes:
                raise ThematicaError(f"no code with id {code_id}")
            written = self.writer.recode(self._info(target), code_id)
            assert written.after is not None
            self.history.record(Recoded(written.after, target.code_id, code_id))
            self._absorb(written)
            return target

    def set_memo(self, memo: str, segment_id: int | None = None) -> ShownSegment:
        with self._lock:
            target = self._target(segment_id)
            written = self.writer.set_memo(self._info(target), memo)
            assert written.after is not None
            self.history.record(MemoEdited(written.after, target.memo, memo))
            self._absorb(written)
            return target

    def cycle_status(self) -> str:
        """not started → in progress → done → not started for the open document."""
        with self._lock:
            if self.view is None:
                raise ThematicaError("open a document first")
            status = STATUSES[(STATUSES.index(self.status()) + 1) % len(STATUSES)]
            self.last_own_event = self.writer.set_status(self.view.id, status)
            self.coder_id = self.writer.coder_id
            self.statuses[self.view.id] = status
            return status

    def undo(self) -> str | None:
        """Undo the newest action; its label, or None when there is nothing to undo."""
        with self._lock:
            outcome = self.history.undo(self.writer)
            return self._after_history(outcome)

    def redo(self) -> str | None:
        with self._lock:
            outcome = self.history.redo(self.writer)
            return self._after_history(outcome)

    @property
    def renumbered_codes(self) -> dict[int, int]:
        """``{old id: new id}`` of the codes the last undo or redo restored (the history keeps it)."""
        return dict(self.history.last_renumbered.codes)

    def _after_history(self, outcome: tuple[str, Written | None] | None) -> str | None:
        if outcome is None:
            return None
        label, written = outcome
        self._follow_codes(self.renumbered_codes)
        if written is None and label in CODE_PATH_ACTIONS:
            self.refresh()  # a codebook action: code paths changed
        self._absorb(written)
        return label
