"""A read worker's unexpected database error is one line and the workbench stays open."""
import sqlite3

from thematica.coding import codebook
from thematica.tui.app import make_app
from thematica.tui.screens.workbench import WorkbenchScreen

TEXT = "I: Hoe was het?\nR: Later voelde ik me veilig in de groep. Thuis niet.\n"


async def test_a_failing_poll_says_so_and_the_workbench_stays(make_project_with_text, monkeypatch):
    project = make_project_with_text({"T1": TEXT})
    codebook.create_code(project, "Veiligheid", "anouk")
    from thematica.coding import session as session_module

    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(session_module.CodingSession, "poll", broken)
    app = make_app(project, "anouk")
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause(1.5)
        screen = app.screen
        assert isinstance(screen, WorkbenchScreen)
        assert app.return_code is None
        assert "looking for other coders' changes failed (OperationalError)" in screen.notice
        assert "OperationalError" in str(screen.query_one("#status").render())
        await pilot.press("j")
        await pilot.pause()
        assert app.return_code is None
