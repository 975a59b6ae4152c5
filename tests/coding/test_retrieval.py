"""Retrieval of a code across documents, with the sentence before and after, case, speaker and
memo, filtered by a case attribute; exported to Markdown, DOCX and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from thematica.coding import codebook
from thematica.coding.retrieval import retrieve
from thematica.coding.segments import apply_code, set_segment_memo
from thematica.corpus.cases import import_cases_csv
from thematica.errors import ThematicaError
from thematica.reports.retrieval_report import render_csv, render_markdown, write_retrieval

from tests.coding.sessions import session_for

TEXT = ("I: Hoe was de groep?\n\nR: Eerst eng. Later voelde ik me veilig bij de therapeuten. De groep hielp mij.\n\n"
        "I: En thuis?\n\nR: Thuis zeg ik nu vaker nee. Dat is nieuw, café-moeilijk ë.\n")


@pytest.fixture
def study(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT, "R2": TEXT}, cases={"R1": "P1", "R2": "P2"})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,gender\nP1,vrouw\nP2,man\n", encoding="utf-8")
    import_cases_csv(project, cases)
    codebook.create_code(project, "Groep/Veiligheid", "anouk")
    later, thuis = TEXT.index("Later"), TEXT.index("Thuis")
    first = apply_code(project, 1, "anouk", later, later + len("Later voelde ik me veilig bij de therapeuten."),
                       code_path="Groep/Veiligheid")
    set_segment_memo(project, first.id, "anouk", "veiligheid ë")
    apply_code(project, 2, "anouk", thuis, thuis + len("Thuis zeg ik nu vaker nee."), code_path="Groep")
    apply_code(project, 2, "bas", thuis, thuis + 5, code_path="Groep")  # blind: not anouk's to see
    return project




def session_of(project, coder="anouk"):
    return session_for(project, coder, totals=False)


def groep(session):
    return next(info.id for info in session.codes.values() if info.path == "Groep")


def test_a_codes_segments_with_their_children_context_case_speaker_and_memo(study):
    session = session_of(study)
    found = retrieve(study, session, groep(session))
    assert [(r.document, r.case, r.speaker, r.coder, r.code) for r in found] == [
        ("R1", "P1", "R", "anouk", "Groep/Veiligheid"), ("R2", "P2", "R", "anouk", "Groep")]
    assert (found[0].before, found[0].text, found[0].after) == (
        "Eerst eng.", "Later voelde ik me veilig bij de therapeuten.", "De groep hielp mij.")
    assert (found[1].before, found[1].after) == ("En thuis?", "Dat is nieuw, café-moeilijk ë.")
    assert found[0].memo == "veiligheid ë" and found[0].attributes == {"gender": "vrouw"}
    assert [r.code for r in retrieve(study, session, groep(session), children=False)] == ["Groep"]


def test_filter_by_a_case_attribute(study):
    session = session_of(study)
    assert [r.document for r in retrieve(study, session, groep(session), attribute=("gender", "man"))] == ["R2"]


def test_exports_in_markdown_csv_and_docx(study, tmp_path):
    session = session_of(study)
    found = retrieve(study, session, groep(session))
    markdown = render_markdown("Groep", found)
    assert "Eerst eng. **Later voelde ik me veilig bij de therapeuten.** De groep hielp mij." in markdown
    assert "*Memo:* veiligheid ë" in markdown
    rows = list(csv.DictReader(io.StringIO(render_csv("Groep", found))))
    assert rows[1]["text"] == "Thuis zeg ik nu vaker nee." and rows[0]["gender"] == "vrouw"
    path = write_retrieval("Groep", found, tmp_path / "groep.docx")
    import docx

    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Later voelde ik me veilig bij de therapeuten." in text and "café-moeilijk ë" in text
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(ThematicaError, match=r"\.md, \.docx or \.csv"):
        write_retrieval("Groep", found, tmp_path / "groep.txt")
