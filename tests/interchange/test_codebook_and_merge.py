"""Codebook formats, import with conflicts, versions; merging copies of coders who worked apart."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from thematica.coding import codebook as codes
from thematica.coding.segments import apply_code
from thematica.errors import ThematicaError
from thematica.interchange.codebook import codebook_rows, diff, export_codebook, import_codebook, snapshot
from thematica.reports.codebook_report import write_codebook
from thematica.interchange.codings_csv import export_rows
from thematica.interchange.merge import merge
from thematica.interchange.refi_qda import export_qdpx
from thematica.store.project import open_project
from thematica.store.transfer import backup


TEXT = "R: De groep hielp. De therapeut was warm. Thuis gaat het beter.\n"


@pytest.fixture
def study(make_project_with_text):
    project = make_project_with_text({"R1": TEXT})
    codes.create_code(project, "Groep/Steun", "anouk", definition="Steun van groepsgenoten.",
                      inclusion="Expliciete steun.", exclusion="Steun van familie.", example="Ze hielpen me.")
    codes.create_code(project, "Therapeut", "anouk", color="#0072B2", definition="De therapeut als persoon.")
    apply_code(project, 1, "anouk", 3, 18, code_path="Groep/Steun")
    apply_code(project, 1, "bas", 3, 18, code_path="Groep/Steun")
    return project


def test_every_export_format_carries_the_codebook(study, tmp_path, refi_schema):
    for fmt in ("csv", "json", "qdc"):
        export_codebook(study, fmt, tmp_path / f"codebook.{fmt}")
    for fmt in ("md", "docx"):
        write_codebook(codebook_rows(study), "studie", tmp_path / f"codebook.{fmt}", fmt)
    for fmt in ("md", "csv", "json", "docx", "qdc"):
        assert (tmp_path / f"codebook.{fmt}").stat().st_mode & 0o777 == 0o600
    markdown = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    assert "## Groep" in markdown and "### Steun" in markdown and "**Exclude when:** Steun van familie." in markdown
    assert "anouk: 1, bas: 1" in markdown
    rows = list(csv.DictReader(io.StringIO((tmp_path / "codebook.csv").read_text(encoding="utf-8"))))
    assert rows[1]["code"] == "Groep/Steun" and rows[1]["n_anouk"] == "1" and rows[1]["example"] == "Ze hielpen me."
    data = json.loads((tmp_path / "codebook.json").read_text(encoding="utf-8"))
    assert data["codes"][1]["frequency"] == {"anouk": 1, "bas": 1}
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "codebook.docx")).paragraphs)
    assert "Steun van groepsgenoten." in text and "Expliciete steun." in text
    # The codebook schema (spec §5.2) shares the Code type with the project schema, which is the
    # one shipped as a file: validate the Codes inside a Project wrapper. (CodeBook's 'origin'
    # attribute exists only in the codebook schema, so the wrapper drops it.)
    qdc = (tmp_path / "codebook.qdc").read_text(encoding="utf-8")
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in qdc and 'origin="Thematica' in qdc
    codes_xml = qdc[qdc.index("<Codes>"):qdc.index("</CodeBook>")]
    refi_schema.validate(f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook>{codes_xml}</CodeBook></Project>')


@pytest.mark.parametrize("fmt", ["csv", "json", "qdc"])
def test_import_into_a_new_project_round_trips(study, tmp_path, fmt):
    export_codebook(study, fmt, tmp_path / f"codebook.{fmt}")
    with open_project(tmp_path / f"new-{fmt}.thematica", create=True) as fresh:
        report = import_codebook(fresh, tmp_path / f"codebook.{fmt}")
        assert sorted(report.created) == ["Groep", "Groep/Steun", "Therapeut"]
        with fresh.reading() as session:
            steun = codes.find_code(session, "Groep/Steun")
            assert (steun.definition, steun.inclusion, steun.exclusion, steun.example) == (
                "Steun van groepsgenoten.", "Expliciete steun.", "Steun van familie.", "Ze hielpen me.")


def test_import_reports_conflicts_and_keeps_the_projects_values(study, tmp_path):
    source = tmp_path / "other.json"
    source.write_text(json.dumps({"codes": [{"code": "Therapeut", "definition": "Iets anders."},
                                            {"code": "Nieuw", "definition": "Nieuwe code."}]}), encoding="utf-8")
    report = import_codebook(study, source)
    assert report.created == ["Nieuw"]
    assert report.conflicts == [("Therapeut", "definition", "De therapeut als persoon.", "Iets anders.")]
    with study.reading() as session:
        assert codes.find_code(session, "Therapeut").definition == "De therapeut als persoon."
    bad = tmp_path / "bad.json"
    bad.write_text("{niet json", encoding="utf-8")
    with pytest.raises(ThematicaError, match="malformed JSON"):
        import_codebook(study, bad)


def test_snapshots_and_their_diff(study):
    snapshot(study, "ronde-1")
    with study.reading() as session:
        therapeut = codes.find_code(session, "Therapeut").id
        steun = codes.find_code(session, "Groep/Steun").id
    codes.rename_code(study, therapeut, "Therapeutische relatie", "anouk")
    codes.update_code(study, steun, "anouk", definition="Steun en erkenning van groepsgenoten.")
    codes.create_code(study, "Effect", "anouk")
    snapshot(study, "ronde-2")
    result = diff(study, "ronde-1", "ronde-2")
    assert result.added == ["Effect"] and result.removed == []
    assert result.renamed == [("Therapeut", "Therapeutische relatie")]
    assert result.redefined == [("Groep/Steun", "definition", "Steun van groepsgenoten.",
                                 "Steun en erkenning van groepsgenoten.")]
    with pytest.raises(ThematicaError, match="exists already"):
        snapshot(study, "ronde-1")


def test_merging_a_copy_brings_the_other_coder_in_once(study, tmp_path):
    copy = tmp_path / "copy-of-bas.thematica"
    backup(study, copy)  # the other laptop starts from a copy of the project
    with open_project(copy) as other:
        apply_code(other, 1, "cem", 19, 41, code_path="Therapeut")
        apply_code(other, 1, "cem", 42, 63, code_path="Effect/Beter")
    first = merge(study, str(copy))
    second = merge(study, str(copy))
    assert first.added == 2 and second.added == 0
    rows = sorted((TEXT[r.start:r.end], r.code) for r in export_rows(study, ["cem"]))
    assert rows == [("De therapeut was warm.", "Therapeut"), ("Thuis gaat het beter.", "Effect/Beter")]
    export_qdpx(open_project(copy), tmp_path / "copy.qdpx")
    assert merge(study, str(tmp_path / "copy.qdpx")).added == 0


def test_merge_refuses_documents_with_a_different_text(study, tmp_path, make_project_with_text):
    other = make_project_with_text({"R1": TEXT.replace("warm", "koud")}, name="other.thematica")
    apply_code(other, 1, "cem", 3, 10, code_path="Groep")
    with pytest.raises(ThematicaError, match="not identical in both copies.*R1"):
        merge(study, str(tmp_path / "other.thematica"))
