"""Merging a code in the workbench (e, the merge field) asks first when others use the code, and
u undoes it — the code back with everyone's segments — and ctrl+r merges again."""

from __future__ import annotations

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.interchange.codings_csv import export_rows
from thematica.tui.app import make_app
from thematica.tui.dialogs.code_editor import CodeEditor

from tests.conftest import INTERVIEW_WITH_LAUGH
from tests.tui.pilots import highlight, settle

TEXT = INTERVIEW_WITH_LAUGH
TARGET = "Groep/Steun bij moeilijke momenten"


async def merge_field_of(pilot, path: str) -> None:
    """From the first frame: the code editor of ``path`` (e), its focus in the merge field (seven tabs on)."""
    await pilot.pause()
    await highlight(pilot, path)
    await pilot.press("e", *["tab"] * 7)


def rows(project):
    return sorted((r.coder, r.start, r.end, r.code) for r in export_rows(project))


async def test_merge_asks_then_u_undoes_it_and_ctrl_r_redoes_it(make_project_with_text):
    study = make_project_with_text({"T1": TEXT})
    codebook.create_code(study, "Groep/Veiligheid", "anouk", color="#AA3377")
    codebook.create_code(study, TARGET, "anouk")
    start = TEXT.index("Later")
    apply_code(study, 1, "bas", start, start + 10, code_path="Groep/Veiligheid")
    apply_code(study, 1, "anouk", start, start + 10, code_path="Groep/Veiligheid")
    apply_code(study, 1, "anouk", start, start + 10, code_path=TARGET)      # a duplicate the merge drops
    before = rows(study)
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await merge_field_of(pilot, "Groep/Veiligheid")
        assert app.screen.focused is app.screen.query_one("#field-merge")
        await pilot.press(*TARGET, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodeEditor) and rows(study) == before   # asked: bas uses the code
        assert app.screen.query_one("#field-merge").value == TARGET
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(study) == [("anouk", start, start + 10, TARGET), ("bas", start, start + 10, TARGET)]
        assert "Groep/Veiligheid" not in {c.path for c in app.screen.session.codes.values()}
        await pilot.press("u")
        await settle(pilot)
        assert rows(study) == before
        restored = next(c for c in app.screen.session.codes.values() if c.path == "Groep/Veiligheid")
        assert restored.color == "#AA3377"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert rows(study) == [("anouk", start, start + 10, TARGET), ("bas", start, start + 10, TARGET)]


async def test_a_wrong_merge_target_is_refused_before_anyone_is_asked_to_confirm(make_project_with_text):
    study = make_project_with_text({"T1": TEXT})
    codebook.create_code(study, "Groep/Veiligheid", "anouk")
    start = TEXT.index("Later")
    apply_code(study, 1, "bas", start, start + 10, code_path="Groep/Veiligheid")   # shared: a merge would ask
    before = rows(study)
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await merge_field_of(pilot, "Groep/Veiligheid")
        for wrong in ("Groep/Veiligheid", "Bestaat/Niet"):
            field = app.screen.query_one("#field-merge")
            field.value = wrong
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, CodeEditor) and not app.screen.confirmed      # refused, never asked
            assert "asked" not in app.screen.query_one("#shared").classes
            assert str(app.screen.query_one("#save").label) == "Save"
        assert rows(study) == before
