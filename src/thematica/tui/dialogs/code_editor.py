"""Editing a code in the workbench: rename, re-parent, colour, definition, criteria, example, merge."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from thematica.coding import codebook
from thematica.coding.codebook import CodeInfo
from thematica.errors import ThematicaError
from thematica.store.project import Project

FIELDS = (("name", "Name"), ("parent", "Parent code path (empty: top level)"), ("color", "Colour (#RRGGBB)"),
          ("definition", "Definition"), ("inclusion", "Include when"), ("exclusion", "Exclude when"),
          ("example", "Example"), ("merge", "Merge into code path (segments move; this code is removed)"))


class CodeEditor(ModalScreen[bool]):
    """The fields in a scrolling body between a title and the buttons, so the whole dialog fits
    80×24 and Save stays in sight; a rename or merge that changes other coders' coding is asked
    once, in the dialog, and the same Save (or ctrl+s) then goes ahead."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    DEFAULT_CSS = """
    CodeEditor { align: center middle; }
    CodeEditor > Vertical { width: 90%; max-width: 100; height: 100%; max-height: 34;
                            border: thick $primary; background: $panel; padding: 0 1; }
    CodeEditor #title { width: 100%; text-style: bold; }
    CodeEditor #path { width: 100%; color: $text-muted; }
    CodeEditor VerticalScroll { height: 1fr; }
    CodeEditor VerticalScroll Label { margin-top: 1; }
    CodeEditor #shared { width: 100%; color: $warning; text-style: bold; display: none; }
    CodeEditor #shared.asked { display: block; }
    CodeEditor #buttons { height: 1; margin-top: 1; }
    CodeEditor #buttons Button { width: auto; margin-right: 2; }
    CodeEditor #keys { width: 1fr; color: $text-muted; }
    """

    def __init__(self, project: Project, coder: str, code: CodeInfo, codes: list[CodeInfo], *,
                 shared: bool = False, rename: Callable[[int, str], object] | None = None,
                 merge: Callable[[int, int], object] | None = None,
                 reparent: Callable[[int, int | None], object] | None = None) -> None:
        """``shared``: other coders use the code, so a rename or merge asks to be confirmed (Save or
        ctrl+s twice); ``rename``, ``merge``, ``reparent``: how to do those (the coding session's,
        which go onto its undo stack)."""
        super().__init__()
        self.project, self.coder, self.code, self.codes = project, coder, code, codes
        self.shared, self.confirmed = shared, False
        self.rename = rename or (lambda code_id, name: codebook.rename_code(self.project, code_id, name, self.coder))
        self.merge = merge or (lambda source, target: codebook.merge_codes(self.project, source, target, self.coder))
        self.reparent = reparent or (lambda code_id, parent: codebook.reparent_code(self.project, code_id, parent,
                                                                                    self.coder))

    def compose(self) -> ComposeResult:
        parent = next((c.path for c in self.codes if c.id == self.code.parent_id), "")
        values = {"name": self.code.name, "parent": parent, "color": self.code.color, "definition": self.code.definition,
                  "inclusion": self.code.inclusion, "exclusion": self.code.exclusion, "example": self.code.example,
                  "merge": ""}
        with Vertical():
            yield Static(f"Edit code {self.code.name}", id="title", markup=False)
            yield Static(self.code.path, id="path", markup=False)
            with VerticalScroll():
                for key, title in FIELDS:
                    yield Label(title)
                    yield Input(value=values[key], id=f"field-{key}", compact=True)
            yield Static(id="shared", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
                yield Static("ctrl+s saves · Escape cancels", id="keys")

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()  # typing goes into the name at once

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
        else:
            self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def value(self, key: str) -> str:
        return self.query_one(f"#field-{key}", Input).value.strip()

    def action_save(self) -> None:
        merge = self.value("merge")
        target = None
        if merge:
            try:  # a wrong target is refused before anyone is asked to confirm it
                target = codebook.merge_target(self.project, self.code.id, merge)
            except ThematicaError as error:
                self.notify(error.format(), severity="error")
                return
        if self.shared and not self.confirmed and (merge or self.value("name") != self.code.name):
            self.confirmed = True  # asked once: the next Save (Enter or ctrl+s) goes ahead
            change = f"merging it into {merge}" if merge else f"renaming it to {self.value('name')}"
            warning = self.query_one("#shared", Static)
            warning.update(f"Other coders use this code: {change} changes their coding too (logged; u undoes it). "
                           "Save again to go ahead, Escape to cancel.")
            warning.add_class("asked")
            button = self.query_one("#save", Button)
            button.label = "Merge for everyone" if merge else "Rename for everyone"
            button.variant = "warning"
            button.refresh(layout=True)  # the longer label gets its width
            button.focus()
            return
        try:
            if target is not None:
                self.merge(self.code.id, target.id)
                self.notify(f"merged {self.code.path} into {merge}; u undoes it")
                self.dismiss(True)
                return
            fields = {key: self.value(key) for key in ("color", "definition", "inclusion", "exclusion", "example")}
            changed = {key: value for key, value in fields.items() if value != getattr(self.code, key)}
            if changed:
                codebook.update_code(self.project, self.code.id, self.coder, **changed)
            if self.value("name") != self.code.name:
                self.rename(self.code.id, self.value("name"))
            current_parent = next((c.path for c in self.codes if c.id == self.code.parent_id), "")
            if self.value("parent") != current_parent:
                parent_id = None
                if self.value("parent"):
                    with self.project.reading() as session:
                        parent_id = codebook.require_code(session, self.value("parent")).id
                self.reparent(self.code.id, parent_id)
        except ThematicaError as error:
            self.notify(error.format(), severity="error")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
