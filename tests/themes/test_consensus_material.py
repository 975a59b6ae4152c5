"""``--coder consensus`` names the meetings' consensus codings in every command that reads the coded
material (themes, map, report, transcript), and is refused in one line where there is none."""

from __future__ import annotations

import pytest

from thematica.errors import ThematicaError
from thematica.store.project import open_project
from thematica.themes.data import load_material

from tests.conftest import demo_project


def test_consensus_is_the_default_material_once_a_meeting_decided(tmp_path, run_cli):
    demo = str(demo_project(tmp_path))
    assert run_cli("consensus", "open", demo, "--coders", "anouk,bas", "--as", "anouk").returncode == 0
    assert run_cli("consensus", "decide", demo, "--coders", "anouk,bas", "keep_a", "--as", "anouk").returncode == 0
    with open_project(demo) as project:
        default, named = load_material(project), load_material(project, " Consensus ")
        assert named.coding == default.coding and named.coding.startswith("consensus:")
        assert named.segments == default.segments and named.segments


def test_without_a_meeting_consensus_is_refused(make_project_with_text):
    project = make_project_with_text({"R1": "I: Hoe was het?\n\nR: Goed.\n"})
    with pytest.raises(ThematicaError, match="no consensus coding yet"):
        load_material(project, "consensus")
