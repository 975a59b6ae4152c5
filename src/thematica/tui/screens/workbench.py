"""The coding workbench: documents, the transcript, the code tree and the detail pane.

The screen keeps the coder's selection (a run of units, refined by characters) and turns keys
into calls to the coding services; every action is saved in its own transaction as it happens
and goes onto the undo stack. What the coder may see (blind mode) is decided by the services.
"""

from __future__ import annotations

import bisect
import gc

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from thematica.coding import codebook, segments
from thematica.coding.codebook import CodeInfo
from thematica.coding.history import Applied, CodeCreated, History, MemoEdited, Recoded, Removed
from thematica.coding.workbench import (DocumentView, change_stamp, code_tree, document_progress, document_view,
                                        retrieve, search, visible_document_segments)
from thematica.errors import ThematicaError
from thematica.store.project import Project
from thematica.quant.trial_service import case_outcomes, workbench_groups
from thematica.tui.dialogs.lists import HelpScreen, RetrievalScreen, SearchScreen
from thematica.tui.dialogs.prompts import ChoicePicker, CodePicker, TextPrompt
from thematica.tui.keymap import WORKBENCH_KEYS, workbench_bindings
from thematica.tui.widgets.transcript import TranscriptView
from thematica.tui.option_ids import option_number
from thematica.vocabulary import DocumentStatus, UnitKind

STATUSES = tuple(DocumentStatus)
STATUS_MARK: dict[str, str] = {DocumentStatus.NOT_STARTED: "·", DocumentStatus.IN_PROGRESS: "◐",
                               DocumentStatus.DONE: "✓"}
IN_VIVO_LENGTH = 60
POLL_SECONDS = 2.0  # how often the workbench looks for other coders' changes


