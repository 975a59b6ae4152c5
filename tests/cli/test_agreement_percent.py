"""The terminal agreement table's "% agr" is a percentage, the one the report and the meeting give."""

from __future__ import annotations

import re

from tests.conftest import demo_project, run_cli_in_process


def test_percent_agreement_is_shown_as_a_percentage_of_the_rows_own_counts(tmp_path):
    demo = demo_project(tmp_path)
    table = run_cli_in_process("agreement", str(demo), "--coders", "anouk,bas", columns=120).stdout
    header = next(line for line in table.splitlines() if line.startswith("code"))
    assert header.split()[1:5] == ["%", "agr", "κ", "α"]
    rows = [line for line in table.splitlines() if re.match(r"\s+\S.*\s\d+\s+\d+\s+\d+\s+\d+$", line)
            or line.startswith("overall (pooled)")]
    assert len(rows) > 10
    for line in rows:
        numbers = line.split()[-8:]  # % agr, κ, α, AC1, both, a, b, none
        both, a_only, b_only, neither = (int(value) for value in numbers[4:])
        assert float(numbers[0]) == round(100 * (both + neither) / (both + a_only + b_only + neither), 1), line
