"""A third coder stays blind through another pair's consensus meeting, on every read path of the
workbench (transcript, detail pane, code-tree counts, retrieval, search, theme board, palette, case
pane); the meeting's own coders see each other and their consensus coding."""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.consensus.meeting import Selection, decide, open_meeting, state
from thematica.coding.segments import set_document_status
from thematica.corpus.cases import import_cases_csv
from thematica.themes.service import add_theme
from thematica.tui.app import make_app
from thematica.tui.dialogs.lists import RetrievalScreen, SearchScreen
from thematica.tui.screens.theme_board import ThemeBoardScreen

from tests.tui.pilots import R1, R2, code_quote, settle

SECRET_CODES = ("Groep", "Effect")  # only anouk and bas use them


@pytest.fixture
def study(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": R1, "R2": R2}, cases={"R1": "P1", "R2": "P2"})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,arm\nP1,groep\nP2,wachtlijst\n", encoding="utf-8")
    import_cases_csv(project, cases)
    for coder, code in (("anouk", "Groep"), ("bas", "Effect")):
        code_quote(project, 1, R1, coder, "De groep hielp mij.", code)
        code_quote(project, 2, R2, coder, "Later was de groep eng.", code)
    code_quote(project, 1, R1, "carla", "Ik durfde meer.", "Twijfel")
    for coder in ("anouk", "bas"):
        for document in (1, 2):
            set_document_status(project, document, coder, "done")
    add_theme(project, "Veilige groep", "anouk", codes=["Groep", "Effect", "Twijfel"])
    selection = Selection("anouk", "bas")
    open_meeting(project, selection, "anouk")
    decide(project, selection, state(project, selection).next_passage, "both", "anouk")
    return project


def _texts(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static"))


def _tree_labels(app) -> dict[str, str]:
    tree = app.screen.query_one("#codes")
    found = {}
    for node in tree.root.children:
        label = str(node.label)
        found[label.split(" ")[1]] = label
    return found


async def test_a_third_coder_sees_nothing_of_the_pairs_meeting(study):
    app = make_app(study, "carla")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert {s.coder for s in screen.session.shown_segments()} == {"carla"}   # transcript, R1
        for _ in range(3):                                                  # walk every unit: detail pane
            shown = _texts(app)
            assert "anouk" not in shown and "bas" not in shown and "consensus" not in shown
            await pilot.press("j")
        labels = _tree_labels(app)                                          # code-tree counts
        assert labels["Twijfel"].rstrip().endswith("1")
        for code in SECRET_CODES:
            assert labels[code].strip() == f"■ {code}", labels[code]
        screen._open(2)                                                     # transcript, R2
        await settle(pilot)
        assert screen.session.shown_segments() == []
        assert "groep" not in str(screen.query_one("#case").render())       # case pane: attributes only
        with study.reading() as session:
            groep = codebook.find_code(session, "Groep").id
        screen.code_tree.focus()                                            # retrieval
        screen.code_tree.move_cursor(screen.code_tree._code_nodes[groep])
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen) and app.screen.found == []
        await pilot.press("escape")
        await pilot.press("slash")                                          # search: text, never codings
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"groep", "enter")
        await pilot.pause()
        assert len(app.screen.hits) == 3
        shown = _texts(app) + "".join(str(o.prompt) for o in app.screen.query_one("OptionList")._options)
        assert "anouk" not in shown and "bas" not in shown and "consensus" not in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("b")                                              # theme board
        await pilot.pause()
        board = app.screen
        assert isinstance(board, ThemeBoardScreen)
        assert board.board.coding == "carla"
        [theme] = board.board.themes
        assert theme.segments == 1 and {q.coder for q, _ in theme.quotes} == {"carla"}
        assert dict(theme.codes) == {"Effect": 0, "Groep": 0, "Twijfel": 1}
        assert "consensus:" not in board.sub_title and "anouk" not in _texts(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")                                         # the palette lists actions only
        await pilot.pause()
        await pilot.press(*"code")
        await pilot.pause()
        palette = _texts(app)
        assert "anouk" not in palette and "bas" not in palette and "consensus:" not in palette


@pytest.mark.parametrize("viewer", ["anouk", "bas"])
async def test_the_meetings_own_coders_see_each_other_and_their_consensus(study, viewer):
    app = make_app(study, viewer)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert {s.coder for s in screen.session.shown_segments()} == {"anouk", "bas", "consensus:anouk+bas"}
        labels = _tree_labels(app)
        assert labels["Twijfel"].strip() == "■ Twijfel"                      # carla's coding stays hidden
        assert labels["Groep"].rstrip().endswith("/3")                       # anouk's two + the consensus
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.board.coding == "consensus:anouk+bas"


async def test_the_editing_keys_leave_the_consensus_coding_alone(study):
    from thematica.interchange.codings_csv import export_rows

    before = export_rows(study, ["consensus:anouk+bas"])
    app = make_app(study, "bas")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        consensus = next(s for s in screen.session.shown_segments() if s.coder == "consensus:anouk+bas")
        screen.session.select(consensus.start, consensus.end)
        screen._moved()
        for segment in [s for s in screen.session.segments_here() if s.coder == "bas"]:  # bas removes his own
            await pilot.press("d")
            await settle(pilot)
        await pilot.press("d")                                               # then nothing of his is left here
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == "none of your segments here"
    assert export_rows(study, ["consensus:anouk+bas"]) == before
