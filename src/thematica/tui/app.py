"""The Textual app. ``make_app`` builds it for the CLI and for the tests alike (one factory)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from thematica.coding.coder_names import checked_coder_name, is_consensus_name
from thematica.coding.first_look import FirstLook
from thematica.errors import ThematicaError
from thematica.tui.screens.workbench import WorkbenchScreen
from thematica.tui.option_ids import option_id

if TYPE_CHECKING:  # SQLAlchemy: not before the first frame of a quick start (``tui.launch``)
    from thematica.store.project import Project


class WorkbenchCommands(Provider):
    """Every action of the workbench and the theme board in the command palette (ctrl+p): a screen
    lists its keys as ``PALETTE_KEYS`` (key, action, description, shown)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen  # the screen the palette was opened on (app.screen is the palette itself)
        matcher = self.matcher(query)
        for _, action, description, _ in getattr(screen, "PALETTE_KEYS", []):
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), partial(screen.run_action, action),
                          help=f"action: {action}")


class CoderPrompt(Screen):
    """Who is coding? Offers the project's coders and accepts a new name."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        from thematica.coding.overview import summarise

        yield Header()
        coders = [name for name in summarise(self.project).coders if not is_consensus_name(name)]
        with Vertical():
            yield Label("Who is coding? Choose your name, or type a new one and press Enter.")
            yield OptionList(*[Option(name, id=name) for name in coders], id="coders")
            yield Input(placeholder="new coder name", id="new-coder")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._start(option_id(event.option))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            try:
                name = checked_coder_name(event.value)
            except ThematicaError as error:  # a reserved name, a control character, too long
                self.notify(error.format(), severity="error")
                return
            self._start(name)

    def _start(self, coder: str) -> None:
        app = self.app
        if isinstance(app, ThematicaApp):
            app.start_coding(coder)


class ThematicaApp(App):
    TITLE = "Thematica"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(self, project: Project | None, coder: str | None = None, *, first: FirstLook | None = None,
                 location: str | None = None) -> None:
        """On an open ``project``; or, for a quick start, on the ``location`` of a project whose
        ``first`` look was read without SQLAlchemy (the workbench opens it after its first frame)."""
        super().__init__()
        self.project = project
        self.coder = coder
        self.first, self.location = first, location
        self.opened: list[Project] = []  # projects the workbench opened itself; closed by ``close_opened``
        self.failure: str | None = None  # why the workbench could not open its project (exit code 2)

    def on_mount(self) -> None:
        from thematica.errors import ThematicaError
        from thematica.tui.keymap import user_keymap

        try:
            self.set_keymap(user_keymap())
        except ThematicaError as error:
            self.notify(error.format(), severity="error", timeout=10)
        # pushed, not returned by get_default_screen: Textual loads a screen's CSS_PATH when it is pushed
        if self.coder and self.project is None:
            self.push_screen(WorkbenchScreen(None, self.coder, first=self.first, location=self.location,
                                             on_open=self._opened_by_workbench, on_failure=self._failed))
        elif self.coder:
            self.start_coding(self.coder)
        elif self.project is not None:
            self.push_screen(CoderPrompt(self.project))

    def on_ready(self) -> None:
        """The first frame is on the terminal: a quick start's workbench may now open its project."""
        if isinstance(self.screen, WorkbenchScreen):
            self.screen.open_session()

    def start_coding(self, coder: str) -> None:
        assert self.project is not None
        self.coder = coder
        self.push_screen(WorkbenchScreen(self.project, coder))

    def _opened_by_workbench(self, project: Project) -> None:
        self.project = project
        self.opened.append(project)

    def _failed(self, message: str) -> None:
        self.failure = message
        self.exit(return_code=2)

    def close_opened(self) -> None:
        for project in self.opened:
            project.close()
        self.opened.clear()


def make_app(project: Project, coder: str | None = None) -> ThematicaApp:
    return ThematicaApp(project, coder)
