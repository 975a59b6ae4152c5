"""Pilot tests of what a new user's walk of the workbench on the demo found: a filter that follows
the codebook through merge and undo, a status line that says what a passage holds whatever the
filter shows, ]/[ across documents, a selection kept in view, one undo for a new code path, and
dialogs and panes that fit 80×24."""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.tui.app import make_app
from thematica.tui.widgets.code_tree import CodeTree
from thematica.tui.widgets.transcript import TranscriptView

from tests.conftest import INTERVIEW_WITH_LAUGH
from tests.tui.pilots import code_quote, highlight, settle

TEXT = INTERVIEW_WITH_LAUGH
SOURCE, TARGET = "Groep/Herkenning bij groepsgenoten", "Groep/Steun"


@pytest.fixture
def study(make_study):
    return make_study({"T1": TEXT, "T2": TEXT, "T3": TEXT}, [SOURCE, TARGET, "Veiligheid"])



def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def code_id(app, path: str) -> int:
    return next(c.id for c in app.screen.session.codes.values() if c.path == path)


async def filter_by(pilot, query: str) -> None:
    """f, the filter's query, enter: the workbench shows what the filter admits."""
    await pilot.press("f", *query, "enter")
    await pilot.pause()


async def merge_highlighted(pilot, target: str) -> None:
    await pilot.press("e", *["tab"] * 7)
    await pilot.press(*target, "ctrl+s")
    await settle(pilot)


async def test_a_filter_on_a_parent_follows_a_merged_and_restored_child(study):
    code_quote(study, 1, TEXT, "anouk", "Later voelde", SOURCE)
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await filter_by(pilot, "code: Groep")
        await highlight(pilot, SOURCE)
        old = code_id(app, SOURCE)
        await merge_highlighted(pilot, "Veiligheid")          # out of the filtered family
        transcript = app.screen.query_one(TranscriptView)
        assert transcript.view.segments == []
        await pilot.press("u")
        await settle(pilot)
        new = code_id(app, SOURCE)
        assert new != old and new in app.screen.session.filter.code_ids
        assert [s.code for s in transcript.view.segments] == [SOURCE]   # its stripe is back
        assert app.screen.query_one(CodeTree).highlighted_code == new   # the tree is on it again


async def test_a_filter_whose_code_is_merged_away_is_dropped_and_the_status_says_so(study):
    code_quote(study, 1, TEXT, "anouk", "Later voelde", SOURCE)
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await filter_by(pilot, f"code: {SOURCE}")
        assert "filter: Herkenning bij groepsgenoten" in status(app)
        await highlight(pilot, SOURCE)
        await merge_highlighted(pilot, TARGET)
        assert not app.screen.session.filter.active
        assert "filter dropped: Herkenning bij groepsgenoten" in status(app)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.session.filter.code_ids is None        # no filter naming a code that is gone
        assert "filter:" not in status(app)


