"""`thematica cases table`: the respondents' attributes as the interview study's Table 1."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import docx
import pytest

from tests.conftest import demo_project

from tests.conftest import CliResult, run_cli_in_process

CASES = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "cases.csv"


def _run(*arguments: str) -> CliResult:
    result = run_cli_in_process(*arguments)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return str(demo_project(tmp_path_factory.mktemp("demo")))


def test_one_row_per_respondent_with_the_sample_in_the_note(demo, tmp_path):
    expected = list(csv.DictReader(CASES.open(encoding="utf-8")))
    out = tmp_path / "cases.docx"
    _run("cases", "table", demo, "--format", "docx", "--out", str(out), "--language", "nl")
    document = docx.Document(str(out))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0][:3] == ["Deelnemer", "gender", "age"] and len(rows) == 1 + len(expected)
    assert rows[1][:3] == [expected[0]["case"], expected[0]["gender"], expected[0]["age"]]
    ages = [float(row["age"]) for row in expected]
    note = next(p.text for p in document.paragraphs if p.text.startswith("Noot."))
    mean = f"{statistics.fmean(ages):.1f}".replace(".", ",")
    assert f"age: M = {mean}" in note and f"spreiding {int(min(ages))}–{int(max(ages))}" in note
    assert "vrouw 4, man 2" in note and "Tabel 1" in [p.text for p in document.paragraphs]


def test_terminal_and_json(demo):
    assert "Characteristics of the respondents" in _run("cases", "table", demo).stdout
    assert '"case": "R1"' in _run("cases", "table", demo, "--format", "json").stdout


@pytest.mark.parametrize("columns", [80, 60])
def test_the_terminal_table_breaks_lines_between_words_only(demo, columns):
    """At 80 (and 60) columns every value's words are whole on a line, every line fits, and the
    columns that do not fit beside the others come in a second block that repeats the respondent."""
    expected = list(csv.DictReader(CASES.open(encoding="utf-8")))
    result = run_cli_in_process("cases", "table", demo, columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    tokens = {token for line in lines for token in line.replace("│", " ").replace("┃", " ").split()}
    words = {word for row in expected for value in row.values() for word in value.split()}
    assert words - tokens == set()
    assert sum(1 for line in lines if line.startswith("┃ Respondent")) == 2
    table_lines = [line for line in lines if line.startswith("│ R1 ")]
    assert len(table_lines) == 2  # R1 once in each block


def test_column_blocks_and_widths_keep_the_longest_word():
    from thematica.cli.fitted_tables import column_blocks, fitted_widths

    # stub 10, then 12, 17, 8: at 50 columns 1 + (10 + 3) + (12 + 3) + (17 + 3) = 49, the fourth goes below
    assert column_blocks([10, 12, 17, 8], 50) == [[0, 1, 2], [0, 3]]
    assert column_blocks([10, 60], 50) == [[0, 1]]  # too wide for any block: on its own with the stub
    # 50 − 1 − 9 = 40 columns of text: the widest column gives way first, none below its longest word
    assert fitted_widths([10, 30, 20], [10, 12, 17], 50) == [10, 13, 17]
