"""Exporting a code's retrieval from the workbench proposes a file beside the project and says
where it went (before, the bare name landed in whatever folder the workbench was started from)."""

from __future__ import annotations

import os

from thematica.tui.app import make_app
from thematica.tui.dialogs.lists import RetrievalScreen
from thematica.tui.dialogs.prompts import TextPrompt

from tests.tui.pilots import R1, code_quote, highlight, settle


async def test_the_export_goes_beside_the_project_and_the_notice_names_it(make_study, tmp_path, monkeypatch):
    project = make_study({"R1": R1}, ["Groep/Steun"])
    code_quote(project, 1, R1, "anouk", "De groep hielp mij.", "Groep/Steun")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = make_app(project, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, "Groep/Steun")
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")
        await settle(pilot)
        expected = (project.path.parent / "Groep-Steun.md").resolve()
        assert expected.exists() and os.listdir(elsewhere) == []
        assert any(str(expected) in str(notice.message) for notice in app._notifications)
