"""A footer generated from the active keymap: the most important keys that fit, ``?`` and ``q``
always (Textual's footer drops the last bindings when the width runs out)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from thematica.tui.keymap import Key, footer_entry, footer_text


class KeyFooter(Static):
    DEFAULT_CSS = "KeyFooter { height: 1; dock: bottom; background: $panel; }"

    def __init__(self, keys: tuple[Key, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = keys

    def on_resize(self) -> None:
        self.draw()

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        text = Text(no_wrap=True, overflow="crop")
        for shown, description in footer_text(self.keys, max(20, self.size.width or 80)):
            key, what = footer_entry(shown, description)
            text.append(key, style="bold reverse")
            text.append(what)
        self.update(text)
