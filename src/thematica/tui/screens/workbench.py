"""The coding workbench screen: it composes the panes and routes their messages to the session.

The panes (``DocumentList``, ``CodeTree``, ``TranscriptView``, ``DetailPane``, ``CasePane``)
only draw and post typed messages; the headless ``CodingSession`` holds the state and does the
work. The selection and the open document are reactive: the panes that show them are redrawn by
the watchers. Database work runs in thread workers that post their outcome back, so a key press
never waits on the database to draw; a write that meets a busy database says so in the status line
and is retried. No worker ends the workbench with a traceback: the write worker and the session's
opening catch every error, the read workers (``READ_WORKERS``) report an unexpected one in one line.
"""

from __future__ import annotations

import gc
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerState

from thematica.coding.first_look import FirstLook
from thematica.coding.views import CodeInfo, ShownSegment
from thematica.errors import ThematicaError
from thematica.tui.dialogs.lists import HelpScreen, RetrievalScreen, SearchScreen
from thematica.tui.dialogs.prompts import ChoicePicker, CodePicker, TextPrompt
from thematica.tui.keymap import active_keys, workbench_bindings
from thematica.tui.settings import load_layout, save_layout
from thematica.tui.widgets.code_tree import CodeTree
from thematica.tui.widgets.document_list import DocumentList
from thematica.tui.widgets.info_panes import CasePane, DetailPane
from thematica.tui.widgets.key_footer import KeyFooter
from thematica.tui.widgets.transcript import TranscriptView
from thematica.tui.option_ids import option_number
from thematica.vocabulary import DocumentStatus, UnitKind

if TYPE_CHECKING:  # SQLAlchemy: imported after the first frame when the screen starts from a first look
    from thematica.coding.session import CodingSession
    from thematica.store.project import Project

IN_VIVO_LENGTH = 60
READY_FALLBACK_SECONDS = 0.5  # open the session after this long even if the app's Ready never came
POLL_SECONDS = 0.5  # how often the workbench asks whether anyone else committed (PRAGMA data_version)
BUSY_NOTICE_SECONDS = 0.3  # a write still running after this long says so in the status line
READ_WORKERS = {"totals": "counting the codings", "trial": "reading the trial values",
                "poll": "looking for other coders' changes", "open": "opening the document",
                "retrieve": "retrieving the codings"}
"""The read workers (``exit_on_error=False``): an error they do not expect is one line in the status
line (``_read_failed``), never a traceback that ends the workbench."""
TREE_WIDTHS = (16, 80)
MARGIN_WIDTHS = (0, 80)


@dataclass(frozen=True)
class Confirmed:
    """A write that confirmed what the screen already shows: the provisional segments it replaced
    and the written ones (none: the database had it already)."""

    notice: str | None
    removed: list[ShownSegment]
    added: list[ShownSegment]

    def to_dict(self) -> dict[str, object]:
        return {"notice": self.notice, "removed": [vars(s) for s in self.removed],
                "added": [vars(s) for s in self.added]}


