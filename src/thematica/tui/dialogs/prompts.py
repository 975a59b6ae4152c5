"""Small modal dialogs: a fuzzy code picker and a one-line text prompt."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from thematica.coding.views import CodeInfo
from thematica.tui.option_ids import option_number


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


class FilterPicker(ModalScreen):
    """Type to filter a list; Enter (or a click) returns the highlighted item's value; Escape, None.

    ``items`` are (value, label markup, text the filter matches), ranked by ``fuzzy_score``.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    FilterPicker { align: center middle; }
    FilterPicker > Vertical { width: 70%; max-width: 90; height: 80%; border: thick $primary; background: $panel; }
    FilterPicker OptionList { height: 1fr; }
    FilterPicker Label { width: 100%; }
    """

    def __init__(self, items: list[tuple[object, str, str]], title: str, placeholder: str = "type to filter") -> None:
        super().__init__()
        self.items, self.title_text, self.placeholder = items, title, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder=self.placeholder, id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        ranked = sorted(((fuzzy_score(query, text), number) for number, (_, _, text) in enumerate(self.items)),
                        key=lambda pair: (pair[0] is None, pair[0] or 0, pair[1]))
        options.add_options([Option(self.items[number][1], id=str(number)) for score, number in ranked
                             if score is not None])
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(self.items[option_number(options.get_option_at_index(options.highlighted))][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[option_number(event.option)][0])

    def on_key(self, event) -> None:
        options = self.query_one("#choices", OptionList)
        if event.key in ("down", "up") and self.focused is self.query_one("#filter"):
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodePicker(FilterPicker):
    """Pick a code (its id) by typing part of its path."""

    def __init__(self, codes: list[CodeInfo], title: str = "Apply code") -> None:
        super().__init__([(code.id, f"[{code.color}]■[/] {code.path}", code.path) for code in codes], title,
                         "type to filter codes")


class ChoicePicker(FilterPicker):
    """Pick one of a list of names (themes, groups)."""

    def __init__(self, choices: list[str], title: str) -> None:
        super().__init__([(name, escape(name), name) for name in choices], title)


class TextPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 70%; min-width: 40; max-width: 90; height: auto; max-height: 100%;
                            border: thick $primary; background: $panel; padding: 0 1; }
    TextPrompt Label { width: 100%; }  /* a long title wraps, never cut at the border */
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
