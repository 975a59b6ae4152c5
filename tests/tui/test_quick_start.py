"""The quick start: the workbench's first frame from the first look, then the session takes over and
the screen is the ordinary start's; keys before that wait for nothing; a project that cannot be
opened ends the app with exit code 2 and one line. And the real command on a pseudo-terminal."""

from __future__ import annotations

import sys
import threading

import pytest

from thematica.coding.first_look import first_look
from thematica.coding.segments import apply_code
from thematica.errors import ThematicaError
from thematica.tui.app import ThematicaApp, make_app
from thematica.tui.screens.workbench import WorkbenchScreen
from thematica.tui.widgets.code_tree import CodeTree
from thematica.tui.widgets.transcript import TranscriptView

from tests.conftest import INTERVIEW
from tests.tui.pilots import run_in_terminal, until_exit

TEXT = INTERVIEW.removeprefix("Interview T1\n\n")          # no title line: the first unit is the question


@pytest.fixture
def study(make_study):
    project = make_study({"T1": TEXT, "T2": TEXT.replace("groep", "club")}, ["Groep/Veiligheid", "Thuis"])
    start = TEXT.index("Later")
    apply_code(project, 1, "anouk", start, start + 45, code_path="Groep/Veiligheid")
    apply_code(project, 1, "bas", TEXT.index("Thuis"), len(TEXT) - 1, code_path="Thuis")  # blind: not anouk's
    return project


def screen_text(app) -> tuple[list[str], list[str]]:
    """What the transcript (with its margin) and the code tree show, line by line."""
    transcript = app.screen.query_one(TranscriptView)
    tree = app.screen.query_one(CodeTree)
    lines = [transcript.render_line(y).text for y in range(transcript.size.height)]
    codes = [tree.render_line(y).text for y in range(tree.size.height)]
    return lines, codes


async def ordinary_screen(project, size):
    app = make_app(project, "anouk")
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        return screen_text(app)


def opening_held(monkeypatch) -> threading.Event:
    """Hold ``open_project`` in the quick start's worker until the returned event is set."""
    from thematica.store import project as project_module

    release = threading.Event()
    real = project_module.open_project

    def held(location, **options):
        release.wait(10)
        return real(location, **options)
    monkeypatch.setattr(project_module, "open_project", held)
    return release


async def test_the_first_frame_shows_the_transcript_then_the_session_takes_over(study, monkeypatch):
    size = (110, 30)
    ordinary = await ordinary_screen(study, size)
    look = first_look(study.location, "anouk")
    assert look is not None
    release = opening_held(monkeypatch)
    app = ThematicaApp(None, "anouk", first=look, location=study.location)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkbenchScreen) and not screen.session_open
        lines, codes = screen_text(app)
        assert any("Later voelde ik me veilig" in line for line in lines)
        assert any("Veiligheid" in line for line in lines)          # anouk's stripe and label in the margin
        assert not any("Thuis" in line for line in lines if "nee" not in line)  # bas's coding stays hidden
        assert "opening the project" in str(screen.query_one("#status").render())
        await pilot.press("j", "a", "d")                            # typed ahead: nothing happens, nothing breaks
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session_open and app.project is not None
        assert screen_text(app) == ordinary
        assert TEXT[slice(*look.selection)] == "Hoe was de groep?"  # the first frame's selection
        await pilot.press("j")                                      # now keys work
        await pilot.pause()
        answer = TEXT.index("Eh, eerst eng.")                       # one unit on: the j typed ahead was not kept
        assert screen.session.selection == (answer, answer + len("Eh, eerst eng."))
    assert app.opened == [app.project]                              # the launcher closes it after the app
    app.close_opened()
    from thematica.interchange.codings_csv import export_rows
    assert len(export_rows(study, ["anouk"])) == 1                  # the keys typed ahead coded nothing


async def test_a_project_that_cannot_be_opened_ends_with_exit_2_and_one_line(study, monkeypatch):
    look = first_look(study.location, "anouk")
    from thematica.store import project as project_module

    def refused(location, **options):
        raise ThematicaError("cannot open the project database (disk I/O error)", path=location)
    monkeypatch.setattr(project_module, "open_project", refused)
    app = ThematicaApp(None, "anouk", first=look, location=study.location)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_exit(pilot)
    assert app.return_code == 2 and app.failure is not None
    assert app.failure.endswith("cannot open the project database (disk I/O error)") and "\n" not in app.failure


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_thematica_code_in_a_terminal_shows_the_transcript_and_quits_cleanly(study, child_environment, tmp_path,
                                                                             project_digest):
    """The real command, in a new process on a pseudo-terminal: the transcript arrives, ctrl+q
    ends it with exit code 0, and nothing of the project changed (reads never write)."""
    study.close()
    before = project_digest(study.location)
    environment = {**child_environment, "TERM": "xterm-256color", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    code, seen = run_in_terminal(["code", study.location, "--coder", "anouk"], environment,
                                 until=b"Later voelde", keys=b"\x11")  # ctrl+q once the session has opened
    assert code == 0
    assert b"Traceback" not in seen
    assert project_digest(study.location) == before
