"""Consensus mode: walk the disagreements one by one, both codings side by side, and decide.

Keys: ``a`` keep A, ``b`` keep B, ``o`` both, ``x`` neither, ``r`` recode (type code paths),
``n`` / ``p`` next / previous passage, ``q`` stop (the meeting resumes where it stopped). The
rationale typed in the box is logged with the decision, under the name of who decides (shown in
the title). A boundary disagreement shows each coder's extent of the code in the passage. The agreement screen lists the per-code
table coloured against alpha's conventional thresholds (red < 0.667 <= amber < 0.800 <= green);
Enter on a code walks only that code's disagreements.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from thematica.coding.consensus.meeting import Comparison, Selection, compare, decide, open_meeting, state
from thematica.coding.consensus.passages import BOUNDARY, Passage, describe_extents
from thematica.coding.consensus.summary import code_summaries
from thematica.errors import ThematicaError
from thematica.maths.thresholds import RELIABLE, TENTATIVE
from thematica.reports.disagreement_report import context
from thematica.store.project import Project

LOW, HIGH = TENTATIVE, RELIABLE


def agreement_colour(value: float | None) -> str:
    if value is None:
        return "grey50"
    return "red" if value < LOW else ("dark_orange" if value < HIGH else "green")


class ConsensusScreen(Screen):
    """One disagreement at a time; decisions write the consensus coding and the log."""

    AUTO_FOCUS = ""  # keys decide; the rationale box is focused only when clicked or tabbed to

    BINDINGS = [
        Binding("a", "decide('keep_a')", "Keep A"),
        Binding("b", "decide('keep_b')", "Keep B"),
        Binding("o", "decide('both')", "Both"),
        Binding("x", "decide('neither')", "Neither"),
        Binding("r", "recode", "Recode"),
        Binding("n", "move(1)", "Next"),
        Binding("p", "move(-1)", "Previous"),
        Binding("escape", "app.pop_screen", "Back", show=False),
    ]
    DEFAULT_CSS = """
    ConsensusScreen #progress { height: 1; padding: 0 1; background: $boost; }
    ConsensusScreen #passage { height: auto; min-height: 5; padding: 1 2; border: round $primary; }
    ConsensusScreen .coding { width: 1fr; height: auto; min-height: 4; padding: 0 1; border: round $secondary; }
    ConsensusScreen Input { margin: 0 1; }
    """

    def __init__(self, project: Project, selection: Selection, actor: str, code: str | None = None) -> None:
        super().__init__()
        self.project, self.selection, self.actor, self.code = project, selection, actor, code
        self.comparison: Comparison | None = None
        self.index = 0
        self.recoding = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        yield Static(id="passage")
        with Horizontal():
            yield Static(id="coding-a", classes="coding")
            yield Static(id="coding-b", classes="coding")
        yield Input(placeholder="Rationale for the decision (logged)", id="rationale")
        yield Input(placeholder="Recode: code paths, comma-separated; Enter applies", id="recode")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Consensus: {self.selection.coder_a} (A) / {self.selection.coder_b} (B) · deciding: {self.actor}"
        self.query_one("#recode", Input).display = False
        self.refresh_passages(resume=True)

    @property
    def passages(self) -> list[Passage]:
        assert self.comparison is not None
        found = self.comparison.disagreements
        return [p for p in found if self.code in p.codes_involved] if self.code else found

    def refresh_passages(self, resume: bool = False) -> None:
        self.comparison = compare(self.project, self.selection)
        if resume:
            meeting = state(self.project, self.selection, self.comparison)
            if meeting.next_passage in self.passages:
                self.index = self.passages.index(meeting.next_passage)
        self.show()

    def decided(self) -> set[tuple[str, int, int]]:
        from thematica.coding.consensus.meeting import decision_log

        return {(row.document, row.start, row.end) for row in decision_log(self.project)
                if row.coder_a == self.selection.coder_a and row.coder_b == self.selection.coder_b}

    def show(self) -> None:
        passages = self.passages
        decided = self.decided()
        done = sum((p.document, p.start, p.end) in decided for p in passages)
        self.query_one("#progress", Static).update(
            f"{done} of {len(passages)} decided" + (f" · code {self.code}" if self.code else "")
            + (" · all decided" if passages and done == len(passages) else ""))
        if not passages:
            self.query_one("#passage", Static).update("No disagreements.")
            return
        self.index = max(0, min(self.index, len(passages) - 1))
        passage = passages[self.index]
        assert self.comparison is not None
        before, quote, after = context(self.comparison.texts[passage.document], passage)
        status = "decided" if (passage.document, passage.start, passage.end) in decided else "open"
        body = Text.assemble((f"{passage.document} · passage {self.index + 1} · {passage.kind} · {status}\n", "bold"),
                             (before, "dim"), (quote, "bold reverse"), (after, "dim"))
        self.query_one("#passage", Static).update(body)
        for widget_id, label, codes, extents in (
                ("#coding-a", f"A · {self.selection.coder_a}", passage.codes_a, passage.extents_a),
                ("#coding-b", f"B · {self.selection.coder_b}", passage.codes_b, passage.extents_b)):
            lines = Text(f"{label}\n", style="bold")
            where = describe_extents(extents) if passage.kind == BOUNDARY else {}
            for code in codes or ("—",):
                lines.append(f"{code}" + (f" {where[code]}" if code in where else "") + "\n")
                definition = self.comparison.definitions.get(code)
                if definition:
                    lines.append(f"  {definition}\n", style="italic dim")
            self.query_one(widget_id, Static).update(lines)

    def action_move(self, step: int) -> None:
        self.index += step
        self.show()

    def action_decide(self, decision: str, codes: list[str] | None = None) -> None:
        if not self.passages:
            return
        rationale_box = self.query_one("#rationale", Input)
        try:
            decide(self.project, self.selection, self.passages[self.index], decision, self.actor,
                   rationale=rationale_box.value, codes=codes)
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        rationale_box.value = ""
        self.notify(f"{decision.replace('_', ' ')} recorded")
        self.refresh_passages()
        decided = self.decided()
        following = [i for i, p in enumerate(self.passages) if (p.document, p.start, p.end) not in decided]
        if following:
            self.index = min((i for i in following if i >= self.index), default=following[0])
        self.show()

    def action_recode(self) -> None:
        box = self.query_one("#recode", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "recode":
            codes = [code.strip() for code in event.value.split(",") if code.strip()]
            event.input.value = ""
            event.input.display = False
            self.set_focus(None)
            self.action_decide("recode", codes)
        else:
            self.set_focus(None)


class AgreementScreen(Screen):
    """Per-code agreement over the compared passages; Enter walks that code's disagreements."""

    BINDINGS = [Binding("m", "meeting", "Consensus mode"), Binding("escape", "back", "Back", show=False)]

    def __init__(self, project: Project, selection: Selection, actor: str) -> None:
        super().__init__()
        self.project, self.selection, self.actor = project, selection, actor

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("Agreement per code, lowest first (kappa: red < 0.667 <= amber < 0.800 <= green). "
                         "Enter: this code's disagreements. m: all disagreements.", id="legend")
            yield DataTable(id="codes", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = (f"Agreement: {self.selection.coder_a} / {self.selection.coder_b} ({self.selection.unit})"
                      f" · deciding: {self.actor}")
        table = self.query_one(DataTable)
        table.add_columns("code", "kappa", "% agreement", "both", "A only", "B only", "neither")
        comparison = compare(self.project, self.selection)
        for row in code_summaries(comparison.passages, comparison.definitions):
            kappa = "undefined" if row.kappa is None else f"{row.kappa:.3f}"
            table.add_row(row.code, Text(kappa, style=agreement_colour(row.kappa)),
                          f"{100 * row.percent_agreement:.1f}", row.both, row.a_only, row.b_only, row.neither,
                          key=row.code)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ConsensusScreen(self.project, self.selection, self.actor, code=event.row_key.value))

    def action_meeting(self) -> None:
        self.app.push_screen(ConsensusScreen(self.project, self.selection, self.actor))

    def action_back(self) -> None:
        """Back where it came from; as the meeting's first screen, Escape goes to the meeting (not a blank screen)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.action_meeting()


class ConsensusApp(App):
    """``thematica consensus meet``: the agreement screen, then consensus mode."""

    BINDINGS = [Binding("q", "quit", "Stop meeting")]

    def __init__(self, project: Project, selection: Selection, actor: str) -> None:
        super().__init__()
        self.project, self.selection, self.actor = project, selection, actor

    def on_mount(self) -> None:
        open_meeting(self.project, self.selection, self.actor)
        self.push_screen(AgreementScreen(self.project, self.selection, self.actor))
