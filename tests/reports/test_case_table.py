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
    assert rows[0][:3] == ["Respondent", "gender", "age"] and len(rows) == 1 + len(expected)
    assert rows[1][:3] == [expected[0]["case"], expected[0]["gender"], expected[0]["age"]]
    ages = [float(row["age"]) for row in expected]
    note = next(p.text for p in document.paragraphs if p.text.startswith("Noot."))
    mean = f"{statistics.fmean(ages):.1f}".replace(".", ",")
    assert f"age: M = {mean}" in note and f"spreiding {int(min(ages))}–{int(max(ages))}" in note
    assert "vrouw 4, man 2" in note and "Tabel 1" in [p.text for p in document.paragraphs]


def test_terminal_and_json(demo):
    assert "Characteristics of the respondents" in _run("cases", "table", demo).stdout
    assert '"case": "R1"' in _run("cases", "table", demo, "--format", "json").stdout
