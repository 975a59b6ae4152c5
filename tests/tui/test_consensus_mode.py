"""Pilot tests of consensus mode on the hand-made project of tests/coding/test_consensus.py."""

from __future__ import annotations

import pytest

from thematica.coding.consensus.meeting import Selection, decision_log
from thematica.coding.segments import apply_code, set_document_status
from thematica.interchange.codings_csv import export_rows
from thematica.tui.screens.consensus import AgreementScreen, ConsensusApp, ConsensusScreen

SENTENCES = ["De groep hielp.", "De therapeut was warm.", "Ik durfde meer.", "Thuis ging het beter.", "Verder niets."]
TEXT = "I: Hoe was het?\n\nR: " + " ".join(SENTENCES) + "\n"
SELECTION = Selection("anouk", "bas")


@pytest.fixture
def study(make_project_with_text):
    project = make_project_with_text({"R1": TEXT})
    for coder, sentence, code in [
        ("anouk", SENTENCES[0], "Groep"), ("bas", SENTENCES[0], "Groep"), ("anouk", SENTENCES[1], "Therapeut"),
        ("anouk", SENTENCES[2], "Effect"), ("bas", SENTENCES[2], "Groep"), ("bas", SENTENCES[3], "Effect"),
    ]:
        start = TEXT.index(sentence)
        apply_code(project, 1, coder, start, start + len(sentence), code_path=code)
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    return project


def consensus(project):
    return sorted((TEXT[r.start:r.end], r.code) for r in export_rows(project, ["consensus:anouk+bas"]))


async def test_decisions_by_key_write_consensus_and_log(study):
    app = ConsensusApp(study, SELECTION, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, AgreementScreen)
        await pilot.press("m")
        assert isinstance(app.screen, ConsensusScreen)
        await pilot.click("#rationale")
        await pilot.press(*"warm telt", "enter")
        await pilot.press("a")          # s2: keep A (Therapeut)
        await pilot.press("o")          # s3: both (Effect + Groep)
        await pilot.press("r")
        await pilot.press(*"Groep", "enter")  # s4: recode as Groep
        await pilot.pause()
    assert consensus(study) == sorted([
        (SENTENCES[0], "Groep"), (SENTENCES[1], "Therapeut"), (SENTENCES[2], "Effect"),
        (f"{SENTENCES[2]} {SENTENCES[3]}", "Groep"),
    ])
    log = decision_log(study)
    assert [(row.decision, row.rationale) for row in log] == [("keep_a", "warm telt"), ("both", ""), ("recode", "")]


async def test_stopping_and_resuming_continues_at_the_first_undecided_passage(study):
    app = ConsensusApp(study, SELECTION, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("x")          # s2: neither
        await pilot.pause()
    assert [row.decision for row in decision_log(study)] == ["neither"]
    app = ConsensusApp(study, SELECTION, "bas")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsensusScreen)
        passage = screen.passages[screen.index]
        assert TEXT[passage.start:passage.end] == SENTENCES[2]
        assert "1 of 3 decided" in str(screen.query_one("#progress").render())
    assert [row.decision for row in decision_log(study)] == ["neither"]


async def test_agreement_screen_drills_into_one_codes_disagreements(study):
    app = ConsensusApp(study, SELECTION, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("DataTable")
        codes = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert codes[-1] == "Groep"
        therapeut = codes.index("Therapeut")
        for _ in range(therapeut):
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, ConsensusScreen)
        assert [TEXT[p.start:p.end] for p in app.screen.passages] == [SENTENCES[1]]


async def test_escape_on_the_agreement_screen_goes_to_the_meeting_not_a_blank_screen(study):
    app = ConsensusApp(study, SELECTION, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, AgreementScreen)
        assert "deciding: anouk" in app.screen.title
        await pilot.press("escape")
        assert isinstance(app.screen, ConsensusScreen)
        assert "deciding: anouk" in app.screen.title
        await pilot.press("escape")
        assert isinstance(app.screen, AgreementScreen)


async def test_a_boundary_disagreement_shows_each_coders_extent(study):
    part = "ging het beter"
    start = TEXT.index(part)
    apply_code(study, 1, "anouk", start, start + len(part), code_path="Effect")
    whole = TEXT.index(SENTENCES[3])
    app = ConsensusApp(study, SELECTION, "bas")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("m")
        screen = app.screen
        screen.index = next(i for i, p in enumerate(screen.passages) if p.kind == "boundary")
        screen.show()
        await pilot.pause()
        a = str(screen.query_one("#coding-a").render())
        b = str(screen.query_one("#coding-b").render())
    assert f"Effect [{start},{start + len(part)})" in a
    assert f"Effect [{whole},{whole + len(SENTENCES[3])})" in b


async def test_a_foreign_decider_cannot_open_the_meeting(study):
    from thematica.coding.consensus.meeting import open_meeting
    from thematica.errors import ThematicaError

    with pytest.raises(ThematicaError, match="may not open the meeting"):
        open_meeting(study, SELECTION, "carla")
