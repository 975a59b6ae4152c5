"""Opening the workbench under a name the project does not know says so (a typo in --coder would
otherwise start coding under a new coder without a word); a known coder sees no such notice."""

from __future__ import annotations

from textual.widgets import Static

from thematica.tui.app import make_app

from tests.tui.pilots import R1, code_quote, settle


async def test_a_new_coder_is_told_and_a_known_one_is_not(make_study):
    project = make_study({"R1": R1}, ["Groep"])
    code_quote(project, 1, R1, "anouk", "De groep hielp mij.", "Groep")
    for coder, told in (("anuok", True), ("anouk", False)):
        app = make_app(project, coder)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            status = str(app.screen.query_one("#status", Static).render())
            assert ("new coder anuok: created by your first coding" in status) is told, status
