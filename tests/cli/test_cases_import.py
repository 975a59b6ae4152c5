"""``thematica cases import`` names the cases that match no document (a typo, a transcript not imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematica.cli import main
from thematica.corpus.cases import import_cases_csv


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    captured = capsys.readouterr()
    assert stop.value.code == 0, captured.err
    return captured.out


def test_a_case_without_a_document_is_named(make_project_with_text, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project_with_text({"R1": "I: Hoe?\nR: Goed.\n", "R2": "I: En?\nR: Ook.\n"})
    location = str(project.location)
    project.close()
    one = tmp_path / "one.csv"
    one.write_text("case,gender\nR1,vrouw\nnobody,man\n", encoding="utf-8")
    out = run(["cases", "import", location, str(one)], capsys)
    assert "2 cases;" in out and "1 documents linked" in out
    assert "warning: 1 case matches no document: nobody" in out
    two = tmp_path / "two.csv"
    two.write_text("case,gender\nR1,vrouw\nR2,man\nnémand,man\nniemand,vrouw\n", encoding="utf-8")
    out = run(["cases", "import", location, str(two)], capsys)
    assert "warning: 2 cases match no document: némand, niemand" in out  # R1 was linked before: it matches


def test_every_case_matched_gives_no_warning(make_project_with_text, tmp_path: Path) -> None:
    project = make_project_with_text({"R1": "I: Hoe?\nR: Goed.\n"})
    path = tmp_path / "cases.csv"
    path.write_text("case,age\nR1,34\n", encoding="utf-8")
    result = import_cases_csv(project, path)
    assert result.unmatched == () and result.linked_documents == 1
    assert result.to_dict()["unmatched"] == []
