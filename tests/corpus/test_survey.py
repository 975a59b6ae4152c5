"""Survey import: respondents become cases with attributes, answers become one-unit documents, atomically."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from thematica.cli import main
from thematica.corpus.survey import import_survey
from thematica.errors import ThematicaError
from thematica.store import cases as case_store, documents as document_store
from thematica.store.project import open_project

CSV = ("respondent;leeftijd;groep;wat_hielp;wat_kan_beter\n"
       "R01;34;A;De groep. Ik voelde me veilig.;Meer tijd\n"
       "R02;47;B;\"Herkenning bij één ander\nen ideeën delen\";\n"
       "R03;29;A;Niets;Minder huiswerk 😊\n")


def _survey(tmp_path, text: str = CSV):
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_respondents_become_cases_and_answers_documents(tmp_path):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_survey(project, _survey(tmp_path), id_column="respondent",
                               text_columns=["wat_hielp", "wat_kan_beter"], attribute_columns=["leeftijd", "groep"])
        with project.reading() as session:
            documents = document_store.all_documents(session)
            names = [document.name for document in documents]
            second = document_store.document_by_name(session, "R02 × wat_hielp", with_text=True)
            paragraphs = document_store.units_of(session, second.id, "paragraph")
            cases = {case.label: {a.name: (a.type, v) for a, v in case_store.case_values(session, case.id)}
                     for case in case_store.all_cases(session)}
            owner = second.case.label
    assert (result.respondents, result.answers, result.empty_answers, result.documents_added) == (3, 5, 1, 5)
    assert names == ["R01 × wat_hielp", "R02 × wat_hielp", "R03 × wat_hielp", "R01 × wat_kan_beter",
                     "R03 × wat_kan_beter"]  # grouped by question
    assert second.text == "Herkenning bij één ander en ideeën delen" and owner == "R02"
    assert [(p.start, p.end) for p in paragraphs] == [(0, len(second.text))]  # the answer is one unit
    assert cases["R01"] == {"leeftijd": ("integer", "34"), "groep": ("text", "A")}
    assert result.attributes == {"leeftijd": "integer", "groep": "text"}


def test_importing_again_adds_nothing_and_a_changed_answer_is_refused(tmp_path, project_digest):
    path = tmp_path / "p.thematica"
    with open_project(path, create=True) as project:
        import_survey(project, _survey(tmp_path), id_column="respondent", text_columns=["wat_hielp"])
        again = import_survey(project, _survey(tmp_path), id_column="respondent", text_columns=["wat_hielp"])
        assert again.documents_added == 0
        before = project_digest(path)
        with pytest.raises(ThematicaError, match="different text"):
            import_survey(project, _survey(tmp_path, CSV.replace("Niets", "Alles")), id_column="respondent",
                          text_columns=["wat_hielp", "wat_kan_beter"], attribute_columns=["leeftijd"])
        assert project_digest(path) == before


@pytest.mark.parametrize(("text", "options", "reason", "row"), [
    (CSV, {"id_column": "nr"}, "no --id column 'nr'", None),
    (CSV, {"text_columns": ["vraag9"]}, "no --text column 'vraag9'", None),
    (CSV.replace("R03", "R01"), {}, r"appears twice \(first in row 2\)", 4),
    (CSV.replace("R03", ""), {}, "empty respondent id", 4),
])
def test_bad_surveys_are_refused_with_file_and_row(tmp_path, text, options, reason, row):
    arguments = {"id_column": "respondent", "text_columns": ["wat_hielp"], **options}
    with open_project(tmp_path / "p.thematica", create=True) as project:
        with pytest.raises(ThematicaError, match=reason) as error:
            import_survey(project, _survey(tmp_path, text), **arguments)
    assert error.value.row == row and "survey.csv" in str(error.value)


def test_xlsx_through_the_cli(tmp_path, capsys):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "leeftijd", "open"])
    sheet.append(["A1", 34, "Ideeën over één café"])
    sheet.append(["A2", 51.0, "Rustig"])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)
    project = tmp_path / "p.thematica"
    with pytest.raises(SystemExit) as exit_:
        main(["survey", "import", str(project), str(path), "--id", "id", "--text", "open", "--attributes", "leeftijd"])
    assert exit_.value.code == 0
    assert "2 respondents, 1 questions, 2 answers" in capsys.readouterr().out
    with open_project(project) as opened:
        with opened.reading() as session:
            case = case_store.case_by_label(session, "A2")
            assert [(a.type, v) for a, v in case_store.case_values(session, case.id)] == [("integer", "51")]
            assert document_store.document_by_name(session, "A1 × open", with_text=True).text == "Ideeën over één café"


def test_survey_import_on_each_backend(any_location, tmp_path):
    with open_project(any_location, create=True) as project:
        result = import_survey(project, _survey(tmp_path), id_column="respondent",
                               text_columns=["wat_hielp", "wat_kan_beter"], attribute_columns=["leeftijd"])
        with project.reading() as session:
            assert len(document_store.all_documents(session)) == result.documents_added == 5
            assert len(case_store.all_cases(session)) == 3


def test_a_refused_import_into_a_new_project_leaves_no_file(tmp_path, capsys):
    project = tmp_path / "new.thematica"
    with pytest.raises(SystemExit) as exit_:
        main(["survey", "import", str(project), str(_survey(tmp_path, CSV.replace("R03", "R01"))), "--id", "respondent",
              "--text", "wat_hielp"])
    assert exit_.value.code == 2 and not project.exists()
    assert capsys.readouterr().err.count("\n") == 1
