"""Small modal dialogs: a fuzzy code picker and a one-line text prompt."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from thematica.coding.codebook import CodeInfo


def fuzzy_score(query: str, candidate: str) -> int | None:
    """Subsequence match, case-insensitive; lower is better (gaps and a late start cost). None: no match."""
    query, candidate = query.lower(), candidate.lower()
    if not query:
        return 0
    if query in candidate:
        return candidate.index(query)
    position, score = 0, 0
    for char in query:
        found = candidate.find(char, position)
        if found < 0:
            return None
        score += found - position
        position = found + 1
    return 100 + score


class CodePicker(ModalScreen[int | None]):
    """Type to filter the codes; Enter applies the highlighted one; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical { width: 70%; max-width: 90; height: 80%; border: thick $primary; background: $panel; }
    CodePicker OptionList { height: 1fr; }
    """

    def __init__(self, codes: list[CodeInfo], title: str = "Apply code") -> None:
        super().__init__()
        self.codes = codes
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder="type to filter codes", id="filter")
            yield OptionList(id="codes")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#codes", OptionList)
        options.clear_options()
        ranked = sorted(((fuzzy_score(query, code.path), code) for code in self.codes), key=lambda p: (p[0] is None, p[0] or 0))
        options.add_options([Option(f"[{code.color}]■[/] {code.path}", id=str(code.id))
                             for score, code in ranked if score is not None])
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#codes", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(int(options.get_option_at_index(options.highlighted).id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def on_key(self, event) -> None:
        options = self.query_one("#codes", OptionList)
        if event.key in ("down", "up") and self.focused is self.query_one("#filter"):
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 70%; max-width: 90; height: auto; border: thick $primary; background: $panel; padding: 0 1; }
    """

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(value=self.value, placeholder=self.placeholder, id="answer")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePicker(ModalScreen[str | None]):
    """Type to filter a list of names (themes, say); Enter returns the highlighted one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > Vertical { width: 70%; max-width: 90; height: 70%; border: thick $primary; background: $panel; }
    ChoicePicker OptionList { height: 1fr; }
    """

    def __init__(self, choices: list[str], title: str) -> None:
        super().__init__()
        self.choices, self.title_text = choices, title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder="type to filter", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        ranked = sorted((score, name) for name in self.choices if (score := fuzzy_score(query, name)) is not None)
        options.add_options([Option(name, id=str(self.choices.index(name))) for _, name in ranked])
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(self.choices[int(options.get_option_at_index(options.highlighted).id)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id)])

    def on_key(self, event) -> None:
        options = self.query_one("#choices", OptionList)
        if event.key in ("down", "up") and self.focused is self.query_one("#filter"):
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)
