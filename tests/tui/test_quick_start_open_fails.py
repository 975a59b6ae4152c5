"""A session read that fails after the quick start's first frame ends with exit 2 and one line."""
import sqlite3

from thematica.coding import codebook
from thematica.coding.first_look import first_look
from thematica.coding.segments import apply_code
from thematica.tui.app import ThematicaApp
from thematica.tui.screens.workbench import WorkbenchScreen

from tests.tui.pilots import until_exit

TEXT = "I: Hoe was het?\nR: Later voelde ik me veilig in de groep. Thuis niet.\n"


async def test_a_failed_session_read_ends_with_exit_2_and_one_line(make_project_with_text, monkeypatch):
    project = make_project_with_text({"T1": TEXT})
    codebook.create_code(project, "Veiligheid", "anouk")
    apply_code(project, 1, "anouk", 3, 10, code_path="Veiligheid")
    look = first_look(project.location, "anouk")
    assert look is not None
    from thematica.coding import session as session_module

    def broken(self, *, totals=True):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(session_module.CodingSession, "load", broken)
    app = ThematicaApp(None, "anouk", first=look, location=project.location)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_exit(pilot)
    assert app.return_code == 2 and app.failure is not None, (app.return_code, app.failure)
    assert "\n" not in app.failure and "OperationalError" in app.failure
    assert app.opened == []
