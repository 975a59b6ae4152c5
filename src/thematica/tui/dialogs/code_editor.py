"""Editing a code in the workbench: rename, re-parent, colour, definition, criteria, example, merge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from thematica.coding import codebook
from thematica.coding.codebook import CodeInfo
from thematica.errors import ThematicaError
from thematica.store.project import Project

FIELDS = (("name", "Name"), ("parent", "Parent code path (empty: top level)"), ("color", "Colour (#RRGGBB)"),
          ("definition", "Definition"), ("inclusion", "Include when"), ("exclusion", "Exclude when"),
          ("example", "Example"), ("merge", "Merge into code path (segments move; this code is removed)"))


class CodeEditor(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    DEFAULT_CSS = """
    CodeEditor { align: center middle; }
    CodeEditor > VerticalScroll { width: 80%; max-width: 100; height: 90%; border: thick $primary; background: $panel; }
    """

    def __init__(self, project: Project, coder: str, code: CodeInfo, codes: list[CodeInfo]) -> None:
        super().__init__()
        self.project, self.coder, self.code, self.codes = project, coder, code, codes

    def compose(self) -> ComposeResult:
        parent = next((c.path for c in self.codes if c.id == self.code.parent_id), "")
        values = {"name": self.code.name, "parent": parent, "color": self.code.color, "definition": self.code.definition,
                  "inclusion": self.code.inclusion, "exclusion": self.code.exclusion, "example": self.code.example,
                  "merge": ""}
        with VerticalScroll():
            yield Label(f"Edit code {self.code.path} (ctrl+s saves, Escape cancels)")
            for key, title in FIELDS:
                yield Label(title)
                yield Input(value=values[key], id=f"field-{key}")
            yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()  # typing goes into the name at once

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def value(self, key: str) -> str:
        return self.query_one(f"#field-{key}", Input).value.strip()

    def action_save(self) -> None:
        try:
            merge = self.value("merge")
            if merge:
                with self.project.reading() as session:
                    target = codebook.require_code(session, merge)
                codebook.merge_codes(self.project, self.code.id, target.id, self.coder)
                self.dismiss(True)
                return
            fields = {key: self.value(key) for key in ("color", "definition", "inclusion", "exclusion", "example")}
            changed = {key: value for key, value in fields.items() if value != getattr(self.code, key)}
            if changed:
                codebook.update_code(self.project, self.code.id, self.coder, **changed)
            if self.value("name") != self.code.name:
                codebook.rename_code(self.project, self.code.id, self.value("name"), self.coder)
            current_parent = next((c.path for c in self.codes if c.id == self.code.parent_id), "")
            if self.value("parent") != current_parent:
                parent_id = None
                if self.value("parent"):
                    with self.project.reading() as session:
                        parent_id = codebook.require_code(session, self.value("parent")).id
                codebook.reparent_code(self.project, self.code.id, parent_id, self.coder)
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
