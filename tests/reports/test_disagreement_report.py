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
    summary = report.split("*Agreement per code (lowest first)*")[1].split("\n## ")[0]
    codes_in_order = [line.split("|")[1].strip() for line in summary.splitlines() if line.startswith("| ") and "| Code |" not in line]
    assert codes_in_order[0] in ("Effect", "Therapeut")  # never-agreed codes come first
    assert codes_in_order[-1] == "Groep"
    assert "## R2\n\nNo disagreements." in report


def test_grouping_by_code_repeats_a_passage_under_each_code_involved(comparison):
    rows = list(csv.DictReader(io.StringIO(disagreement_report.render_csv(comparison, "code"))))
    assert sorted((row["group"], row["passage"]) for row in rows) == [
        ("Effect", "Ik durfde meer."), ("Groep", "Ik durfde meer."), ("Therapeut", "De therapeut was warm."),
    ]
    html = disagreement_report.render_html(comparison, "code")
    assert html.count("<h3>") == 3 and "<strong>Ik durfde meer.</strong>" in html


def test_docx_opens_and_holds_the_passages(comparison, tmp_path):
    path = tmp_path / "meeting.docx"
    disagreement_report.write_report(comparison, path, "docx")
    assert path.stat().st_mode & 0o777 == 0o600
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    assert "De therapeut was warm." in text and "A (anouk): Therapeut" in text and "B (bas): —" in text


def test_docx_summary_is_an_apa_table_whose_code_names_never_break(make_project_with_text, tmp_path):
    """Long code paths and a control character in a passage (the DOCX used to crash on it)."""
    from docx.oxml.ns import qn

    from thematica.reports.writers.docx import text_width_cm

    text = "R: De groep hielp\x1b[2J echt.\nR: Therapeutfactoren speelden mee.\n"
    project = make_project_with_text({"R1": text})
    long_code = "Therapeutfactoren/Veiligheidsbeleving in de groep"
    for coder, sentence, code in [("anouk", "De groep hielp", long_code), ("bas", "Therapeutfactoren", long_code)]:
        start = text.index(sentence)
        apply_code(project, 1, coder, start, start + len(sentence), code_path=code)
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    comparison = compare(project, Selection("anouk", "bas"))
    path = tmp_path / "meeting.docx"
    disagreement_report.write_report(comparison, path, "docx", language="nl", author="Anouk")
    document = docx.Document(str(path))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["Code", "κ", "% overeenstemming"]
    stub = table.rows[1].cells[0]
    assert stub.text == "Therapeutfactoren / Veiligheidsbeleving in de groep"
    assert stub.width.cm >= text_width_cm("Veiligheidsbeleving") + 0.3
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    texts = [p.text for p in document.paragraphs]
    assert "Tabel 1" in texts and any(t.startswith("Noot. Per code") for t in texts)
    assert any("\u241b[2J" in t for t in texts) and document.core_properties.author == "Anouk"


def test_csv_neutralises_formulas(make_project_with_text):
    text = "R: =HYPERLINK(\"http://x\") zei ze.\nR: Verder.\n"
    project = make_project_with_text({"R1": text})
    apply_code(project, 1, "anouk", 3, 20, code_path="@Groep")
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    rows = list(csv.reader(io.StringIO(disagreement_report.render_csv(compare(project, Selection("anouk", "bas"))))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'@Groep" in cells and any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