async def test_a_passage_coded_with_another_code_never_reads_uncoded_under_a_filter(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        app.screen.apply(code_id(app, "Veiligheid"))
        await settle(pilot)
        await filter_by(pilot, f"code: {SOURCE}")
        line = status(app)
        assert "uncoded" not in line
        assert "Veiligheid (not shown by filter)" in line and "filter: Herkenning bij groepsgenoten" in line
        transcript = app.screen.query_one(TranscriptView)
        assert transcript.border_title == "filter: Herkenning bij groepsgenoten"   # in sight at 80 columns too
        await filter_by(pilot, "show all")
        assert not transcript.border_title and "filter" not in status(app)


def selected(app) -> str:
    return app.screen.session.view.text[slice(*app.screen.session.selection)]


async def test_brackets_go_on_to_the_next_and_previous_document_with_a_matching_segment(study):
    code_quote(study, 1, TEXT, "anouk", "Later", "Veiligheid")
    code_quote(study, 3, TEXT, "anouk", "Thuis", "Veiligheid")
    code_quote(study, 3, TEXT, "anouk", "Later", "Veiligheid")
    code_quote(study, 2, TEXT, "anouk", "Later", TARGET)     # T2: nothing the filter admits
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await filter_by(pilot, "code: Veiligheid")
        await pilot.press("right_square_bracket")
        assert selected(app) == "Later"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.session.view.name == "T3" and selected(app) == "Later"   # its first segment
        assert "on in T3" in status(app)
        await pilot.press("right_square_bracket")
        assert selected(app) == "Thuis"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.session.view.name == "T3" and "no further segment in any document" in status(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert app.screen.session.view.name == "T1" and selected(app) == "Later"   # T1's last segment


async def test_moving_by_turn_is_said_in_the_status_line(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert "moving by turn" in status(app)


LONG = "Interview L1\n\n" + "".join(
    f"I: Vraag {n} over de groep?\n\nR: Antwoord {n}: ik voelde me daar eerst onzeker, maar later veilig "
    f"bij de anderen, en dat hielp mij in de weken daarna echt om nee te zeggen.\n\n" for n in range(60))


def selection_in_view(app) -> bool:
    transcript = app.screen.query_one(TranscriptView)
    start, end = app.screen.session.selection
    first, last = transcript.line_of(start), transcript.line_of(end - 1)
    top, height = int(transcript.scroll_offset.y), transcript.scrollable_content_region.height
    return top <= first and last < top + height


@pytest.fixture
def long_study(make_project_with_text):
    project = make_project_with_text({"L1": LONG})
    codebook.create_code(project, "Veiligheid", "anouk")
    for n in (5, 41):
        start = LONG.index(f"Antwoord {n}:")
        apply_code(project, 1, "anouk", start, LONG.index("\n", start), code_path="Veiligheid")
    return project


async def test_the_whole_selection_stays_in_view_after_jumps_width_changes_and_a_resize(long_study):
    app = make_app(long_study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(TranscriptView)
        await pilot.press("right_square_bracket")            # a whole answer, a long way down
        await pilot.pause()
        assert selected(app).startswith("Antwoord 5:") and selection_in_view(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert selected(app).startswith("Antwoord 41:") and selection_in_view(app)
        first = transcript.line_of(app.screen.session.selection[0])
        assert first - int(transcript.scroll_offset.y) >= 3      # a far jump is centred, not on the last line
        for key in ("greater_than_sign", "greater_than_sign", "right_curly_bracket", "less_than_sign",
                    "left_curly_bracket", "left_curly_bracket", "p", "p"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert selection_in_view(app), key
        await pilot.resize_terminal(60, 18)
        await pilot.pause()
        await pilot.pause()
        assert selection_in_view(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert selection_in_view(app)
        await pilot.press("slash")                                # a dialog opens and closes
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert selection_in_view(app)


def paths(project) -> set[str]:
    with project.reading() as session:
        return {c.path for c in codebook.code_infos(session)}


async def test_a_new_code_path_is_one_undoable_action_that_removes_its_new_parent_too(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "n", *"Eigen/Nieuwe code", "enter")
        await settle(pilot)
        assert {"Eigen", "Eigen/Nieuwe code"} <= paths(study)
        assert [s.code for s in app.screen.session.view.segments] == ["Eigen/Nieuwe code"]
        await pilot.press("u")                                   # the coding
        await settle(pilot)
        await pilot.press("u")                                   # the code and the parent it needed
        await settle(pilot)
        assert not {"Eigen", "Eigen/Nieuwe code"} & paths(study)
        await pilot.press("u")
        await settle(pilot)
        assert "nothing to undo" in status(app)
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot)
        assert {"Eigen", "Eigen/Nieuwe code"} <= paths(study)
        assert [s.code for s in app.screen.session.view.segments] == ["Eigen/Nieuwe code"]


def inside(region, outer) -> bool:
    return (outer.x <= region.x and region.right <= outer.right and outer.y <= region.y
            and region.bottom <= outer.bottom)


async def test_the_code_editor_fits_80x24_and_asks_once_before_a_merge_others_use(study):
    from textual.widgets import Button, Static

    from thematica.tui.dialogs.code_editor import CodeEditor

    code_quote(study, 1, TEXT, "bas", "Later", SOURCE)
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, SOURCE)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CodeEditor)
        screen = editor.region
        dialog = editor.query_one("Vertical").region
        assert inside(dialog, screen)
        for button in editor.query(Button):
            assert inside(button.region, dialog)             # Save and Cancel in sight, no tabbing needed
        assert "Herkenning bij groepsgenoten" in str(editor.query_one("#title", Static).render())
        editor.query_one("#field-merge").value = TARGET
        editor.query_one("#save", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeEditor)             # asked in the dialog, not done
        warning = str(editor.query_one("#shared", Static).render())
        assert "Other coders use this code" in warning and "Save again" in warning and "ctrl+s" not in warning
        assert editor.query_one("#shared").display and app.screen.focused is editor.query_one("#save")
        await pilot.pause()
        save = editor.query_one("#save", Button)
        assert str(save.label) == "Merge for everyone" and save.region.width >= len("Merge for everyone")
        assert inside(save.region, editor.query_one("Vertical").region)
        assert SOURCE in paths(study)
        await pilot.pause(0.3)                               # a button ignores a second press within 0.2 s
        await pilot.press("enter")                           # asked once: the same Save goes ahead
        await settle(pilot)
        assert not isinstance(app.screen, CodeEditor), [n.message for n in app._notifications]
        assert SOURCE not in paths(study)


async def test_a_long_prompt_title_wraps_inside_the_dialog_at_80x24(study):
    from textual.widgets import Label

    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        label = app.screen.query_one(Label)
        dialog = app.screen.query_one("Vertical").region
        assert inside(label.region, dialog) and label.region.height >= 2     # wrapped, all of it shown
        assert "applied to the selection" in " ".join(str(label.render()).split())


async def test_the_code_tree_at_80_columns_shows_names_and_right_aligned_counts_explained(study):
    code_quote(study, 1, TEXT, "anouk", "Later", SOURCE)
    code_quote(study, 2, TEXT, "anouk", "Later", SOURCE)
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CodeTree)
        assert tree.outer_size.width >= 28
        assert "here/all" in str(tree.border_subtitle)
        lines = {}
        for y in range(tree.last_line + 1):
            node = tree.get_node_at_line(y)
            if node is not None and node.data is not None:
                lines[node.data.path] = "".join(s.text for s in tree.render_line(y - int(tree.scroll_offset.y)))
        line = lines[SOURCE].rstrip()
        assert line.endswith(" 1/2")                                   # here / in all documents
        assert "Herkenning bij g" in line                               # 16 characters of the name at least
        assert "…" in line


async def test_a_tree_width_remembered_on_a_wide_terminal_leaves_the_transcript_room_at_80(study, monkeypatch):
    from thematica.tui.settings import save_layout

    save_layout("anouk", {"tree": 70})
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#left").outer_size.width <= 40


async def test_the_matrix_titles_fit_one_line_at_80_columns(make_project_with_text):
    from textual.widgets import Static

    from thematica.themes.service import add_theme
    from thematica.tui.screens.matrix_view import MatrixScreen

    project = make_project_with_text({"T1": TEXT}, cases={"T1": "P1"})
    code_quote(project, 1, TEXT, "anouk", "Later", "Groep/Veiligheid")
    add_theme(project, "Veilige groep", "anouk", codes=["Groep/Veiligheid"])
    app = make_app(project, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        for matrix in ("Framework matrix", "Co-occurrence"):
            title = app.screen.query_one("#title", Static)
            assert matrix in str(title.render()) and "all coders" in str(title.render())   # whose coding
            assert title.region.height == 1
            await pilot.press("tab")
            await pilot.pause()


async def test_at_80_columns_the_status_line_shows_a_notice_before_the_position(study):
    code_quote(study, 1, TEXT, "anouk", "Later", "Veiligheid")
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await filter_by(pilot, "code: Veiligheid")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        line = status(app)
        assert "no further segment" in line
        assert line.index("no further segment") < line.index("[")      # said before the position
        assert line.index("no further segment") + len("no further segment") <= 80