class WorkbenchScreen(Screen[None]):
    BINDINGS = workbench_bindings()
    CSS_PATH = "../workbench.tcss"
    _tree_nodes: dict[int | None, TreeNode[CodeInfo]]

    # shared state: ``var`` (no repaint of the whole screen); the watchers redraw only the panes concerned
    selection: var[tuple[int, int]] = var((0, 0), init=False)
    document_id: var[int | None] = var(None, init=False)
    saving: var[str] = var("", init=False)

    class Saved(Message):
        """A write finished: ``notice`` to show (None: nothing to say), ``error`` when refused;
        ``change`` (segments gone, segments come) when the write only confirmed what is shown."""

        def __init__(self, notice: str | None, error: str | None = None,
                     change: tuple[list[ShownSegment], list[ShownSegment]] | None = None) -> None:
            super().__init__()
            self.notice, self.error, self.change = notice, error, change

    class Reloaded(Message):
        """Someone else changed the project and the session has reloaded."""

    class TotalsLoaded(Message):
        """The counts per code and the coded shares arrived (after the first frame)."""

    project: Project
    session: CodingSession

    def __init__(self, project: Project | None, coder: str, *, first: FirstLook | None = None,
                 location: str | None = None, on_open: Callable[[Project], None] | None = None,
                 on_failure: Callable[[str], None] | None = None) -> None:
        """Open on ``project``; or, with ``first`` (``coding.first_look``) and the project's
        ``location``, draw the first frame from it and open the project and the session after it
        (``on_open`` is handed the project then: its owner closes it; ``on_failure`` the one line
        saying why it could not be opened)."""
        super().__init__()
        self._on_open, self._on_failure = on_open, on_failure
        self.coder, self.first_look = coder, first
        self.location = project.location if project is not None else str(location)
        self.session_open = False  # the session is open: until then keys, clicks and panes wait for it
        self._opening = False
        if project is not None:
            self._take_project(project)
        self.keys = active_keys()
        self.PALETTE_KEYS = [(k.keys, k.action, k.description, bool(k.footer)) for k in self.keys]
        self.extend_mode = False
        self.case_filter: tuple[str, set[str]] | None = None
        self.layout_widths = load_layout(coder)
        self.detail_forced: bool | None = None
        self.notice = ""   # what the last action did, in the status line
        self.failed = ""   # why the last write was refused, in the status line until the next one
        self._status_shown: Text | None = None
        self._writes: deque[Callable[[], str | None | Confirmed]] = deque()
        self._writes_lock = threading.Lock()
        self._writing = False
        self._queued = self._done = 0  # actions queued and written, to tell which one keeps waiting

    # ---- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="left"):
                yield DocumentList(id="documents")
                yield CodeTree(id="codes")
            with Vertical(id="centre"):
                yield TranscriptView(id="transcript")
                yield Static(id="status")
            with Vertical(id="right"):
                yield DetailPane(id="detail")
                yield CasePane(id="case")
        yield KeyFooter(self.keys, id="footer")

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def code_tree(self) -> CodeTree:
        return self.query_one(CodeTree)

    @property
    def document_list(self) -> DocumentList:
        return self.query_one(DocumentList)

    def _take_project(self, project: Project) -> None:
        from thematica.coding.session import CodingSession

        self.project = project
        self.session = CodingSession(project, self.coder, on_busy=self._busy_from_worker)
        self.session_open = True

    def on_mount(self) -> None:
        self.title = f"Thematica — {self.coder}"
        self.sub_title = self.location.rsplit("/", 1)[-1]
        if "tree" in self.layout_widths:
            self.query_one("#left").styles.width = self.layout_widths["tree"]
        self.transcript.own_coder = self.coder
        if "margin" in self.layout_widths:
            self.transcript.requested_margin = self.layout_widths["margin"]
        self.on_resize()  # decide the panes first, so the transcript is wrapped once, at its final width
        if not self.session_open and self.first_look is not None:
            self._show_first_look(self.first_look)
            # The project opens once the first frame is on the terminal (the app's Ready event calls
            # ``open_session``): a worker importing SQLAlchemy earlier would take the interpreter
            # from the thread that draws it. Should Ready have come before this screen, a timer does.
            self.set_timer(READY_FALLBACK_SECONDS, self.open_session)
        else:
            self._start_session()

    def _show_first_look(self, look: FirstLook) -> None:
        """The first frame, from what ``coding.first_look`` read: the transcript with its stripes and
        the selection, the code tree; the session that owns them opens right after this frame."""
        if look.view is not None:
            self.transcript.show(look.view)
            self.transcript.select(*look.selection)
        self.code_tree.show_codes(look.codes, look.colours, look.document_code_counts(), {})
        name = look.view.name if look.view else ""
        self.query_one("#status", Static).update(Text.assemble((f" {name} ", "bold reverse"), " opening the project…"))
        self.transcript.focus()

    def open_session(self) -> None:
        """Open the project and the session behind a first frame drawn from the first look (once)."""
        if self.session_open or self._opening or self.first_look is None:
            return
        self._opening = True
        self._open_session()

    @work(thread=True, exclusive=True, group="session")
    def _open_session(self) -> None:
        """After the first frame, in a worker (the frame is written meanwhile): SQLAlchemy, the
        project (``open_project``, which upgrades or refuses as at any start) and the session, which
        reads the same state again; then the session takes over on the main thread."""
        from thematica.coding.session import CodingSession
        from thematica.store.project import open_project

        try:
            project = open_project(self.location)
        except ThematicaError as error:
            self.app.call_from_thread(self._open_failed, error.format())
            return
        try:
            session = CodingSession(project, self.coder, on_busy=self._busy_from_worker)
            session.load(totals=False)
            if session.documents:
                session.open_document(session.documents[0][0])
        except Exception as error:  # a failed read ends the start with one line, never a traceback
            project.close()
            reason = error.format() if isinstance(error, ThematicaError) else (
                f"the project could not be read ({type(error).__name__}); nothing was changed")
            self.app.call_from_thread(self._open_failed, reason)
            return
        self.app.call_from_thread(self._session_opened, project, session)

    def _open_failed(self, reason: str) -> None:
        """The project behind the first frame could not be opened: the owner says ``reason`` (exit code 2)."""
        if self._on_failure is not None:
            self._on_failure(reason)
        else:
            self.app.exit(return_code=2)

    def _session_opened(self, project: Project, session: CodingSession) -> None:
        if self._on_open is not None:
            self._on_open(project)
        self.project, self.session, self.session_open = project, session, True
        self.refresh_bindings()
        self._session_ready()

    def _start_session(self) -> None:
        self.session.load(totals=False)
        if self.session.documents:
            self.session.open_document(self.session.documents[0][0])
        self._session_ready()

    def _session_ready(self) -> None:
        if self.session.view is not None:
            self._opened(self.session.view)
        else:
            self.show_codes()
        if self.session.coder_id is None:  # a typo in --coder would otherwise code under a new name unnoticed
            self.notice = f"new coder {self.coder}: created by your first coding"
            self.show_status()
        self.transcript.focus()
        self.call_after_refresh(self.show_documents)  # the list (20,000 survey answers) after the first frame
        self._load_totals()
        self.set_interval(POLL_SECONDS, self.poll_for_changes)
        # What exists now (Textual, SQLAlchemy, the document) lives as long as the session: moving it
        # out of the collector's reach keeps full collections from pausing a keystroke (~150 ms).
        # The quick start ran without the collector until here (``thematica.cli.main``).
        gc.freeze()
        gc.enable()

    def on_screen_resume(self) -> None:
        """Back from a dialog: the panes may have been laid out again, the selection stays in view."""
        self.call_after_refresh(self.transcript.keep_in_view)

    def on_unmount(self) -> None:
        if self.session_open:
            self.session.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No action before the session is open (a key typed ahead of the first frame waits for nothing)."""
        return self.session_open

    def on_resize(self, event: object = None) -> None:
        if "tree" in self.layout_widths:  # a width chosen on a wide terminal leaves the transcript room here
            self.query_one("#left").styles.width = max(TREE_WIDTHS[0], min(self.layout_widths["tree"],
                                                                           self.app.size.width - 40))
        wide = self.app.size.width >= 140
        self.query_one("#right").display = wide if self.detail_forced is None else self.detail_forced

    # ---- showing the session's state -----------------------------------------------------
    def show_documents(self) -> None:
        rows = self.session.progress()
        if self.case_filter is not None:
            rows = [row for row in rows if (row.case or row.name) in self.case_filter[1]]
        self.document_list.border_title = f"Documents · {self.case_filter[0]}" if self.case_filter else None
        self.document_list.show_rows(rows, self.session.view.id if self.session.view else None)

    def show_code_count(self, code_id: int) -> None:
        """Relabel only the one code whose count changed (a coding action)."""
        counts = self.session.document_code_counts()
        self.code_tree.show_count(self.session.codes.get(code_id), self.session.colours,
                                  counts.get(code_id, 0), self.session.counts.get(code_id, 0))

    def show_document_row(self) -> None:
        """Redraw the open document's row (its coded share) in the document list."""
        view = self.session.view
        if view is None:
            return
        row = self.session.document_row(view.id)
        if row is not None:
            self.document_list.update_row(self.session.document_progress(row))

    def show_codes(self) -> None:
        self.code_tree.show_codes(list(self.session.codes.values()), self.session.colours,
                                  self.session.document_code_counts(), self.session.code_counts(),
                                  follow=self.session.renumbered_codes)

    def show_segments(self) -> None:
        self.transcript.set_segments(self.session.shown_segments())

    def _opened(self, view: object) -> None:
        session = self.session
        assert session.view is not None
        self.notice = ""
        self.transcript.show(session.view)
        shown = session.shown_segments()
        if shown is not session.view.segments:  # a filter: the transcript shows only what passes it
            self.transcript.set_segments(shown)
        self.document_id = session.view.id
        self.selection = session.selection
        self._sync_selection()
        self.document_list.show_current(session.view.id)
        self.show_codes()
        self.show_case()

    def _sync_selection(self) -> None:
        self.transcript.select(*self.session.selection)
        self.show_detail()

    def watch_selection(self) -> None:
        self._sync_selection()

    def watch_saving(self) -> None:
        self.show_status()

    def _code_in_view(self) -> CodeInfo | None:
        """The code the coder is looking at: the tree's while the tree has focus, else the one
        under the cursor (a code highlighted earlier in the tree no longer counts)."""
        if self.focused is self.code_tree and self.code_tree.highlighted_code in self.session.codes:
            return self.session.codes[self.code_tree.highlighted_code]
        return self.session.code_here()

    def show_detail(self) -> None:
        if not self.session_open:
            return
        session = self.session
        here = session.segments_here()
        mine = [s for s in here if s.coder == self.coder]
        others = [s for s in here if s.coder != self.coder]
        code = self._code_in_view()
        colour = session.colours.get(code.id, code.color) if code else ""
        self.query_one(DetailPane).show(code, colour, mine, others, (session.document_memo(), session.project_memo()))
        self.show_status()

    def show_status(self) -> None:
        if not self.session_open:
            return
        session = self.session
        start, end = session.selection
        codes_here = self._codes_here()
        name = session.view.name if session.view else ""
        parts: list[str | tuple[str, str]] = [(f" {name} ", "bold reverse")]
        if self.saving:  # first, so that 80 columns show it
            parts.append((f" {self.saving} ·", "bold yellow"))
        elif self.failed:
            parts.append((f" not saved: {self.failed} ·", "bold red"))
        elif self.notice:  # a notice, too, before the position: a cut line keeps what was just said
            parts.append((f" {self.notice} ·", "italic"))
        parts += [f" [{start}, {end}) · {session.unit_kind}{' · extend' if self.extend_mode else ''} · ",
                  (codes_here, "italic")]
        if session.filter.active:
            parts.append((f" · filter: {session.filter.label}", "bold"))
        border = f"filter: {session.filter.label}" if session.filter.active else None
        if self.transcript.border_title != border:  # the filter stays named when 80 columns cut the status line
            self.transcript.border_title = border
        status = Text.assemble(*parts)
        if status != self._status_shown:  # an unchanged status line is not painted again
            self._status_shown = status
            self.query_one("#status", Static).update(status, layout=False)

    def _codes_here(self) -> str:
        """What the coder's own segments at the selection hold, whatever the filter shows: the
        codes' names, those the filter hides marked so (a coded passage never reads "uncoded")."""
        session = self.session
        mine = session.own_segments_here(everything=True)
        if not mine:
            return "uncoded"
        hides = session.filter.picks_segments
        names = [s.code.rsplit("/", 1)[-1] for s in mine if not hides or session.filter.admits(s)]
        hidden = [s.code.rsplit("/", 1)[-1] for s in mine if hides and not session.filter.admits(s)]
        return ", ".join(names + ([f"{', '.join(hidden)} (not shown by filter)"] if hidden else []))

    def show_case(self) -> None:
        if not self.session_open:
            return
        view = self.session.view
        if view is None:
            return
        self.query_one(CasePane).show(view.case, view.attributes, None)
        if view.case:
            self._load_trial(view.id, view.case)

    @work(thread=True, exclusive=True, group="totals", exit_on_error=False)
    def _load_totals(self) -> None:
        """Counts per code and every document's coded share, after the first frame."""
        try:
            self.session.load_totals()
        except ThematicaError:
            return
        self.post_message(self.TotalsLoaded())

    @on(TotalsLoaded)
    def _totals_loaded(self) -> None:
        """Only the documents the coder has coded change their row (the list was drawn with 0 %):
        20,000 uncoded survey answers cost nothing here."""
        self.show_codes()
        for document_id in list(self.session.own_spans):
            row = self.session.document_row(document_id)
            if row is not None:
                self.document_list.update_row(self.session.document_progress(row))

    @work(thread=True, exclusive=True, group="trial", exit_on_error=False)
    def _load_trial(self, document_id: int, case: str) -> None:
        try:
            if not self.session.has_trial_data():
                return
            from thematica.quant.trial_service import case_outcomes  # pandas, SciPy: only with trial data

            outcomes = case_outcomes(self.project, case)
        except ThematicaError:
            return
        if outcomes is not None:
            self.app.call_from_thread(self._show_trial, document_id, outcomes)

    def _show_trial(self, document_id: int, outcomes: object) -> None:
        view = self.session.view
        if view is None or view.id != document_id:
            return
        self.query_one(CasePane).show(view.case, view.attributes,
                                      (outcomes.participant, outcomes.arm, outcomes.series))  # type: ignore[attr-defined]

    # ---- background work -----------------------------------------------------------------
    def _busy_from_worker(self, attempt: int) -> None:
        self.app.call_from_thread(setattr, self, "saving",
                                  f"database busy (another process is writing) — retrying, attempt {attempt}")

    def _write(self, work: Callable[[], str | None | Confirmed]) -> None:
        """Queue one coding action for the write worker: actions are written one after another in
        the order of the keys (an undo never overtakes the apply before it); the status line says
        so if the database keeps them waiting."""
        with self._writes_lock:
            self._writes.append(work)
            self._queued += 1
            number = self._queued
            start = not self._writing
            self._writing = True
        if start:  # after the next frame: the result drawn from memory is on screen before the write begins
            self.call_after_refresh(self._run_writes)

        def still_running() -> None:
            if self._done < number and not self.saving:  # this action is not written yet
                self.saving = "saving… waiting for the database"
        self.set_timer(BUSY_NOTICE_SECONDS, still_running)

    @work(thread=True, group="write")
    def _run_writes(self) -> None:
        while True:
            with self._writes_lock:
                if not self._writes:
                    self._writing = False
                    return
                work = self._writes.popleft()
            try:
                outcome = work()
            except ThematicaError as error:
                message = self.Saved(None, error.format())
            except Exception as error:  # never a traceback that ends the workbench; say what failed
                message = self.Saved(None, f"the change failed ({type(error).__name__}); nothing was saved")
            else:
                message = (self.Saved(outcome.notice, change=(outcome.removed, outcome.added))
                           if isinstance(outcome, Confirmed) else self.Saved(outcome))
            with self._writes_lock:
                self._done += 1
            self.post_message(message)

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        """A read worker failed with an error it did not expect (a database error): say so once, in
        one line; the workbench stays open and the next action or poll tries again."""
        if event.state is not WorkerState.ERROR or event.worker.group not in READ_WORKERS:
            return
        notice = (f"{READ_WORKERS[event.worker.group]} failed ({type(event.worker.error).__name__}); "
                  "what is shown may be out of date")
        if notice != self.notice:
            self.notice = notice
            self.notify(notice, severity="error")
        self.show_status()

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        """Reconcile the screen with the session after a write; each pane repaints only if what it
        shows changed (after an apply shown at once, usually only the new segment's id did)."""
        self.saving = ""
        if message.change is not None and not message.error:
            removed, added = message.change  # an apply shown at once, now written: only its id changed
            if added:
                self._show_change(removed, added)
            else:
                self.show_segments()
                self.show_codes()
                self.show_document_row()
        else:
            if self.session.view is not None:
                self.query_one(CasePane).show_attributes(self.session.view.case, self.session.view.attributes)
            self.show_segments()
            self.show_codes()
            self.show_document_row()
        self.failed = message.error or ""
        if message.notice:
            self.notice = message.notice
        dropped = self.session.take_filter_notice()
        if dropped:
            self.notice = dropped
        self.selection = self.session.selection
        self.show_detail()
        if message.error:
            self.notify(message.error, severity="error")

    def poll_for_changes(self) -> None:
        self._poll()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        try:
            changed = self.session.poll()
        except ThematicaError:
            return  # briefly unreachable: the next look will tell
        if changed:
            self.post_message(self.Reloaded())

    @on(Reloaded)
    def _reloaded(self) -> None:
        dropped = self.session.take_filter_notice()
        if dropped:
            self.notice = dropped
        self.show_segments()
        self.show_codes()
        self.show_documents()
        self.show_detail()

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self, document_id: int, place: tuple[int, int] | None = None) -> None:
        try:
            view = self.session.open_document(document_id)
            if place is not None:
                self.session.select(*place)
        except ThematicaError as error:
            self.app.call_from_thread(self.notify, error.format(), severity="error")
            return
        self.app.call_from_thread(self._opened, view)

    # ---- selection (no SQL) -----------------------------------------------------------------
    def _moved(self) -> None:
        self.notice = ""
        self.selection = self.session.selection

    def action_next_unit(self) -> None:
        self.session.extend_down() if self.extend_mode else self.session.next_unit()
        self._moved()

    def action_previous_unit(self) -> None:
        self.session.extend_up() if self.extend_mode else self.session.previous_unit()
        self._moved()

    def action_extend_down(self) -> None:
        self.session.extend_down()
        self._moved()

    def action_extend_up(self) -> None:
        self.session.extend_up()
        self._moved()

    def action_toggle_extend(self) -> None:
        self.extend_mode = not self.extend_mode
        self.notify("extend mode on: j/k grow and shrink the selection" if self.extend_mode else "extend mode off")
        self.show_status()

    def action_end_right(self) -> None:
        self.session.nudge(1, 1)
        self._moved()

    def action_end_left(self) -> None:
        self.session.nudge(1, -1)
        self._moved()

    def action_start_right(self) -> None:
        self.session.nudge(0, 1)
        self._moved()

    def action_start_left(self) -> None:
        self.session.nudge(0, -1)
        self._moved()

    def action_cycle_unit(self) -> None:
        kind = self.session.cycle_unit_kind()
        self._moved()
        self.notice = f"moving by {kind}"  # in the status line: a one-second toast is missed
        self.show_status()

    def action_next_segment(self) -> None:
        self._step_segment(+1)

    def action_previous_segment(self) -> None:
        self._step_segment(-1)

    def _step_segment(self, direction: int) -> None:
        """] and [: the next or previous segment passing the filter; at the end of the document,
        with a code or coder filter, on into the nearest document that has one."""
        session = self.session
        moved = session.next_segment() if direction > 0 else session.previous_segment()
        self._moved()
        if moved:
            return
        flt = session.filter
        if flt.picks_segments:
            self._open_match(direction)
            return
        self.notice = "no further segment" if direction > 0 else "no earlier segment"
        if flt.active:
            self.notice += f" ({flt.label})"
        self.show_status()

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_match(self, direction: int) -> None:
        session = self.session
        label = session.filter.label
        try:
            found = session.document_match(direction)
            if found is not None:
                view = session.open_document(found[0])
                session.visit_segment(found[1])
        except ThematicaError as error:
            self.app.call_from_thread(self.notify, error.format(), severity="error")
            return
        if found is None:
            def say() -> None:
                self.notice = (f"no further segment in any document ({label})" if direction > 0
                               else f"no earlier segment in any document ({label})")
                self.show_status()
            self.app.call_from_thread(say)
            return

        def opened() -> None:
            self._opened(view)
            self.notice = f"{label}: on in {view.name}"
            self.show_status()
        self.app.call_from_thread(opened)

    # ---- actions that change the project ---------------------------------------------------
    def apply(self, code_id: int) -> None:
        """Show the coding at once from the session's state (the passage, its stripe, the tree's
        count, the detail pane), then write it in a worker; a refused write is taken back on
        screen and the status line says why."""
        session = self.session
        if session.view is None or session.selection[0] >= session.selection[1]:
            return
        path = session.codes[code_id].path if code_id in session.codes else ""
        try:
            pending = session.show_apply(code_id)
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        if pending is None:
            self.notice = f"already coded {path} here (nothing changed)"
            self.show_status()
            return
        self._show_change([], [pending.segment])
        self.show_code_count(code_id)
        self.show_document_row()
        self.notice = f"coded: {path}"
        self.show_detail()

        def work() -> Confirmed:
            try:
                written = session.write_pending(pending)
            except ThematicaError as error:
                raise ThematicaError(f"{error.reason} — the coding {path} was taken back") from None
            return Confirmed(None, [pending.segment], [written] if written is not None else [])
        self._write(work)

    def _show_change(self, removed: list[ShownSegment], added: list[ShownSegment]) -> None:
        """Draw a coding action's change in the transcript (only the lines it touches)."""
        admits = self.session.filter.admits if self.session.filter.picks_segments else None
        self.transcript.change_segments(removed, [s for s in added if admits is None or admits(s)],
                                        self.session.shown_segments())

    def action_apply_code(self) -> None:
        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.apply(code_id)
        self.app.push_screen(CodePicker(list(self.session.codes.values())), chosen)

    def action_apply_highlighted(self) -> None:
        """Apply the code highlighted in the code tree (selecting in the tree itself never codes)."""
        code_id = self.code_tree.highlighted_code
        if code_id is None:
            self.notify("highlight a code in the code tree first")
            return
        self.apply(code_id)

    def _create_and_apply(self, path: str | None) -> None:
        if not path or not path.strip():
            return
        session = self.session
        span = session.selection

        def work() -> str:
            info = session.create_code(path)
            if span[0] < span[1]:
                session.apply(info.id, span)
            return f"new code: {info.path}"
        self._write(work)

    def action_new_code(self) -> None:
        self.app.push_screen(TextPrompt("New code (Parent/Child for a subcode); applied to the selection"),
                             self._create_and_apply)

    def action_in_vivo(self) -> None:
        view = self.session.view
        if view is None:
            return
        start, end = self.session.selection
        words = " ".join(view.text[start:end].split()).replace("/", "-")
        name = words if len(words) <= IN_VIVO_LENGTH else words[:IN_VIVO_LENGTH].rsplit(" ", 1)[0] + "…"
        self.app.push_screen(TextPrompt("In-vivo code from the selected words", value=f'"{name}"'),
                             self._create_and_apply)

    def _own_here(self) -> object | None:
        here = self.session.own_segments_here()
        if not here:
            self.notify("none of your segments here")
            return None
        return here[0]

    def action_remove_segment(self) -> None:
        target = self._own_here()
        if target is None:
            return
        self._write(lambda: f"removed: {self.session.remove(target.id).code}")  # type: ignore[attr-defined]

    def action_recode_segment(self) -> None:
        target = self._own_here()
        if target is None:
            return

        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self._write(lambda: (self.session.recode(code_id, target.id), "re-coded")[1])  # type: ignore[attr-defined]
        self.app.push_screen(CodePicker(list(self.session.codes.values()),
                                        title=f"Re-code {target.code} as"), chosen)  # type: ignore[attr-defined]

    def action_edit_memo(self) -> None:
        here = self.session.own_segments_here()
        if not here:
            self.notify("code the passage first; memos belong to your segments")
            return
        target = here[0]

        def chosen(memo: str | None) -> None:
            if memo is not None:
                self._write(lambda: (self.session.set_memo(memo, target.id), "memo saved")[1])
        self.app.push_screen(TextPrompt(f"Memo on {target.code}", value=target.memo), chosen)

    def action_document_memo(self) -> None:
        view = self.session.view
        if view is None:
            return

        def chosen(text: str | None) -> None:
            def save() -> str:
                self.session.set_document_memo(text or "")
                return f"memo on {view.name} saved"
            if text is not None:
                self._write(save)
        self.app.push_screen(TextPrompt(f"Your memo on {view.name}", value=self.session.document_memo()), chosen)

    def action_project_memo(self) -> None:
        def chosen(text: str | None) -> None:
            def save() -> str:
                self.session.set_project_memo(text or "")
                return "project memo saved"
            if text is not None:
                self._write(save)
        self.app.push_screen(TextPrompt("Your memo on the project", value=self.session.project_memo()), chosen)

    def action_case_attribute(self) -> None:
        """Edit one attribute of the document's case: pick it (or type a new name), then the value."""
        view = self.session.view
        if view is None or view.case is None:
            self.notify("this document is not linked to a case")
            return
        current = dict(view.attributes)

        def value_for(name: str | None) -> None:
            if not name:
                return

            def chosen(value: str | None) -> None:
                def save() -> str:
                    self.session.set_case_attribute(name, value)
                    return f"case {view.case}: {name} = {value or '–'}"
                if value is not None:
                    self._write(save)
            self.app.push_screen(TextPrompt(f"{name} of case {view.case} (empty: no value)",
                                            value=current.get(name) or ""), chosen)
        self.app.push_screen(TextPrompt("Attribute (an existing name, or a new one)",
                                        value=next(iter(current), "")), value_for)

    def action_undo(self) -> None:
        self._write(lambda: (lambda label: f"undone: {label}" if label else "nothing to undo")(self.session.undo()))

    def action_redo(self) -> None:
        self._write(lambda: (lambda label: f"redone: {label}" if label else "nothing to redo")(self.session.redo()))

    def action_cycle_status(self) -> None:
        if self.session.view is None:
            return
        name = self.session.view.name

        def work() -> str:
            status = self.session.cycle_status()
            return f"{name}: {status.replace('_', ' ')}"
        self._write(work)

    # ---- codebook, retrieval, search --------------------------------------------------------
    def action_edit_code(self) -> None:
        from thematica.tui.dialogs.code_editor import CodeEditor

        code = self._code_in_view()
        if code is None:
            self.notify("put the cursor on a coded passage, or highlight a code in the code tree")
            return

        def reload() -> str | None:
            self.session.refresh()
            return None

        def edited(changed: bool | None) -> None:
            if changed:
                self._write(reload)
        try:
            shared = self.session.code_used_by_others(code.id)
        except ThematicaError:
            shared = True
        self.app.push_screen(CodeEditor(self.project, self.coder, code, list(self.session.codes.values()),
                                        shared=shared, rename=self.session.rename_code,
                                        merge=self.session.merge_code, reparent=self.session.reparent_code), edited)

    def action_move_code(self, direction: int) -> None:
        code = self._code_in_view()
        if code is None:
            self.notify("highlight a code in the code tree first")
            return

        def move() -> str:
            moved = self.session.move_code(code.id, direction)
            return f"moved: {moved.path}"
        self._write(move)

    def action_delete_code(self) -> None:
        """Delete the code in view with everyone's segments of it, after a confirmation that
        lists them; u undoes it."""
        code = self._code_in_view()
        if code is None:
            self.notify("put the cursor on a coded passage, or highlight a code in the code tree")
            return
        try:
            listed = self.session.code_segments(code.id)
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        per_coder: dict[str, int] = {}
        for _, coder, _ in listed:
            per_coder[coder] = per_coder.get(coder, 0) + 1
        lines = [f"Delete code {code.path} and its {len(listed)} segments"
                 + (f" ({', '.join(f'{c} {n}' for c, n in sorted(per_coder.items()))})" if listed else "") + "?"]
        lines += [f"  {document} · {coder}: {quote[:60]}" for document, coder, quote in listed[:8]]
        if len(listed) > 8:
            lines.append(f"  … and {len(listed) - 8} more")
        lines.append("Type yes and Enter to delete (u undoes it); Escape keeps the code.")

        def chosen(answer: str | None) -> None:
            def delete() -> str:
                self.session.delete_code(code.id)
                return f"deleted: {code.path} ({len(listed)} segments); u undoes it"
            if answer is not None and answer.strip().lower() in ("yes", "ja", "y", "j"):
                self._write(delete)
        self.app.push_screen(TextPrompt("\n".join(lines)), chosen)

    def action_retrieve(self) -> None:
        code = self._code_in_view()
        if code is None:
            self.notify("put the cursor on a coded passage, or highlight a code in the code tree")
            return
        self._retrieve(code)

    @work(thread=True, exclusive=True, group="retrieve", exit_on_error=False)
    def _retrieve(self, code: CodeInfo) -> None:
        try:
            from thematica.coding.retrieval import retrieve

            found = retrieve(self.project, self.session, code.id)
        except ThematicaError as error:
            self.app.call_from_thread(self.notify, error.format(), severity="error")
            return
        folder = None if "://" in self.location else str(Path(self.location).resolve().parent)  # beside the project
        self.app.call_from_thread(self.app.push_screen, RetrievalScreen(code.path, found, folder), self._jump)

    def action_search(self) -> None:
        from thematica.coding.workbench import search

        self.app.push_screen(SearchScreen(lambda query: search(self.project, query)), self._jump)

    def _jump(self, place: object) -> None:
        if place is None:
            return
        document_id, start, end = place.document_id, place.start, place.end  # type: ignore[attr-defined]
        if self.session.view is not None and self.session.view.id == document_id:
            self.session.select(start, end)
            self._moved()
        else:
            self._open(document_id, (start, end))
        self.transcript.focus()

    def action_filter(self) -> None:
        session = self.session
        everything, uncoded = "show all segments", "only uncoded passages"
        choices = [everything, uncoded]
        choices += [f"code: {info.path}" for info in session.codes.values()]
        visible = session.visible if session.visible is not None else list(session.coder_names)
        choices += [f"coder: {session.coder_names[i]}" for i in visible if i in session.coder_names]
        paths = {info.path: info.id for info in session.codes.values()}

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            try:
                if choice == everything:
                    session.clear_filter()
                elif choice == uncoded:
                    session.filter_uncoded()
                elif choice.startswith("code: "):
                    session.filter_by_code(paths[choice[6:]])
                else:
                    session.filter_by_coder(choice[7:])
            except ThematicaError as error:
                self.notify(error.format(), severity="error")
                return
            self.show_segments()
            self.show_status()
        self.app.push_screen(ChoicePicker(choices, "Show and visit with ] and ["), chosen)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.PALETTE_KEYS))

    def action_theme_board(self) -> None:
        from thematica.tui.screens.theme_board import ThemeBoardScreen

        self.app.push_screen(ThemeBoardScreen(self.project, self.coder))

    def action_matrix(self) -> None:
        from thematica.tui.screens.matrix_view import MatrixScreen

        self.app.push_screen(MatrixScreen(self.project, self.coder))

    def action_quit(self) -> None:
        self.app.exit()

    # ---- widths, panes ------------------------------------------------------------------------
    def _remember(self, key: str, value: int) -> None:
        self.layout_widths[key] = value
        save_layout(self.coder, self.layout_widths)

    def _tree_width(self, step: int) -> None:
        left = self.query_one("#left")
        current = int(left.outer_size.width or 24)
        width = max(TREE_WIDTHS[0], min(TREE_WIDTHS[1], current + step, self.app.size.width - 40))
        left.styles.width = width
        self._remember("tree", width)

    def action_tree_wider(self) -> None:
        self._tree_width(4)

    def action_tree_narrower(self) -> None:
        self._tree_width(-4)

    def _margin_width(self, step: int) -> None:
        width = max(MARGIN_WIDTHS[0], min(MARGIN_WIDTHS[1], self.transcript.margin_width + step))
        self.transcript.set_margin(width)
        self._remember("margin", width)

    def action_margin_wider(self) -> None:
        self._margin_width(4)

    def action_margin_narrower(self) -> None:
        self._margin_width(-4)

    def action_toggle_detail(self) -> None:
        right = self.query_one("#right")
        self.detail_forced = not right.display
        right.display = self.detail_forced

    # ---- messages from the panes ---------------------------------------------------------------
    @on(DocumentList.Chosen)
    def document_chosen(self, event: DocumentList.Chosen) -> None:
        if not self.session_open:
            return
        self._open(event.document_id)
        self.transcript.focus()

    @on(CodeTree.Highlighted)
    def code_highlighted(self, event: CodeTree.Highlighted) -> None:
        self.show_detail()

    def on_descendant_focus(self) -> None:
        self.show_detail()

    @on(TranscriptView.Clicked)
    def unit_clicked(self, event: TranscriptView.Clicked) -> None:
        if not self.session_open:
            return
        self.extend_mode = False
        self.session.select_unit(self.session.unit_at(event.offset))
        self._moved()

    @on(TranscriptView.Dragged)
    def characters_dragged(self, event: TranscriptView.Dragged) -> None:
        if not self.session_open:
            return
        self.extend_mode = False
        self.session.select(event.start, event.end)
        self._moved()

    def action_filter_group(self) -> None:
        """Show only the documents of one group of participants (an arm, an outcome) — or all."""
        from thematica.quant.trial_service import workbench_groups  # pandas, SciPy: loaded on first use

        groups = workbench_groups(self.project) if self.session.has_trial_data() else {}
        if not groups:
            self.notify("no trial data linked to the cases (thematica trial import / link)")
            return
        everything = "all documents"

        def chosen(label: str | None) -> None:
            if label is None:
                return
            self.case_filter = None if label == everything else (label, set(groups[label]))
            self.show_documents()
            self.notify(f"documents: {label}")
        self.app.push_screen(ChoicePicker([everything, *groups], "Show the documents of"), chosen)
