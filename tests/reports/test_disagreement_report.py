"""The disagreement report on the hand-made two-coder project of tests/coding/test_consensus.py."""

from __future__ import annotations

import csv
import io

import docx
import pytest

from thematica.coding.consensus.meeting import Selection, compare
from thematica.coding.segments import apply_code, set_document_status
from thematica.reports import disagreement_report

SENTENCES = ["De groep hielp.", "De therapeut was warm.", "Ik durfde meer.", "Thuis ging het beter.", "Verder niets."]
TEXT = "I: Hoe was het?\n\nR: " + " ".join(SENTENCES) + "\n"


@pytest.fixture
def comparison(make_project_with_text):
    project = make_project_with_text({"R1": TEXT, "R2": "R: Niets gecodeerd hier.\n"})
    for coder, sentence, code in [
        ("anouk", SENTENCES[0], "Groep"), ("bas", SENTENCES[0], "Groep"), ("anouk", SENTENCES[1], "Therapeut"),
        ("anouk", SENTENCES[2], "Effect"), ("bas", SENTENCES[2], "Groep"),
    ]:
        start = TEXT.index(sentence)
        apply_code(project, 1, coder, start, start + len(sentence), code_path=code)
    for coder in ("anouk", "bas"):
        for document in (1, 2):
            set_document_status(project, document, coder, "done")
    return compare(project, Selection("anouk", "bas"))


def test_markdown_lists_every_disagreement_and_no_agreement(comparison):
    report = disagreement_report.render_markdown(comparison)
    assert report.count("### R1") == 2
    assert "**De therapeut was warm.**" in report and "**Ik durfde meer.**" in report
    assert "**De groep hielp.**" not in report and "**Verder niets.**" not in report
    assert "present/absent" in report and "different code" in report
    summary = report.split("## Agreement per code")[1].split("\n## ")[0]
    codes_in_order = [line.split("|")[1].strip() for line in summary.splitlines() if line.startswith("| ") and "kappa" not in line]
    assert codes_in_order[0] in ("Effect", "Therapeut")  # never-agreed codes come first
    assert codes_in_order[-1] == "Groep"
    assert "## R2\n\nNo disagreements." in report


def test_grouping_by_code_repeats_a_passage_under_each_code_involved(comparison):
    rows = list(csv.DictReader(io.StringIO(disagreement_report.render_csv(comparison, "code"))))
    assert sorted((row["group"], row["passage"]) for row in rows) == [
        ("Effect", "Ik durfde meer."), ("Groep", "Ik durfde meer."), ("Therapeut", "De therapeut was warm."),
    ]
    html = disagreement_report.render_html(comparison, "code")
    assert html.count("<h3>") == 3 and "<mark>Ik durfde meer.</mark>" in html


def test_docx_opens_and_holds_the_passages(comparison, tmp_path):
    path = tmp_path / "meeting.docx"
    disagreement_report.write_report(comparison, path, "docx")
    assert path.stat().st_mode & 0o777 == 0o600
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    assert "De therapeut was warm." in text and "A (anouk): Therapeut" in text and "B (bas): —" in text
