"""The framework matrix and co-occurrence view of the workbench, for the coding the coder may see."""

from __future__ import annotations

from thematica.themes.service import add_theme
from thematica.tui.app import make_app
from thematica.tui.screens.matrix_view import MatrixScreen

from tests.tui.pilots import R1, R2, code_quote


async def open_matrix(pilot) -> None:
    """o, and wait until the matrix's worker has read the material and the table is drawn."""
    await pilot.pause()
    await pilot.press("o")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()



def _cells(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_matrix_shows_the_coders_own_counts_while_blind(make_project_with_text):
    project = make_project_with_text({"R1": R1, "R2": R2}, cases={"R1": "P1", "R2": "P2"})
    code_quote(project, 1, R1, "anouk", "De groep hielp mij.", "Groep")
    code_quote(project, 1, R1, "anouk", "De groep hielp mij.", "Effect")
    code_quote(project, 2, R2, "anouk", "Later was de groep eng.", "Groep")
    code_quote(project, 2, R2, "bas", "De therapeut luisterde.", "Groep")  # bas's: hidden from anouk while blind
    add_theme(project, "Veilige groep", "anouk", codes=["Groep"])
    app = make_app(project, "anouk")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_matrix(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one("DataTable")
        assert _cells(table) == [["Veilige groep", "1", "1", "2 of 2"]]
        await pilot.press("tab")
        await pilot.pause()
        rows = _cells(table)
        assert [row[0] for row in rows] == ["1. Effect", "2. Groep"] and rows[0][2] == "1"  # one sentence with both
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MatrixScreen)


LONG_THEME = "De groep als spiegel en als schuurpapier bij het oefenen"
LONG_CODE = "Multidisciplinaire aanpak/Structuur van het dagprogramma"


def _long_names_project(make_project_with_text):
    project = make_project_with_text({"R1": R1, "R2": R2}, cases={"R1": "P1", "R2": "P2"})
    for path in ("Groepsinteracties/Herkenning bij groepsgenoten", LONG_CODE):
        code_quote(project, 1, R1, "anouk", "De groep hielp mij.", path)
    code_quote(project, 2, R2, "anouk", "Later was de groep eng.", LONG_CODE)
    for number in range(1, 15):                     # many columns: the names get a third of the screen
        code_quote(project, 2, R2, "anouk", "De therapeut luisterde.", f"Zijpad/Code {number}")
    add_theme(project, LONG_THEME, "anouk", codes=[LONG_CODE])
    return project


async def test_at_80x24_names_are_shortened_visibly_and_given_in_full_below(make_project_with_text):
    app = make_app(_long_names_project(make_project_with_text), "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_matrix(pilot)
        screen = app.screen
        table = screen.query_one("DataTable")
        assert _cells(table)[0][0] == LONG_THEME        # the few count columns leave room for all of it
        await pilot.press("tab")
        await pilot.pause()
        names = [row[0] for row in _cells(table)]
        assert names[:2] == ["1. …/Herkenning bij groep…", "2. …/Structuur van het da…"]  # a third of 80
        assert names[2] == "3. Zijpad/Code 1"
        await pilot.press("down", "right")              # row 2, column 1
        await pilot.pause()
        cell = str(screen.query_one("#cell").render())
        assert f"2. {LONG_CODE} × 1. Groepsinteracties/Herkenning bij groepsgenoten: 1 unit coded with both" in cell
        assert table.fixed_columns == 1                 # the names stay while the counts scroll sideways
        assert all(column.width <= 80 for column in table.columns.values())


def test_matrix_snapshot_at_80x24(snap_compare, make_project_with_text):
    project = _long_names_project(make_project_with_text)

    async def open_on_the_codes(pilot):
        await open_matrix(pilot)
        await pilot.press("tab", "down")
        await pilot.pause()

    assert snap_compare(make_app(project, "anouk"), terminal_size=(80, 24), run_before=open_on_the_codes)


async def test_a_matrix_that_cannot_be_read_says_why_in_one_line(make_project_with_text, monkeypatch):
    from thematica.errors import ThematicaError
    from thematica.themes import board

    project = make_project_with_text({"R1": R1}, cases={"R1": "P1"})

    def unreadable(project, viewer):
        raise ThematicaError("the database is not reachable")

    monkeypatch.setattr(board, "board_material", unreadable)
    app = make_app(project, "anouk")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_matrix(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert "the database is not reachable" in str(app.screen.query_one("#title").render())


async def test_a_database_error_reading_the_matrices_is_one_line_not_a_traceback(make_project_with_text,
                                                                                 monkeypatch):
    import sqlite3

    from textual.widgets import Static

    from thematica.themes import board

    project = make_project_with_text({"R1": R1}, cases={"R1": "P1"})
    code_quote(project, 1, R1, "anouk", "De groep hielp mij.", "Groep")

    def broken(*arguments, **options):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(board, "board_material", broken)
    app = make_app(project, "anouk")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        for _ in range(100):
            await pilot.pause(0.02)
            if "could not be read" in str(app.screen.query_one("#title", Static).render()):
                break
        assert isinstance(app.screen, MatrixScreen) and app.return_code is None
        title = str(app.screen.query_one("#title", Static).render())
        assert title == "the matrices could not be read (OperationalError); Escape goes back"
