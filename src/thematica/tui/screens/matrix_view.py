"""The framework matrix (themes × cases, coded passages per cell) and the code co-occurrence matrix (codes ×
codes, units coded with both) in the workbench, for the coding this coder may see (the theme board's rule:
their own while blind, the consensus coding once there is one, everyone's when unblinded).

Keys: ``tab`` switches between the two matrices, ``escape`` returns to the transcript.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from thematica.store.project import Project


class MatrixScreen(Screen[None]):
    BINDINGS = [Binding("tab", "switch", "Other matrix"), Binding("escape", "close", "Back")]
    DEFAULT_CSS = """
    MatrixScreen #title { height: 1; background: $boost; padding: 0 1; }
    MatrixScreen DataTable { height: 1fr; }
    """

    def __init__(self, project: Project, viewer: str) -> None:
        super().__init__()
        self.project, self.viewer = project, viewer
        self.showing = "framework"
        self.framework: tuple[list[str], list[str], list[list[int]]] | None = None
        self.cooccurrence: tuple[list[str], list[list[int]]] | None = None
        self.coding = ""

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="title")
        yield DataTable(id="matrix", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="matrix")
    def _load(self) -> None:
        from thematica.themes.analysis import cooccurrence, framework_matrix
        from thematica.themes.board import board_material

        material = board_material(self.project, self.viewer)
        themes, cases, counts = framework_matrix(material)
        codes, pairs = cooccurrence(material)
        self.app.call_from_thread(self._loaded, material.coding, (themes, cases, counts.tolist()),
                                  (codes, pairs.tolist()))

    def _loaded(self, coding: str, framework: tuple[list[str], list[str], list[list[int]]],
                pairs: tuple[list[str], list[list[int]]]) -> None:
        self.coding, self.framework, self.cooccurrence = coding, framework, pairs
        self.show()

    def show(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title = self.query_one("#title", Static)
        if self.showing == "framework" and self.framework is not None:
            themes, cases, counts = self.framework
            title.update(f"Framework matrix: coded passages per theme and case ({self.coding}) · tab: co-occurrence")
            table.add_columns("Theme", *cases, "Cases")
            for theme, row in zip(themes, counts):
                table.add_row(theme, *[str(n) if n else "·" for n in row], f"{sum(1 for n in row if n)} of {len(cases)}")
        elif self.cooccurrence is not None:
            codes, pairs = self.cooccurrence
            title.update(f"Code co-occurrence: units coded with both ({self.coding}) · tab: framework matrix")
            table.add_columns("Code", *[str(number) for number in range(1, len(codes) + 1)])
            for number, (code, row) in enumerate(zip(codes, pairs), start=1):
                table.add_row(f"{number}. {code}", *["—" if i == number - 1 else (str(n) if n else "·")
                                                     for i, n in enumerate(row)])

    def action_switch(self) -> None:
        self.showing = "cooccurrence" if self.showing == "framework" else "framework"
        self.show()

    def action_close(self) -> None:
        self.app.pop_screen()