class WorkbenchScreen(Screen):
    BINDINGS = workbench_bindings()  # type: ignore[assignment]  # Textual declares a list of a wider union
    PALETTE_KEYS = WORKBENCH_KEYS
    CSS_PATH = "../workbench.tcss"
    _tree_nodes: dict[int | None, TreeNode[CodeInfo]]

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project, self.coder = project, coder
        self.history = History(project)
        self.view: DocumentView | None = None
        self.unit_kind: str = UnitKind.SENTENCE
        self.unit_index = 0
        self.selection = (0, 0)
        self.extend_mode = False
        self.highlighted_code: int | None = None
        self.case_filter: tuple[str, set[str]] | None = None  # (label, cases) chosen with action_filter_group

    # ---- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="left"):
                yield OptionList(id="documents")
                yield Tree("Codes", id="codes")
            with Vertical(id="centre"):
                yield TranscriptView(id="transcript")
                yield Static(id="status")
            with Vertical(id="right"):
                yield Static(id="detail")
                yield Static(id="case")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Thematica — {self.coder}"
        self.sub_title = self.project.location.rsplit("/", 1)[-1]
        self.on_resize()  # decide the panes first, so the transcript is wrapped once, at its final width
        self.refresh_documents()
        self.refresh_codes()
        documents = self.query_one("#documents", OptionList)
        if documents.option_count:
            documents.highlighted = 0
            self.open_document(option_number(documents.get_option_at_index(0)))
        self.query_one(TranscriptView).focus()
        self._stamp = change_stamp(self.project)
        self.set_interval(POLL_SECONDS, self.check_for_changes)
        # What exists now (Textual, SQLAlchemy, the document) lives as long as the session: moving it
        # out of the collector's reach keeps full collections from pausing a keystroke (~150 ms).
        gc.freeze()

    def check_for_changes(self) -> None:
        """Reload segments, codes and progress when anyone (another coder, another machine) changed
        the project since the last look; the coder's own actions reload directly and move the stamp."""
        try:
            stamp = change_stamp(self.project)
        except ThematicaError:  # a busy or briefly unreachable database: try again at the next tick
            return
        if stamp != self._stamp:
            self.reload_segments()  # which takes the new stamp

    def on_resize(self, event=None) -> None:
        wide = self.app.size.width >= 140
        self.query_one("#right").display = wide

    # ---- data ------------------------------------------------------------------------
    def refresh_documents(self) -> None:
        """Progress per document; prompts are updated in place when the list is unchanged."""
        documents = self.query_one("#documents", OptionList)
        rows = document_progress(self.project, self.coder)
        if self.case_filter is not None:
            rows = [row for row in rows if (row.case or row.name) in self.case_filter[1]]
        documents.border_title = f"Documents · {self.case_filter[0]}" if self.case_filter else None
        labels = []
        for row in rows:
            label = f"{STATUS_MARK[row.status]} {row.name} {100 * row.coded_share:3.0f}%"
            if row.case and row.case != row.name:
                label += f" ({row.case})"
            labels.append((str(row.document_id), label))
        current = [documents.get_option_at_index(i).id for i in range(documents.option_count)]
        if current == [key for key, _ in labels]:
            for key, label in labels:
                if str(documents.get_option(key).prompt) != label:
                    documents.replace_option_prompt(key, label)
            return
        highlighted = documents.highlighted
        documents.clear_options()
        documents.add_options([Option(label, id=key) for key, label in labels])
        if highlighted is not None and highlighted < documents.option_count:
            documents.highlighted = highlighted

    @staticmethod
    def _code_label(info, count: int) -> Text:
        return Text.assemble(("■ ", info.color), info.name, (f" {count}" if count else "", "dim"))

    def refresh_codes(self) -> None:
        """The code tree with the viewer's counts; rebuilt only when the codebook itself changed."""
        tree = self.query_one("#codes", Tree)
        entries = code_tree(self.project, self.coder)
        signature = [(info.id, info.parent_id, info.name, info.color) for info, _ in entries]
        if signature == getattr(self, "_tree_signature", None):
            for info, count in entries:
                node = self._tree_nodes[info.id]
                label = self._code_label(info, count)
                if node.label != label:
                    node.set_label(label)
        else:
            tree.clear()
            tree.root.expand()
            nodes: dict[int | None, TreeNode[CodeInfo]] = {None: tree.root}
            for info, count in entries:
                parent = nodes.get(info.parent_id, tree.root)
                nodes[info.id] = parent.add(self._code_label(info, count), data=info, expand=True)
            for node in nodes.values():
                if node is not tree.root and not node.children:
                    node.allow_expand = False
            self._tree_nodes = nodes
            self._tree_signature = signature
        self.codes = {info.id: info for info, _ in entries}

    def open_document(self, document_id: int) -> None:
        self.view = document_view(self.project, document_id, self.coder)
        transcript = self.query_one(TranscriptView)
        transcript.show(self.view)
        self.unit_index = 0
        self._select_unit(0)
        self.show_case()

    def reload_segments(self) -> None:
        if self.view is None:
            return
        fresh = visible_document_segments(self.project, self.view.id, self.coder)
        self.view = DocumentView(self.view.id, self.view.name, self.view.text, self.view.case, self.view.attributes,
                                 self.view.units, fresh)
        self.query_one(TranscriptView).set_segments(fresh)
        self._stamp = change_stamp(self.project)
        self.refresh_codes()
        self.refresh_documents()
        self.show_detail()

    # ---- selection -------------------------------------------------------------------
    @property
    def units(self) -> list[tuple[int, int, str | None]]:
        return self.view.units.get(self.unit_kind, []) if self.view else []

    def _select(self, start: int, end: int) -> None:
        self.selection = (start, end)
        self.query_one(TranscriptView).select(start, end)
        self.show_detail()

    def _select_unit(self, index: int) -> None:
        if not self.units:
            return
        self.unit_index = max(0, min(index, len(self.units) - 1))
        start, end, _ = self.units[self.unit_index]
        self._select(start, end)

    def action_next_unit(self) -> None:
        if self.extend_mode:
            self.action_extend_down()
        else:
            self._select_unit(self._unit_at(self.selection[1] - 1) + 1)

    def action_previous_unit(self) -> None:
        if self.extend_mode:
            self.action_extend_up()
        else:
            self._select_unit(self._unit_at(self.selection[0]) - 1)

    def _unit_at(self, offset: int) -> int:
        starts = [start for start, _, _ in self.units]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def action_extend_down(self) -> None:
        following = self._unit_at(self.selection[1] - 1) + 1
        if following < len(self.units):
            self._select(self.selection[0], self.units[following][1])

    def action_extend_up(self) -> None:
        last = self._unit_at(self.selection[1] - 1)
        if last > self._unit_at(self.selection[0]):
            self._select(self.selection[0], self.units[last - 1][1])

    def action_toggle_extend(self) -> None:
        self.extend_mode = not self.extend_mode
        self.notify("extend mode on: j/k grow and shrink the selection" if self.extend_mode else "extend mode off")

    def _nudge(self, which: int, step: int) -> None:
        if self.view is None:
            return
        start, end = self.selection
        if which == 0:
            start = max(0, min(start + step, end - 1))
        else:
            end = min(len(self.view.text), max(end + step, start + 1))
        self._select(start, end)

    def action_end_right(self) -> None:
        self._nudge(1, 1)

    def action_end_left(self) -> None:
        self._nudge(1, -1)

    def action_start_right(self) -> None:
        self._nudge(0, 1)

    def action_start_left(self) -> None:
        self._nudge(0, -1)

    def action_toggle_unit(self) -> None:
        self.unit_kind = UnitKind.TURN if self.unit_kind == UnitKind.SENTENCE else UnitKind.SENTENCE
        self._select_unit(self._unit_at(self.selection[0]))
        self.notify(f"moving by {self.unit_kind}")

    # ---- segments under the cursor ----------------------------------------------------
    def own_segments_here(self):
        if self.view is None:
            return []
        start, end = self.selection
        mine = [s for s in self.view.segments if s.coder == self.coder and s.start < end and s.end > start]
        return sorted(mine, key=lambda s: (s.end - s.start, -s.id))

    def action_next_segment(self) -> None:
        if self.view:
            following = [s for s in self.view.segments if s.start > self.selection[0]]
            if following:
                target = min(following, key=lambda s: s.start)
                self._select(target.start, target.end)

    def action_previous_segment(self) -> None:
        if self.view:
            earlier = [s for s in self.view.segments if s.start < self.selection[0]]
            if earlier:
                target = max(earlier, key=lambda s: s.start)
                self._select(target.start, target.end)

    # ---- actions that change the project ----------------------------------------------
    def _run(self, work, success: str | None = None) -> bool:
        try:
            work()
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return False
        self.reload_segments()
        if success:
            self.notify(success, timeout=2)
        return True

    def apply(self, code_id: int) -> None:
        if self.view is None or self.selection[0] >= self.selection[1]:
            return
        document_id = self.view.id

        def work():
            info = segments.apply_code(self.project, document_id, self.coder, *self.selection, code_id=code_id)
            self.history.record(Applied(info))
        self._run(work, f"coded: {self.codes[code_id].path}" if code_id in self.codes else None)

    def action_apply_code(self) -> None:
        self.app.push_screen(CodePicker(list(self.codes.values())), self._apply_chosen)

    def _apply_chosen(self, code_id: int | None) -> None:
        if code_id:
            self.apply(code_id)

    def _create_and_apply(self, path: str | None) -> None:
        if not path or not path.strip():
            return
        def work():
            info = codebook.create_code(self.project, path.strip(), self.coder)
            self.history.record(CodeCreated(info.id, info.path, self.coder))
            self.refresh_codes()
        if self._run(work):
            with self.project.reading() as session:
                code = codebook.find_code(session, path.strip())
            if code is not None:
                self.apply(code.id)

    def action_new_code(self) -> None:
        self.app.push_screen(TextPrompt("New code (Parent/Child for a subcode); applied to the selection"),
                             self._create_and_apply)

    def action_in_vivo(self) -> None:
        if self.view is None:
            return
        words = " ".join(self.view.text[self.selection[0]:self.selection[1]].split()).replace("/", "-")
        name = words if len(words) <= IN_VIVO_LENGTH else words[:IN_VIVO_LENGTH].rsplit(" ", 1)[0] + "…"
        self.app.push_screen(TextPrompt("In-vivo code from the selected words", value=f'"{name}"'),
                             self._create_and_apply)

    def action_remove_segment(self) -> None:
        here = self.own_segments_here()
        if not here:
            self.notify("none of your segments here")
            return
        target = here[0]
        def work():
            info = segments.remove_segment(self.project, target.id, self.coder)
            self.history.record(Removed(info))
        self._run(work, f"removed: {target.code}")

    def action_recode_segment(self) -> None:
        here = self.own_segments_here()
        if not here:
            self.notify("none of your segments here")
            return
        target = here[0]
        def chosen(code_id: int | None) -> None:
            if code_id is None:
                return
            def work():
                segments.recode_segment(self.project, target.id, self.coder, code_id=code_id)
                self.history.record(Recoded(target.id, self.coder, target.code_id, code_id))
            self._run(work, "re-coded")
        self.app.push_screen(CodePicker(list(self.codes.values()), title=f"Re-code {target.code} as"), chosen)

    def action_edit_memo(self) -> None:
        here = self.own_segments_here()
        if not here:
            self.notify("code the passage first; memos belong to your segments")
            return
        target = here[0]
        def chosen(memo: str | None) -> None:
            if memo is None:
                return
            def work():
                segments.set_segment_memo(self.project, target.id, self.coder, memo)
                self.history.record(MemoEdited(target.id, self.coder, target.memo, memo))
            self._run(work, "memo saved")
        self.app.push_screen(TextPrompt(f"Memo on {target.code}", value=target.memo), chosen)

    def action_undo(self) -> None:
        try:
            label = self.history.undo()
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        self.reload_segments()
        self.notify(f"undone: {label}" if label else "nothing to undo", timeout=2)

    def action_redo(self) -> None:
        try:
            label = self.history.redo()
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        self.reload_segments()
        self.notify(f"redone: {label}" if label else "nothing to redo", timeout=2)

    def action_cycle_status(self) -> None:
        if self.view is None:
            return
        current = next((row.status for row in document_progress(self.project, self.coder)
                        if row.document_id == self.view.id), DocumentStatus.NOT_STARTED)
        status = STATUSES[(STATUSES.index(current) + 1) % len(STATUSES)]
        self._run(lambda: segments.set_document_status(self.project, self.view.id, self.coder, status),
                  f"{self.view.name}: {status.replace('_', ' ')}")

    # ---- codebook editing -------------------------------------------------------------
    def _code_for_editing(self):
        if self.highlighted_code in self.codes:
            return self.codes[self.highlighted_code]
        here = self.own_segments_here()
        return self.codes.get(here[0].code_id) if here else None

    def action_edit_code(self) -> None:
        from thematica.tui.dialogs.code_editor import CodeEditor

        code = self._code_for_editing()
        if code is None:
            self.notify("highlight a code in the code tree first")
            return
        self.app.push_screen(CodeEditor(self.project, self.coder, code, list(self.codes.values())),
                             self._reload_if_changed)

    def _reload_if_changed(self, changed: bool | None) -> None:
        if changed:
            self.reload_segments()

    def action_retrieve(self) -> None:
        code = self._code_for_editing()
        if code is None:
            self.notify("highlight a code in the code tree first")
            return
        found = retrieve(self.project, code.id, self.coder)
        self.app.push_screen(RetrievalScreen(code.path, found), self._jump)

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(lambda query: search(self.project, query)), self._jump)

    def _jump(self, place) -> None:
        if place is None:
            return
        if self.view is None or self.view.id != place.document_id:
            self.open_document(place.document_id)
        self._select(place.start, place.end)
        self.query_one(TranscriptView).focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(WORKBENCH_KEYS))

    def action_theme_board(self) -> None:
        from thematica.tui.screens.theme_board import ThemeBoardScreen

        self.app.push_screen(ThemeBoardScreen(self.project, self.coder))

    def action_quit(self) -> None:
        self.app.exit()

    # ---- panels ----------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#documents")
    def document_chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_document(option_number(event.option))
        self.query_one(TranscriptView).focus()

    @on(Tree.NodeHighlighted, "#codes")
    def code_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.highlighted_code = event.node.data.id if event.node.data else None
        self.show_detail()

    @on(TranscriptView.Clicked)
    def unit_clicked(self, event: TranscriptView.Clicked) -> None:
        self.extend_mode = False
        self._select_unit(self._unit_at(event.offset))

    @on(TranscriptView.Dragged)
    def characters_dragged(self, event: TranscriptView.Dragged) -> None:
        self.extend_mode = False
        self._select(event.start, event.end)

    @on(Tree.NodeSelected, "#codes")
    def code_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self.apply(event.node.data.id)

    def show_detail(self) -> None:
        lines = Text()
        here = self.own_segments_here() if self.view else []
        others = [s for s in (self.view.segments if self.view else []) if s.coder != self.coder
                  and s.start < self.selection[1] and s.end > self.selection[0]]
        code = self.codes.get(self.highlighted_code) if self.highlighted_code else None
        if code is None and here:
            code = self.codes.get(here[0].code_id)
        if code is not None:
            lines.append(f"{code.path}\n", style=f"bold {code.color}")
            for label, value in (("Definition", code.definition), ("Include", code.inclusion),
                                 ("Exclude", code.exclusion), ("Example", code.example)):
                if value:
                    lines.append(f"{label}: ", style="bold")
                    lines.append(f"{value}\n")
        for segment in here:
            lines.append(f"\n■ {segment.code}", style=segment.color)
            if segment.memo:
                lines.append(f"\n  memo: {segment.memo}", style="italic")
        for segment in others:
            lines.append(f"\n□ {segment.code} ({segment.coder})", style=segment.color)
        self.query_one("#detail", Static).update(lines, layout=False)  # fixed-size panes: no screen re-layout
        start, end = self.selection
        codes_here = ", ".join(s.code.rsplit("/", 1)[-1] for s in here) or "uncoded"
        self.query_one("#status", Static).update(
            Text.assemble((f" {self.view.name if self.view else ''} ", "bold reverse"),
                          f" [{start}, {end}) · {self.unit_kind}{' · extend' if self.extend_mode else ''} · ",
                          (codes_here, "italic")), layout=False)

    def show_case(self) -> None:
        text = Text()
        if self.view and self.view.case:
            text.append(f"Case {self.view.case}\n", style="bold")
            for name, value in self.view.attributes:
                text.append(f"{name}: ", style="dim")
                text.append(f"{value if value is not None else '–'}\n")
            outcomes = case_outcomes(self.project, self.view.case)
            if outcomes is not None:
                text.append(f"\nTrial {outcomes.participant} · {outcomes.arm}\n", style="bold")
                for variable, values in outcomes.series:
                    text.append(f"{variable}: ", style="dim")
                    text.append(" → ".join(f"{value:g}@{time}" for time, value in values) + "\n")
        self.query_one("#case", Static).update(text, layout=False)

    def action_filter_group(self) -> None:
        """Show only the documents of one group of participants (an arm, an outcome) — or all."""
        groups = workbench_groups(self.project)
        if not groups:
            self.notify("no trial data linked to the cases (thematica trial import / link)")
            return
        everything = "all documents"

        def chosen(label: str | None) -> None:
            if label is None:
                return
            self.case_filter = None if label == everything else (label, set(groups[label]))
            self.refresh_documents()
            self.notify(f"documents: {label}")
        self.app.push_screen(ChoicePicker([everything, *groups], "Show the documents of"), chosen)
