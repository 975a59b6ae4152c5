"""Pilot tests of the coding workbench: coding by keys lands in the database, codes are created and
merged, undo/redo work, and blind mode hides the other coder."""

from __future__ import annotations

import contextlib

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.interchange.codings_csv import export_rows
from thematica.tui.app import make_app
from thematica.tui.dialogs.code_editor import CodeEditor
from thematica.tui.widgets.transcript import TranscriptView, wrap

from tests.conftest import INTERVIEW
from tests.tui.pilots import settle

TEXT = INTERVIEW


@pytest.fixture
def study(make_study):
    return make_study({"T1": TEXT}, ["Groep/Veiligheid", "Groep/Steun"], cases={"T1": "T1"})



def rows(project, coder=None):
    return sorted((TEXT[r.start:r.end], r.code, r.coder, r.memo) for r in export_rows(project, [coder] if coder else None))


async def test_code_a_unit_by_keys_and_find_it_in_the_database(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j")          # title, question, "Eh, eerst eng." -> "Later voelde ..."
        await pilot.press("c")
        await pilot.press(*"veilig", "enter")
        await pilot.pause()
    assert rows(study) == [("Later voelde ik me veilig bij de therapeuten.", "Groep/Veiligheid", "anouk", "")]


async def test_extend_selection_new_code_in_vivo_and_memo(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "J")          # "Eh, eerst eng." extended by the next sentence
        await pilot.press("n")
        await pilot.press(*"Ervaring/Angst in het begin", "enter")
        await pilot.pause()
        await pilot.press("m")
        await pilot.press(*"eerst eng", "enter")
        await pilot.pause()
        await pilot.press("j", "j", "j", "j")     # "Thuis zeg ik nu vaker nee."
        await pilot.press("left")                  # drop the full stop
        await pilot.press("i", "enter")            # in-vivo code named after the words
        await pilot.pause()
    assert rows(study) == [
        ("Eh, eerst eng. Later voelde ik me veilig bij de therapeuten.", "Ervaring/Angst in het begin", "anouk",
         "eerst eng"),
        ("Thuis zeg ik nu vaker nee", '"Thuis zeg ik nu vaker nee"', "anouk", ""),
    ]


async def test_remove_undo_redo(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j", "c", *"steun", "enter")
        await pilot.pause()
        assert len(rows(study)) == 1
        await pilot.press("d")
        await pilot.pause()
        assert rows(study) == []
        await pilot.press("u")                     # undo the removal
        await pilot.pause()
        assert len(rows(study)) == 1
        await pilot.press("u")                     # undo the coding
        await pilot.pause()
        assert rows(study) == []
        await pilot.press("ctrl+r")                # redo the coding
        await pilot.pause()
        assert [r[1] for r in rows(study)] == ["Groep/Steun"]


async def test_merge_two_codes_in_the_code_editor(study):
    apply_code(study, 1, "anouk", TEXT.index("De groep"), TEXT.index("De groep") + 19, code_path="Groep/Steun")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = TEXT.index("De groep")
        screen.session.select(start, start + 19)                 # the cursor on the passage coded Groep/Steun
        screen._moved()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CodeEditor)
        app.screen.query_one("#field-merge").value = "Groep/Veiligheid"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [r[1] for r in rows(study)] == ["Groep/Veiligheid"]
    with study.reading() as session:
        assert codebook.find_code(session, "Groep/Steun") is None


async def test_blind_mode_hides_the_other_coder(study):
    start = TEXT.index("De groep")
    apply_code(study, 1, "bas", start, start + 19, code_path="Groep/Steun")
    apply_code(study, 1, "anouk", TEXT.index("Thuis zeg"), TEXT.index("Thuis zeg") + 10, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(TranscriptView)
        assert {s.coder for s in transcript.view.segments} == {"anouk"}
        tree_labels = [str(node.label) for node in app.screen.query_one("#codes").root.children[0].children]
        assert any(label.startswith("■ Steun") and not label.rstrip().endswith("1") for label in tree_labels)


@pytest.mark.parametrize("blind", [False, True])
async def test_other_coders_new_segments_appear_without_a_restart_unless_blind(study, blind, monkeypatch):
    from thematica.coding.visibility import set_blind_mode, set_lead
    from thematica.tui.screens import workbench

    monkeypatch.setattr(workbench, "POLL_SECONDS", 0.05)
    set_lead(study, "anouk", "anouk")
    set_blind_mode(study, blind, "anouk")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(TranscriptView)
        assert transcript.view.segments == []
        start = TEXT.index("De groep")
        apply_code(study, 1, "bas", start, start + 19, code_path="Groep/Steun")  # bas, on another machine
        await pilot.pause(0.3)
        assert [s.coder for s in transcript.view.segments] == ([] if blind else ["bas"])
        tree_labels = [str(node.label) for node in app.screen.query_one("#codes").root.children[0].children]
        assert any(label.rstrip().endswith("Steun 1/1") for label in tree_labels) is not blind


def test_wrap_keeps_offsets():
    lines = wrap(TEXT, 20)
    assert "".join(TEXT[line.start:line.end] + ("\n" if TEXT[line.end:line.end + 1] == "\n" else "")
                   for line in lines) == TEXT


async def test_trial_outcomes_beside_the_transcript_and_group_filter(make_project_with_text, tmp_path):
    from thematica.quant.trial_service import import_trial

    project = make_project_with_text({"T1": TEXT, "T2": TEXT.replace("T1", "T2")}, cases={"T1": "T1", "T2": "T2"})
    trial = tmp_path / "trial.csv"
    trial.write_text("participant,arm,time,case,scl90,werk\nP1,training,0,T1,1.2,0\nP1,training,12,T1,0.5,1\n"
                     "P2,booster,0,T2,0.9,1\nP2,booster,12,T2,0.8,1\nP3,booster,0,,1.0,0\nP3,booster,12,,1.1,0\n",
                     encoding="utf-8")
    import_trial(project, trial, "participant", "arm", "time")
    app = make_app(project, "anouk")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        case = str(app.screen.query_one("#case").render())
        assert "Trial P1 · training" in case and "scl90 t0 1.20 → t12 0.50" in case
        await pilot.press("G", *"booster", "enter")
        await pilot.pause()
        documents = app.screen.query_one("#documents")
        assert [documents.get_option_at_index(i).id for i in range(documents.option_count)] == ["2"]
        await pilot.press("G", *"all", "enter")
        await pilot.pause()
        assert documents.option_count == 2


async def test_the_workbench_stylesheet_is_applied(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#left").size.width == 40      # workbench.tcss (35 %, at most 40), not the default 1fr


async def test_mouse_click_selects_a_unit_and_drag_selects_characters(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(TranscriptView)
        line = next(n for n, l in enumerate(transcript.lines) if TEXT[l.start:l.end].startswith("R: Eh"))
        top = transcript.content_region.y - transcript.region.y   # border and padding above the text
        left = transcript.content_region.x - transcript.region.x
        column = TEXT[transcript.lines[line].start:].index("Later")
        await pilot.click(TranscriptView, offset=(left + column + 2, top + line))
        await pilot.pause()
        assert TEXT[slice(*app.screen.selection)] == "Later voelde ik me veilig bij de therapeuten."
        start = TEXT[transcript.lines[line].start:].index("veilig")
        await pilot.mouse_down(TranscriptView, offset=(left + start, top + line))
        await pilot.hover(TranscriptView, offset=(left + start + 3, top + line))
        await pilot.mouse_up(TranscriptView, offset=(left + start + 6, top + line))
        await pilot.pause()
        assert TEXT[slice(*app.screen.selection)] == "veilig"
        await pilot.press("c", *"veiligheid", "enter")
        await pilot.pause()
    assert rows(study) == [("veilig", "Groep/Veiligheid", "anouk", "")]


async def test_every_action_is_in_the_command_palette(study):
    from thematica.tui.screens.theme_board import ThemeBoardScreen

    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Themes")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ThemeBoardScreen)
        await pilot.press("ctrl+p", *"New theme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*"Uit de palette", "enter")
        await pilot.pause()
    from thematica.themes.data import load_material

    assert [t.name for t in load_material(study).themes] == ["Uit de palette"]


async def test_search_jump_segments_status_turns_and_everything_after_reopening(make_project_with_text):
    from thematica.coding.queries import progress

    project = make_project_with_text({"T1": TEXT, "T2": TEXT.replace("Thuis", "Op het werk")},
                                     cases={"T1": "T1", "T2": "T2"})
    codebook.create_code(project, "Groep/Veiligheid", "anouk")
    app = make_app(project, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"op het werk", "enter")
        await pilot.pause()
        await pilot.press("enter")                                # the only hit, in T2
        await settle(pilot)
        screen = app.screen
        view = screen.session.view
        assert view.name == "T2" and view.text[slice(*screen.selection)] == "Op het werk"
        await pilot.press("c", *"veilig", "enter")
        await settle(pilot)
        await pilot.press("m", *"gevonden met /", "enter")
        await settle(pilot)
        await pilot.press("t")                                    # move by speaker turn (without its label)
        assert view.text[slice(*screen.selection)].startswith("Op het werk")
        await pilot.press("k", "k", "k", "k", "k", "k", "right_square_bracket")  # up to the top, then the next segment
        await pilot.pause()
        assert view.text[slice(*screen.selection)] == "Op het werk"
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("s")                                    # not started -> in progress -> done
        await settle(pilot)
    with project.reading() as session:
        assert [(row.name, row.status) for row in progress(session, "anouk")] == [
            ("T1", "not_started"), ("T2", "done")]
    reopened = make_app(project, "anouk")                        # quit and open again: all of it is there
    async with reopened.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert reopened.screen.query_one("#documents").get_option_at_index(1).prompt.startswith("✓ T2")
    second = TEXT.replace("Thuis", "Op het werk")
    assert [(r.document, second[r.start:r.end], r.code, r.memo) for r in export_rows(project)] == [
        ("T2", "Op het werk", "Groep/Veiligheid", "gevonden met /")]


def test_the_change_poll_reports_an_unreachable_database_as_a_user_error(study):
    """The newest audit event (what a poll compares) of a database gone away is a ``ThematicaError``
    — the poll worker waits for the next look — never a driver exception."""
    import sqlite3

    from thematica.errors import ThematicaError
    from thematica.store import audit

    with contextlib.closing(sqlite3.connect(study.path)) as plain:
        newest, action = plain.execute("SELECT id, action FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    assert action == "code.create"                        # the study's last change: Groep/Steun created
    with study.reading() as session:
        assert audit.last_event_id(session) == newest
    study.path.unlink()                                   # the project file vanished (a network share dropped)
    for sidecar in study.path.parent.glob(study.path.name + "-*"):
        sidecar.unlink()
    study.close()
    with pytest.raises(ThematicaError, match="did not answer"):
        with study.reading() as session:
            audit.last_event_id(session)
