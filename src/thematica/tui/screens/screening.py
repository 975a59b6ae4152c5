"""The screening screen: one record at a time, the inclusion criteria's keywords highlighted, a key per
decision. The reviewer sees only their own decisions (the session loads nothing else).

Keys: ``i`` include, ``e`` exclude (at full text: pick the reason), ``m`` maybe, ``n``/``→`` next,
``p``/``←`` previous, ``u`` next undecided, ``q`` quit.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from thematica.errors import ThematicaError
from thematica.review.screening_session import ScreeningSession
from thematica.vocabulary import ReviewDecision, ReviewStage
from thematica.tui.dialogs.prompts import FilterPicker

DECISION_STYLE = {"include": "bold green", "exclude": "bold red", "maybe": "bold yellow"}


class ScreeningApp(App[None]):
    TITLE = "Thematica screening"
    CSS = """
    #status { height: 1; background: $boost; padding: 0 1; }
    #record { padding: 1 2; }
    """
    BINDINGS = [
        Binding("i", "decide('include')", "Include"),
        Binding("e", "decide('exclude')", "Exclude"),
        Binding("m", "decide('maybe')", "Maybe"),
        Binding("n,right", "move(1)", "Next"),
        Binding("p,left", "move(-1)", "Previous"),
        Binding("u", "undecided", "Next undecided"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: ScreeningSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with VerticalScroll():
            yield Static(id="record")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def _highlighted(self, text: str, style: str = "") -> Text:
        rich = Text(text, style=style)
        pattern = self.session.keyword_pattern()
        if pattern is not None:
            rich.highlight_regex(pattern, "reverse bold")
        return rich

    def show(self) -> None:
        s = self.session
        record = s.current
        own = s.decision_of(record.id)
        status = Text(f"{s.reviewer} · {s.stage.value} · record {s.index + 1} of {len(s.records)} · "
                      f"decided {s.decided} of {len(s.records)}")
        self.query_one("#status", Static).update(status)
        body = Text()
        body.append_text(self._highlighted(record.title, "bold"))
        body.append("\n")
        meta = " · ".join(part for part in (record.authors, str(record.year or ""), record.journal,
                                            record.doi and f"doi:{record.doi}", record.database) if part)
        body.append(meta + "\n\n", style="dim")
        body.append_text(self._highlighted(record.abstract or "(no abstract)"))
        body.append("\n\n")
        if own is None:
            body.append("not decided yet", style="dim italic")
        else:
            body.append(f"your decision: {own[0]}", style=DECISION_STYLE.get(own[0], ""))
            if own[1]:
                body.append(f" ({own[1]})")
        self.query_one("#record", Static).update(body)

    def action_move(self, step: int) -> None:
        self.session.move(step)
        self.show()

    def action_undecided(self) -> None:
        if not self.session.next_undecided():
            self.notify("every record is decided")
        self.show()

    def action_decide(self, decision: str) -> None:
        chosen = ReviewDecision(decision)
        if chosen is ReviewDecision.EXCLUDE and self.session.stage is ReviewStage.FULLTEXT:
            reasons = self.session.reasons
            if not reasons:
                self.notify("set the exclusion reasons first ('thematica review reasons')", severity="error")
                return
            items: list[tuple[object, str, str]] = [(reason, escape(reason), reason) for reason in reasons]
            self.push_screen(FilterPicker(items, "Exclusion reason"), lambda reason: self._record(chosen, reason))
            return
        self._record(chosen, "")

    def _record(self, decision: ReviewDecision, reason: object) -> None:
        if reason is None:
            return
        try:
            self.session.decide(decision, str(reason))
        except ThematicaError as error:
            self.notify(error.reason, severity="error")
            return
        self.session.next_undecided()
        self.show()


def run_screening(location: str, reviewer: str, stage: ReviewStage) -> None:
    from thematica.store.project import open_project

    with open_project(location) as project:
        ScreeningApp(ScreeningSession(project, reviewer, stage)).run()
