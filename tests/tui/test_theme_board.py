"""The theme board by keyboard: create a theme, move codes in and out, split, merge, mark an
exemplar — each landing in the database — and blind mode keeps the other coder's quotes hidden."""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.themes.data import load_material
from thematica.tui.app import make_app
from thematica.tui.screens.theme_board import ThemeBoardScreen

TEXT = ("I: Hoe was de groep?\n\nR: Eerst eng. Later voelde ik me veilig bij de therapeuten. "
        "De groep hielp mij. Thuis zeg ik nu vaker nee.\n")


@pytest.fixture
def study(make_project_with_text):
    project = make_project_with_text({"R1": TEXT}, cases={"R1": "R1"})
    for quote, code, coder in (("Later voelde ik me veilig bij de therapeuten.", "Groep/Veiligheid", "anouk"),
                               ("De groep hielp mij.", "Groep/Steun", "anouk"),
                               ("Thuis zeg ik nu vaker nee.", "Patroon/Grenzen", "anouk"),
                               ("Eerst eng.", "Groep/Spanning", "bas")):
        start = TEXT.index(quote)
        apply_code(project, 1, coder, start, start + len(quote), code_path=code)
    return project


async def open_board(pilot) -> None:
    """b, from the workbench's first frame: the theme board drawn."""
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()


def themes(project):
    return {t.name: t.codes for t in load_material(project).themes}


async def test_build_split_merge_and_exemplar_by_keys(study):
    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_board(pilot)
        assert isinstance(app.screen, ThemeBoardScreen)
        await pilot.press("a", *"Veilige groep", "enter")
        await pilot.pause()
        for code in ("veiligheid", "steun", "grenzen"):
            await pilot.press("c", *code, "enter")
            await pilot.pause()
        assert themes(study) == {"Veilige groep": ["Groep/Steun", "Groep/Veiligheid", "Patroon/Grenzen"]}
        board = app.screen
        assert board.query_one("#theme-codes").option_count == 3
        await pilot.press("tab", "tab")                              # tree → unassigned → codes of the theme
        assert board.focused is board.query_one("#theme-codes")
        await pilot.press("down", "down", "p", *"Grenzen stellen", "enter")
        await pilot.pause()
        assert themes(study) == {"Veilige groep": ["Groep/Steun", "Groep/Veiligheid"],
                                 "Grenzen stellen": ["Patroon/Grenzen"]}
        await pilot.press("m", *"veilig", "enter")                 # merge 'Grenzen stellen' back
        await pilot.pause()
        assert themes(study) == {"Veilige groep": ["Groep/Steun", "Groep/Veiligheid", "Patroon/Grenzen"]}
        board.query_one("#quotes").focus()
        await pilot.press("e")
        await pilot.pause()
        material = load_material(study)
        assert len(material.exemplars["Veilige groep"]) == 1
        assert "★" in str(board.query_one("#quotes").get_option_at_index(0).prompt)
        await pilot.press("S")
        await pilot.pause()
        assert load_material(study).themes[0].status == "reviewed"
        await pilot.press("escape")
        assert not isinstance(app.screen, ThemeBoardScreen)


async def test_blind_mode_shows_only_the_viewers_own_quotes(study):
    from thematica.themes.service import add_theme

    add_theme(study, "Groepsproces", "anouk", codes=["Groep"])
    app = make_app(study, "anouk")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_board(pilot)
        quotes = app.screen.query_one("#quotes")
        texts = [str(quotes.get_option_at_index(i).prompt) for i in range(quotes.option_count)]
        assert len(texts) == 2 and not any("Eerst eng" in t for t in texts)
        assert "blind mode" in app.screen.sub_title


LONG = "De groep als spiegel en als schuurpapier: herkenning en botsing"


async def test_at_80x24_a_long_theme_title_wraps_and_stays_readable(study):
    from textual.geometry import Region

    from thematica.themes.service import add_theme

    add_theme(study, LONG, "anouk", codes=["Groep/Veiligheid"])
    add_theme(study, "Grenzen stellen", "anouk", parent=LONG, codes=["Patroon/Grenzen"])
    app = make_app(study, "anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        listed = app.screen.query_one("#themes")
        lines = [strip.text.strip(" │╭╮╰╯─") for strip in
                 listed.render_lines(Region(0, 0, listed.size.width + 2, listed.size.height + 2))]
        shown = " ".join(line.strip() for line in lines if line.strip())
        assert LONG in shown and "1 seg · 1/1 cases · candidate" in shown
        assert "└ Grenzen stellen" in shown                      # the subtheme under its theme
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.selected == "Grenzen stellen"
        assert "Grenzen stellen" in str(app.screen.query_one("#theme-detail").render())


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_theme_board_snapshot(snap_compare, study, size):
    from thematica.themes.service import add_theme, link_themes

    add_theme(study, "Veilige groep", "anouk", codes=["Groep/Veiligheid", "Groep/Steun"],
              definition="Veiligheid in de groep maakt oefenen mogelijk.")
    add_theme(study, LONG, "anouk", codes=["Groep/Spanning"])
    add_theme(study, "Grenzen", "anouk", parent="Veilige groep", codes=["Patroon/Grenzen"])
    link_themes(study, "Veilige groep", "Grenzen", "voorwaarde voor", "anouk")

    assert snap_compare(make_app(study, "anouk"), terminal_size=size, run_before=open_board)
