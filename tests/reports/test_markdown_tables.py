"""Markdown tables keep their columns whatever the cells hold (a '|' in a participant's words, a line
break in a passage, |uα in a header)."""

from __future__ import annotations

import re

from thematica.markdown import md_cell, md_table
from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.reports.consensus_log import render_markdown
from thematica.vocabulary import ConsensusDecision


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


def test_pipes_are_escaped_and_line_breaks_flattened():
    assert md_cell("ja | nee\n  zeker") == "ja \\| nee zeker"
    lines = md_table(["code", "|uα"], [["Groep/Veiligheid", 0.5]])
    assert lines == ["| code | \\|uα |", "|---|---|", "| Groep/Veiligheid | 0.5 |"]


def test_a_consensus_passage_with_a_pipe_stays_in_its_cell():
    row = DecisionRecord(id=1, meeting="consensus:anouk+bas", document="R1", start=3, end=20,
                         passage="Ik zei: ja | nee,\nik wist het niet.", coder_a="anouk", codes_a="Twijfel",
                         coder_b="bas", codes_b="", decision=ConsensusDecision.KEEP_A, codes_decided="",
                         rationale="A's lezing", decided_by="anouk", decided_at="2026-11-25")
    table = [line for line in render_markdown([row]).splitlines() if line.startswith("| R1")]
    assert len(table) == 1 and len(_cells(table[0])) == 9
    assert _cells(table[0])[1] == "Ik zei: ja \\| nee, ik wist het niet." and _cells(table[0])[3] == "—"
