"""Snapshots of the main screens at 80×24 and 160×50 (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.corpus.cases import import_cases_csv
from thematica.tui.app import make_app

TEXT = ("Interview T1 – dagbehandeling\n\n"
        "I: Hoe was de groep voor jou?\n\n"
        "R: Eh, eerst eng. Later voelde ik me veilig bij de therapeuten. De groep hielp mij om te zien wat ik "
        "steeds weer doe: ik trek me terug als iemand boos kijkt. Ideeën van anderen gaven me moed.\n\n"
        "I: En thuis?\n\n"
        "R: Thuis zeg ik nu vaker nee. Dat is nieuw voor me.\n")


@pytest.fixture
def study(make_project_with_text, tmp_path):
    project = make_project_with_text({"T1": TEXT, "T2": TEXT.replace("T1", "T2")})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,gender,age\nT1,vrouw,34\nT2,man,47\n", encoding="utf-8")
    import_cases_csv(project, cases)
    codebook.create_code(project, "Groep/Veiligheid", "anouk", color="#0072B2",
                         definition="De cliënt voelt zich veilig in de groep.")
    codebook.create_code(project, "Groep/Herkenning", "anouk", color="#009E73")
    codebook.create_code(project, "Patroon", "anouk", color="#E69F00")
    for quote, code in (("Later voelde ik me veilig bij de therapeuten.", "Groep/Veiligheid"),
                        ("ik trek me terug als iemand boos kijkt", "Patroon"),
                        ("De groep hielp mij om te zien wat ik steeds weer doe", "Groep/Herkenning")):
        start = TEXT.index(quote)
        apply_code(project, 1, "anouk", start, start + len(quote), code_path=code)
    return project


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_workbench(snap_compare, study, size):
    async def select_a_coded_sentence(pilot):
        await pilot.pause()
        await pilot.press("j", "j", "j")
        await pilot.pause()

    assert snap_compare(make_app(study, "anouk"), terminal_size=size, run_before=select_a_coded_sentence)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_code_picker(snap_compare, study, size):
    async def open_picker(pilot):
        await pilot.pause()
        await pilot.press("j", "j", "c", *"gr")
        await pilot.pause()

    assert snap_compare(make_app(study, "anouk"), terminal_size=size, run_before=open_picker)


def test_help_screen(snap_compare, study):
    async def open_help(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(study, "anouk"), terminal_size=(80, 24), run_before=open_help)
