"""A keymap file that cannot be used is one line and exit code 2 wherever the workbench starts —
never a traceback (which would print the transcript and codebook held in its locals)."""

from __future__ import annotations

import sys

import pytest

from thematica.errors import ThematicaError
from thematica.tui.keymap import user_keymap

from tests.tui.pilots import run_in_terminal

TEXT = "I: Hoe was het?\n\nR: Spannend, maar de groep hielp mij enorm.\n"


def test_a_key_given_to_two_bindings_is_refused_naming_both(tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"workbench.undo" = "c"\n', encoding="utf-8")
    with pytest.raises(ThematicaError, match="'c' is bound to both workbench.apply and workbench.undo"):
        user_keymap(keymap)
    keymap.write_text('[keys]\n"workbench.undo" = "z"\n"workbench.apply" = "u"\n', encoding="utf-8")
    assert user_keymap(keymap) == {"workbench.undo": "z", "workbench.apply": "u"}   # a swap is fine


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("content", ["[keys\n", '[keys]\n"workbench.undoo" = "z"\n', '[keys]\n"workbench.undo" = "c"\n'])
def test_thematica_code_with_a_bad_keymap_is_one_line_and_exit_2(content, make_project_with_text, tmp_path,
                                                                 child_environment):
    project = make_project_with_text({"R1": TEXT})
    project.close()
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text(content, encoding="utf-8")
    code, seen = run_in_terminal(["code", project.location, "--coder", "anouk"],
                                 {**child_environment, "THEMATICA_CONFIG_DIR": str(config), "TERM": "xterm"},
                                 size=(80, 24), seconds=20)
    shown = seen.decode("utf-8", "replace").strip()
    assert code == 2 and len(shown.splitlines()) == 1 and "keymap.toml" in shown, shown
    assert "Traceback" not in shown and "Spannend" not in shown
