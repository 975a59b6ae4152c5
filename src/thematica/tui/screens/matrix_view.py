"""The framework matrix (themes × cases, coded passages per cell) and the code co-occurrence matrix (codes ×
codes, units coded with both) in the workbench, for the coding this coder may see (the theme board's rule:
their own while blind, the consensus coding once there is one, everyone's when unblinded).

Keys: ``tab`` switches between the two matrices, ``escape`` returns to the transcript; the arrows move
through the cells. The name column stays in place while the counts scroll sideways; a name longer
than a third of the screen is shortened in the table (a code to ``N. …/its own name``), and the line
under the table gives the highlighted row's full name, the column's and the count.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from thematica.errors import ThematicaError
from thematica.store.project import Project


class MatrixScreen(Screen[None]):
    BINDINGS = [Binding("tab", "switch", "Other matrix"), Binding("escape", "close", "Back")]
    DEFAULT_CSS = """
    MatrixScreen #title { height: auto; background: $boost; padding: 0 1; }
    MatrixScreen DataTable { height: 1fr; }
    MatrixScreen #cell { height: auto; max-height: 3; background: $boost; padding: 0 1; }
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
        yield DataTable(id="matrix", zebra_stripes=True, fixed_columns=1, cursor_type="cell")
        yield Static("", id="cell")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def _load(self) -> None:
        from thematica.themes.analysis import cooccurrence, framework_matrix
        from thematica.themes.board import board_material

        try:
            material = board_material(self.project, self.viewer)
            themes, cases, counts = framework_matrix(material)
            codes, pairs = cooccurrence(material)
        except ThematicaError as error:  # one line in the title, not a traceback that ends the workbench
            self.app.call_from_thread(self.query_one("#title", Static).update, str(error))
            return
        self.app.call_from_thread(self._loaded, material.coding, (themes, cases, counts.tolist()),
                                  (codes, pairs.tolist()))

    @on(Worker.StateChanged)
    def _load_failed(self, event: Worker.StateChanged) -> None:
        """An error the read did not expect (a database error): one line in the title, the app stays
        open (as the workbench's read workers do)."""
        if event.state is WorkerState.ERROR and event.worker.group == "matrix":
            self.query_one("#title", Static).update(
                f"the matrices could not be read ({type(event.worker.error).__name__}); Escape goes back")

    def _loaded(self, coding: str, framework: tuple[list[str], list[str], list[list[int]]],
                pairs: tuple[list[str], list[list[int]]]) -> None:
        self.coding, self.framework, self.cooccurrence = coding, framework, pairs
        self.show()

    def one_line(self, what: str) -> str:
        """The title on one line at any width (80 columns too): what the matrix counts and whose
        coding, the coders' names shortened to what is left (the footer says tab switches)."""
        room = max(10, self.size.width - 2 - len(what) - 3)
        coding = self.coding if len(self.coding) <= room else self.coding[:room - 1] + "…"
        return f"{what} · {coding}" if coding else what

    def name_room(self, header: list[str], cells: list[list[str]]) -> int:
        """Columns for the names: what the count columns leave of the screen (each cell is padded by
        one on either side; a vertical scrollbar takes two), at least a third of it and 14."""
        counts = sum(max(len(label), *(len(row[i]) for row in cells)) + 2 if cells else len(label) + 2
                     for i, label in enumerate(header[1:]))
        return max(14, self.size.width // 3, self.size.width - counts - 2 - 2)

    def show(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        title = self.query_one("#title", Static)
        header: list[str] = []
        names: list[str] = []
        cells: list[list[str]] = []
        label: Callable[[str, int], str] = shortened
        if self.showing == "framework" and self.framework is not None:
            themes, cases, counts = self.framework
            title.update(self.one_line("Framework matrix · passages per theme × case"))
            header, names = ["Theme", *cases, "Cases"], themes
            cells = [[*[str(n) if n else "·" for n in row], f"{sum(1 for n in row if n)} of {len(cases)}"]
                     for row in counts]
        elif self.cooccurrence is not None:
            codes, pairs = self.cooccurrence
            title.update(self.one_line("Co-occurrence · units coded with both codes"))
            header = ["Code", *[str(number) for number in range(1, len(codes) + 1)]]
            names = [f"{number}. {code}" for number, code in enumerate(codes, start=1)]
            cells = [["—" if i == number else (str(n) if n else "·") for i, n in enumerate(row)]
                     for number, row in enumerate(pairs)]
            label = code_label
        room = self.name_room(header, cells)
        rows = [[label(name, room), *row] for name, row in zip(names, cells)]
        # explicit widths: after clear(columns=True) the table's own measuring keeps the headers' widths
        for index, title_text in enumerate(header):
            table.add_column(title_text, width=max(len(title_text), *(len(row[index]) for row in rows))
                             if rows else len(title_text))
        table.add_rows(rows)
        if table.row_count:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)
        self.describe(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def describe(self, row: int, column: int) -> None:
        """The highlighted cell in words, with the full names."""
        line = ""
        if self.showing == "framework" and self.framework is not None and row < len(self.framework[0]):
            themes, cases, counts = self.framework
            line = themes[row]
            if 1 <= column <= len(cases):
                n = counts[row][column - 1]
                line += f" · case {cases[column - 1]}: {n} coded passage{'s' if n != 1 else ''}"
            else:
                line += f" · in {sum(1 for n in counts[row] if n)} of {len(cases)} cases"
        elif self.showing != "framework" and self.cooccurrence is not None and row < len(self.cooccurrence[0]):
            codes, pairs = self.cooccurrence
            line = f"{row + 1}. {codes[row]}"
            if 1 <= column <= len(codes) and column - 1 != row:
                n = pairs[row][column - 1]
                line += f" × {column}. {codes[column - 1]}: {n} unit{'s' if n != 1 else ''} coded with both"
        self.query_one("#cell", Static).update(line or "no rows: nothing coded that this view counts")

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.describe(event.coordinate.row, event.coordinate.column)

    def on_resize(self, event: events.Resize) -> None:
        if self.framework is not None:
            self.show()

    def action_switch(self) -> None:
        self.showing = "cooccurrence" if self.showing == "framework" else "framework"
        self.show()

    def action_close(self) -> None:
        self.app.pop_screen()


def shortened(name: str, room: int) -> str:
    """``name`` cut to ``room`` columns with an ellipsis."""
    return name if len(name) <= room else name[:room - 1].rstrip() + "…"


def code_label(numbered: str, room: int) -> str:
    """``N. Parent/Code``; when that is too long, ``N. …/Code`` (the code's own name tells it
    apart), cut to ``room`` columns."""
    if len(numbered) <= room or "/" not in numbered:
        return shortened(numbered, room)
    number = numbered.split(". ", 1)[0]
    return shortened(f"{number}. …/{numbered.rsplit('/', 1)[1]}", room)
