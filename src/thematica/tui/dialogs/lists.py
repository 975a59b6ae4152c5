"""Search results, code retrieval and the help screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from thematica.coding.views import Hit, Retrieved
from thematica.tui.option_ids import option_number
from thematica.tui.keymap import display_key


class SearchScreen(ModalScreen[Hit | None]):
    """Keyword in context across all documents; Enter jumps to the place."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 90%; height: 85%; border: thick $primary; background: $panel; }
    SearchScreen OptionList { height: 1fr; }
    """

    def __init__(self, search) -> None:
        super().__init__()
        self.search = search
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Search all documents (Enter: search, then choose a result)")
            yield Input(placeholder="words to find", id="query")
            yield OptionList(id="hits")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.hits = self.search(event.value)
        options = self.query_one(OptionList)
        options.clear_options()
        for number, hit in enumerate(self.hits):
            line = Text.assemble((f"{hit.document:>6} ", "bold"), "…" + hit.before, (hit.match, "reverse"), hit.after + "…")
            options.add_option(Option(line, id=str(number)))
        if self.hits:
            options.highlighted = 0
            options.focus()
        else:
            self.notify("no matches")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[option_number(event.option)])

    def action_cancel(self) -> None:
        self.dismiss(None)


def retrieved_line(found: Retrieved) -> Text:
    """Header (document · case · speaker · coder), then the passage between its neighbouring sentences."""
    line = Text.assemble((f"{found.document} · {found.case or '–'} · {found.speaker or '–'} · {found.coder}", "bold"),
                         "\n")
    if found.before:
        line.append(found.before + " ", style="dim")
    line.append(" ".join(found.text.split()), style="bold")
    if found.after:
        line.append(" " + found.after, style="dim")
    if found.memo:
        line.append(f"\nmemo: {found.memo}", style="italic")
    return line


class RetrievalScreen(ModalScreen[Retrieved | None]):
    """All segments of a code across documents, with context, case and speaker; Enter jumps,
    x exports the list (.md, .docx, .csv)."""

    BINDINGS = [Binding("escape", "cancel", "Close"), Binding("x", "export", "Export")]
    DEFAULT_CSS = """
    RetrievalScreen { align: center middle; }
    RetrievalScreen > Vertical { width: 90%; height: 85%; border: thick $primary; background: $panel; }
    RetrievalScreen OptionList { height: 1fr; }
    """

    def __init__(self, title: str, found: list[Retrieved], folder: str | None = None) -> None:
        """``folder``: where the export is proposed (the project's folder; the working folder if None)."""
        super().__init__()
        self.title_text, self.found, self.folder = title, found, folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text} — {len(self.found)} segments (Enter: go there · x: export .md/.docx/.csv)")
            yield OptionList(*[Option(retrieved_line(r), id=str(n)) for n, r in enumerate(self.found)], id="found")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[int(event.option.id or 0)])

    def action_export(self) -> None:
        from pathlib import Path

        from thematica.errors import ThematicaError
        from thematica.reports.retrieval_report import write_retrieval
        from thematica.tui.dialogs.prompts import TextPrompt

        def chosen(path: str | None) -> None:
            if not path or not path.strip():
                return
            try:
                written = write_retrieval(self.title_text, self.found, Path(path.strip()).expanduser())
            except ThematicaError as error:
                self.notify(error.format(), severity="error")
                return
            self.notify(f"{len(self.found)} segments written to {Path(written).resolve()}")
        safe = "".join(c if c.isalnum() else "-" for c in self.title_text).strip("-")
        proposed = (Path(self.folder) if self.folder else Path.cwd()).resolve() / f"{safe}.md"
        self.app.push_screen(TextPrompt("Export to (.md, .docx or .csv)", value=str(proposed)), chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close"),
                Binding("j", "scroll(1)", "Down", show=False), Binding("k", "scroll(-1)", "Up", show=False)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80%; max-width: 100; height: 90%; border: thick $primary; background: $panel; padding: 0 1; }
    """

    def __init__(self, keys: list[tuple[str, str, str, bool]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        rows = Text("Keys of the coding workbench (also in the command palette, ctrl+p)\n\n", style="bold")
        for key, _, description, _ in self.keys:
            shown = ",".join(display_key(name) for name in key.split(","))
            rows.append(f"{shown:<22}", style="bold cyan")
            rows.append(f"{description}\n")
        rows.append("\nj/k or the arrow keys scroll this help. Tab moves between the document list, the transcript and the code tree. "
                    "Everything is saved as you go.\n", style="dim")
        with VerticalScroll():
            yield Static(rows)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
