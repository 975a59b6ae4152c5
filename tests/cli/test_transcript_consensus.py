"""``thematica transcript --coder consensus`` takes the consensus coding, whatever the spelling of the
word, and without one ends with exit 2 and one line."""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code

TEXT = "I: Hoe was het?\nR: Later voelde ik me veilig in de groep, ë en ï.\n"


@pytest.mark.parametrize("spelling", ["consensus", " Consensus ", "CONSENSUS"])
def test_consensus_without_a_meeting_is_one_line_and_exit_2(spelling, run_cli, make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT})
    codebook.create_code(project, "Veiligheid", "anouk")
    apply_code(project, 1, "anouk", 19, 40, code_path="Veiligheid")
    out = tmp_path / "r1.html"
    result = run_cli("transcript", project.location, "R1", "--coder", spelling, "--out", str(out))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no consensus coding yet" in result.stderr
    assert not out.exists()
