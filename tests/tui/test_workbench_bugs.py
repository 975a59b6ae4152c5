"""Pilot tests of the bugs found trying the workbench as a new user, and of the stripes, filters,
widths and the busy-database status."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.interchange.codings_csv import export_rows
from thematica.tui.app import make_app
from thematica.tui.dialogs.code_editor import CodeEditor
from thematica.tui.widgets.code_tree import CodeTree
from thematica.tui.widgets.document_list import DocumentList
from thematica.tui.widgets.transcript import TranscriptView

from tests.conftest import INTERVIEW_WITH_LAUGH
from tests.tui.pilots import node_line, settle

TEXT = INTERVIEW_WITH_LAUGH


@pytest.fixture
def study(make_study):
    return make_study({"T1": TEXT, "T2": TEXT.replace("Thuis", "Op het werk")},
                      ["Groep/Veiligheid", "Groep/Steun bij moeilijke momenten in de groep"])



def rows(project):
    return sorted((r.document, r.start, r.end, r.code, r.memo) for r in export_rows(project))


def selected(app):
    return app.screen.session.view.text[slice(*app.screen.selection)]


async def test_selecting_in_the_code_tree_never_codes_and_a_applies(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")                       # a sentence is selected
        tree = app.screen.query_one(CodeTree)
        tree.focus()
        tree.cursor_line = node_line(tree, "Groep")
        await pilot.press("enter")                        # folds the parent
        await settle(pilot)
        await pilot.click(CodeTree, offset=(3, node_line(tree, "Groep") + 1))  # click the parent
        await settle(pilot)
        assert rows(study) == []
        tree.root.expand_all()
        await pilot.pause()
        tree.cursor_line = node_line(tree, "Groep/Veiligheid")
        await pilot.press("enter")
        await settle(pilot)
        assert rows(study) == []
        await pilot.press("a")                            # the dedicated key applies the highlighted code
        await settle(pilot)
    assert [r[3] for r in rows(study)] == ["Groep/Veiligheid"]


async def test_the_code_editor_opens_with_the_name_focused_and_saves_what_is_typed(study):
    start = TEXT.index("Later")
    apply_code(study, 1, "anouk", start, start + 10, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.session.select(start, start + 10)
        app.screen._moved()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CodeEditor)
        assert app.screen.focused is app.screen.query_one("#field-name")
        await pilot.press("ctrl+a", *"Veilig voelen", "ctrl+k", "ctrl+s")  # home, type, delete the old name
        await settle(pilot)
    assert [r[3] for r in rows(study)] == ["Groep/Veilig voelen"]


async def test_a_code_highlighted_earlier_does_not_override_the_code_under_the_cursor(study):
    start = TEXT.index("Later")
    apply_code(study, 1, "anouk", start, start + 10, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(CodeTree)
        tree.focus()
        tree.cursor_line = node_line(tree, "Groep/Steun bij moeilijke momenten in de groep")
        await pilot.pause()
        app.screen.query_one(TranscriptView).focus()
        app.screen.session.select(start, start + 10)
        app.screen._moved()
        await pilot.pause()
        assert str(app.screen.query_one("#detail").render()).startswith("Groep/Veiligheid")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.code.path == "Groep/Veiligheid"
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot)
        assert app.screen.title_text == "Groep/Veiligheid"


async def test_undo_after_reapplying_a_code_keeps_the_earlier_segment_and_its_memo(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j", "c", *"veiligheid", "enter")
        await settle(pilot)
        await pilot.press("m", *"eerste indruk", "enter")
        await settle(pilot)
        await pilot.press("c", *"veiligheid", "enter")    # the passage already has it: nothing happens
        await settle(pilot)
        await pilot.press("u")                            # undoes the memo, the last real change
        await settle(pilot)
        assert [(r[3], r[4]) for r in rows(study)] == [("Groep/Veiligheid", "")]
        await pilot.press("ctrl+r")
        await settle(pilot)
    assert [(r[3], r[4]) for r in rows(study)] == [("Groep/Veiligheid", "eerste indruk")]


async def test_help_scrolls_to_the_last_key_and_the_footer_keeps_b_help_and_quit_at_80x24(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = str(app.screen.query_one("#footer").render())
        assert " b " in footer and " ? " in footer and " q " in footer
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        for _ in range(60):
            await pilot.press("j")
        await pilot.pause()
        assert help_screen.query_one("VerticalScroll").scroll_y > 0
        assert "Detail pane" in app.export_screenshot().replace("&#160;", " ")


async def test_after_a_search_jump_the_document_list_highlights_the_document(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"op het werk", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        documents = app.screen.query_one(DocumentList)
        assert documents.get_option_at_index(documents.highlighted).id == "2"
        assert selected(app) == "Op het werk"


async def test_a_stage_direction_stays_in_its_sentence(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")
        assert selected(app) == "Heel eng. (lacht)"
        await pilot.press("j")
        assert selected(app) == "Er zaten veel mensen."


async def test_stripes_show_full_code_names_and_widths_are_remembered(study):
    start = TEXT.index("Later")
    apply_code(study, 1, "anouk", start, start + 40, code_path="Groep/Steun bij moeilijke momenten in de groep")
    apply_code(study, 1, "anouk", start, start + 20, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(4):
            await pilot.press("greater_than_sign")        # a margin wide enough for the longest name
        await pilot.press("right_curly_bracket")          # a wider code tree
        await pilot.pause()
        shot = app.export_screenshot().replace("&#160;", " ")
        assert "Steun bij moeilijke momenten in de groep" in shot and "Veiligheid" in shot
        margin, tree = screen.transcript.margin_width, screen.query_one("#left").size.width
    again = make_app(study, "anouk")
    async with again.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert again.screen.transcript.margin_width == margin
        assert again.screen.query_one("#left").size.width == tree


async def test_a_margin_widened_at_80_columns_leaves_thirty_columns_of_text(study, tmp_path, monkeypatch):
    """Widening the margin by key stops where the transcript would get narrower than
    ``MIN_TEXT_WIDTH`` (before, it could squeeze the text to 20 columns)."""
    from thematica.tui.widgets.transcript import MIN_TEXT_WIDTH

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the widths are remembered per user
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(12):
            await pilot.press("greater_than_sign")
        await pilot.pause()
        transcript = screen.transcript
        pane = transcript.scrollable_content_region.width
        assert transcript.margin_width == pane - MIN_TEXT_WIDTH - 1 > 0
        lines = [transcript.render_line(y).text for y in range(transcript.size.height)]
        assert max(len(line.split("│")[0].rstrip()) for line in lines if "│" in line) <= MIN_TEXT_WIDTH


async def test_filter_by_code_shows_only_its_segments_and_brackets_follow_it(study):
    later, thuis = TEXT.index("Later"), TEXT.index("Thuis")
    apply_code(study, 1, "anouk", later, later + 12, code_path="Groep/Veiligheid")
    apply_code(study, 1, "anouk", thuis, thuis + 5, code_path="Groep/Steun bij moeilijke momenten in de groep")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f", *"code: Groep/Steun", "enter")
        await pilot.pause()
        transcript = app.screen.query_one(TranscriptView)
        assert [s.code for s in transcript.view.segments] == ["Groep/Steun bij moeilijke momenten in de groep"]
        await pilot.press("right_square_bracket")
        assert selected(app) == "Thuis"
        assert "filter: Steun" in str(app.screen.query_one("#status").render())


async def test_a_busy_database_makes_a_write_wait_and_say_so_never_a_traceback(study, monkeypatch):
    from thematica.store import project as project_module
    from thematica.store.project import open_project

    monkeypatch.setattr(project_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    quick = open_project(study.path)
    app = make_app(quick, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "c", *"veiligheid")
        importer = sqlite3.connect(study.path, isolation_level=None, check_same_thread=False)
        importer.execute("BEGIN IMMEDIATE")              # another process imports
        release = threading.Timer(1.5, importer.execute, args=("COMMIT",))
        release.start()
        await pilot.press("enter")
        await pilot.pause(0.9)
        status = str(app.screen.query_one("#status").render())
        assert "database busy" in status or "waiting for the database" in status
        release.join()
        await settle(pilot)
        assert "busy" not in str(app.screen.query_one("#status").render())
    importer.close()
    quick.close()
    assert [r[3] for r in rows(study)] == ["Groep/Veiligheid"]


async def test_document_and_project_memos_beside_the_segment_memos_at_any_width(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#right").display      # narrow: the detail pane is hidden
        await pilot.press("p")                                  # ... until asked for
        assert app.screen.query_one("#right").display
        await pilot.press("M", *"veel over de groep", "enter")
        await settle(pilot)
        await pilot.press("P", *"veiligheid overal", "enter")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail").render())
        assert "Document memo: veel over de groep" in detail and "Project memo: veiligheid overal" in detail


async def test_renaming_a_code_other_coders_use_asks_first_is_logged_and_undone_by_u(study):
    from thematica.store import audit

    start = TEXT.index("Later")
    apply_code(study, 1, "bas", start, start + 10, code_path="Groep/Veiligheid")
    apply_code(study, 1, "anouk", start, start + 10, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.session.select(start, start + 10)
        app.screen._moved()
        await pilot.press("e", "ctrl+a", *"Veilig", "ctrl+k", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodeEditor)          # asked, not done
        assert {r[3] for r in rows(study)} == {"Groep/Veiligheid"}
        await pilot.press("ctrl+s")                         # confirmed
        await settle(pilot)
        assert {r[3] for r in rows(study)} == {"Groep/Veilig"}
        await pilot.press("u")
        await settle(pilot)
    assert {r[3] for r in rows(study)} == {"Groep/Veiligheid"}
    with study.reading() as session:
        assert [e.action for e in audit.events(session) if e.action == "code.rename"] == ["code.rename"] * 2


async def test_a_case_attribute_is_edited_in_the_case_pane_typed_logged_and_undoable(make_project_with_text, tmp_path):
    from thematica.corpus.cases import import_cases_csv
    from thematica.store import audit

    project = make_project_with_text({"T1": TEXT}, cases={"T1": "P1"})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,gender,age\nP1,vrouw,34\n", encoding="utf-8")
    import_cases_csv(project, cases)
    app = make_app(project, "anouk")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A", "ctrl+u", *"age", "enter", "ctrl+u", *"veertig", "enter")
        await settle(pilot)
        assert dict(app.screen.session.view.attributes)["age"] == "34"   # refused: age holds integers
        await pilot.press("A", "ctrl+u", *"age", "enter", "ctrl+u", *"35", "enter")
        await settle(pilot)
        assert "age: 35" in str(app.screen.query_one("#case").render())
        await pilot.press("u")
        await settle(pilot)
        assert "age: 34" in str(app.screen.query_one("#case").render())
    with project.reading() as session:
        assert [e.action for e in audit.events(session) if e.action == "case.set"] == ["case.set"] * 2


async def test_deleting_a_code_asks_lists_its_segments_and_u_undoes_it(study):
    start = TEXT.index("Later")
    apply_code(study, 1, "bas", start, start + 10, code_path="Groep/Veiligheid")
    apply_code(study, 1, "anouk", start, start + 10, code_path="Groep/Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.session.select(start, start + 10)
        app.screen._moved()
        await pilot.press("X")
        await pilot.pause()
        prompt = str(app.screen.query_one("Label").render())
        assert "2 segments (anouk 1, bas 1)" in prompt and "Later voel" in prompt
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        assert rows(study) == []
        await pilot.press("u")
        await settle(pilot)
    assert [(r[3]) for r in rows(study)] == ["Groep/Veiligheid", "Groep/Veiligheid"]


async def test_another_coders_change_appears_within_a_second(study):
    from thematica.coding.visibility import set_blind_mode, set_lead

    set_lead(study, "anouk", "anouk")
    set_blind_mode(study, False, "anouk")
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = TEXT.index("Later")
        apply_code(study, 1, "bas", start, start + 5, code_path="Groep/Veiligheid")   # bas, on another machine
        await pilot.pause(1.0)
        assert [s.coder for s in app.screen.query_one(TranscriptView).view.segments] == ["bas"]


async def veiligheid_on_a_selected_sentence(pilot) -> CodeTree:
    """Settled, the tree's cursor on Groep/Veiligheid, the transcript focused with its second unit
    selected (j j): the next a applies Veiligheid to it."""
    await settle(pilot)
    tree = pilot.app.screen.query_one(CodeTree)
    tree.cursor_line = node_line(tree, "Groep/Veiligheid")
    pilot.app.screen.transcript.focus()
    await pilot.press("j", "j")
    return tree


async def test_an_applied_code_shows_before_the_write_and_is_then_confirmed(study):
    """The key's frame draws the coding from the session's state (a provisional segment, the tree's
    count); the database gets it from the write worker, and the written row takes its place."""
    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 30)) as pilot:
        tree = await veiligheid_on_a_selected_sentence(pilot)
        screen = app.screen
        writer = screen.session.writer
        original, release = writer.add, threading.Event()

        def held_add(*args, **kwargs):
            release.wait(5)
            return original(*args, **kwargs)
        writer.add = held_add
        await pilot.press("a")
        await pilot.pause()
        shown = screen.query_one(TranscriptView).view.segments
        assert [(s.code, s.id < 0) for s in shown] == [("Groep/Veiligheid", True)]
        assert "1/1" in str(tree.cursor_node.label)                 # the count, before the write
        assert rows(study) == []
        release.set()
        await settle(pilot)
        shown = screen.query_one(TranscriptView).view.segments
        assert [(s.code, s.id > 0) for s in shown] == [("Groep/Veiligheid", True)]
        assert "coded: Groep/Veiligheid" in str(screen.query_one("#status").render())
        await pilot.press("u")                                       # undo reaches the written segment
        await settle(pilot)
        assert screen.query_one(TranscriptView).view.segments == []
    assert rows(study) == []


async def test_a_refused_write_takes_the_coding_back_and_says_so_in_the_status_line(study):
    from thematica.errors import ThematicaError

    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 30)) as pilot:
        tree = await veiligheid_on_a_selected_sentence(pilot)
        screen = app.screen

        def refused(*args, **kwargs):
            raise ThematicaError("the database refused the change (disk I/O error); nothing was saved")
        screen.session.writer.add = refused
        await pilot.press("a")
        await settle(pilot)
        assert screen.query_one(TranscriptView).view.segments == []   # taken back on screen
        assert "1/1" not in str(tree.cursor_node.label)
        status = str(screen.query_one("#status").render())
        assert "not saved" in status and "disk I/O error" in status and "taken back" in status
        assert screen.session.counts.get(tree.highlighted_code, 0) == 0
        await pilot.press("u")                                       # nothing was recorded to undo
        await settle(pilot)
        assert "nothing to undo" in str(screen.query_one("#status").render())
    assert rows(study) == []
