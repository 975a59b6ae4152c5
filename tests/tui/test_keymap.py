"""Keys have ids; a user keymap (TOML in the config folder) remaps them; help, footer and
``thematica keys`` show the active map."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli_in_process
from thematica.errors import ThematicaError
from thematica.tui.app import make_app
from thematica.tui.keymap import WORKBENCH_KEYS, active_keys, footer_text, keymap_path, user_keymap

TEXT = "I: Hoe was de groep?\n\nR: Eerst eng. Later voelde ik me veilig.\n"


def test_every_binding_has_a_unique_id_and_action():
    ids = [key.id for key in WORKBENCH_KEYS]
    assert len(ids) == len(set(ids)) and all(i.startswith("workbench.") for i in ids)


def test_a_user_keymap_remaps_and_a_bad_one_is_one_line():
    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('[keys]\n"workbench.next_unit" = "n,down"\n"workbench.new_code" = "N"\n',
                             encoding="utf-8")
    keys = {key.id: key.keys for key in active_keys()}
    assert keys["workbench.next_unit"] == "n,down" and keys["workbench.new_code"] == "N"
    keymap_path().write_text('[keys]\n"workbench.nonsense" = "x"\n', encoding="utf-8")
    with pytest.raises(ThematicaError, match="unknown binding id"):
        user_keymap()
    keymap_path().write_text('[keys\n', encoding="utf-8")
    result = run_cli_in_process("keys")  # through main, in process: exit code and stderr as a child gives them
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    keymap_path().unlink()


def test_the_footer_keeps_help_and_quit_whatever_the_width():
    for width in (40, 80, 200):
        shown = [key for key, _ in footer_text(WORKBENCH_KEYS, width)]
        assert "?" in shown and "q" in shown


@pytest.mark.parametrize("width", range(60, 201, 7))
async def test_the_footer_shows_whole_entries_only_and_quit_last(width):
    """Drawn as wide as the terminal: every entry whole (the old count was one cell short per
    entry, so at 120 columns "Quit" was cut to "q")."""
    from textual.app import App

    from thematica.tui.widgets.key_footer import KeyFooter

    class Footer(App[None]):
        def compose(self):
            yield KeyFooter(WORKBENCH_KEYS)

    app = Footer()
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.pause()
        drawn = app.query_one(KeyFooter).render_line(0).text.rstrip()
    assert len(drawn) <= width and drawn.endswith(" q  Quit")
    for shown, description in footer_text(WORKBENCH_KEYS, width):
        assert f" {shown}  {description} " in drawn + " "
    assert len(footer_text(WORKBENCH_KEYS, 200)) > len(footer_text(WORKBENCH_KEYS, 80))


async def test_a_remapped_key_works_in_the_workbench(make_project_with_text):
    project = make_project_with_text({"T1": TEXT})
    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('[keys]\n"workbench.next_unit" = "ctrl+n"\n', encoding="utf-8")
    app = make_app(project, "anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        assert TEXT[slice(*app.screen.selection)] == "Eerst eng."
        await pilot.press("j")                          # no longer bound
        assert TEXT[slice(*app.screen.selection)] == "Eerst eng."
    keymap_path().unlink()


def test_thematica_keys_prints_the_active_map():
    result = run_cli_in_process("keys", columns=80)  # a terminal's width, as ``thematica keys`` in a shell
    assert result.returncode == 0
    assert "workbench.apply_highlighted" in result.stdout and "keymap.toml" in result.stdout
