"""Codings CSV: the contract (document,start,end,code,coder,memo) round-trips and bad files change nothing."""

from __future__ import annotations

import csv
import io

import pytest

from thematica.errors import ThematicaError
from thematica.interchange.codings_csv import export_rows, import_codings, write_codings_csv

TEXT = "I: Hoe was de groep?\n\nR: Eh, in het begin was het eng. Later voelde ik me veilig bij de therapeuten.\n"


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["document", "start", "end", "code", "coder", "memo"])
    writer.writerows(rows)
    return buffer.getvalue()


def _export(project) -> str:
    buffer = io.StringIO()
    write_codings_csv(export_rows(project), buffer)
    return buffer.getvalue()


def test_export_of_import_reproduces_the_file(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT})
    rows = [
        ["R1", 25, 52, "Groep/Onveiligheid in het begin", "anouk", "'eng' = spannend"],
        ["R1", 53, 98, "Therapeutfactoren/Veiligheid", "anouk", ""],
        ["R1", 25, 98, "Groep/Onveiligheid in het begin", "bas", ""],
        ["R1", 53, 98, "Therapeutfactoren/Veiligheid", "bas", "één zin; ë ï é"],
    ]
    source = tmp_path / "codings.csv"
    source.write_text(_csv(rows), encoding="utf-8")
    result = import_codings(project, source)
    assert (result.added, result.codes_created, result.coders) == (4, 4, ("anouk", "bas"))
    exported = _export(project)
    assert sorted(exported.splitlines()[1:]) == sorted(_csv(rows).splitlines()[1:])
    assert exported.splitlines()[0] == "document,start,end,code,coder,memo"


def test_importing_the_same_file_twice_adds_nothing(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT})
    source = tmp_path / "codings.csv"
    source.write_text(_csv([["R1", 25, 52, "Groep", "anouk", ""]]), encoding="utf-8")
    import_codings(project, source)
    again = import_codings(project, source)
    assert (again.added, again.already_present) == (0, 1)


def test_cp1252_codings_file_keeps_dutch_memos(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT})
    source = tmp_path / "codings.csv"
    source.write_bytes(_csv([["R1", 25, 52, "Groep", "anouk", "ideeën over één café"]]).encode("cp1252"))
    import_codings(project, source)
    assert export_rows(project)[0].memo == "ideeën over één café"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["R1", 25, 9999, "Groep", "bas", ""], "outside document"),
        (["R1", 30, 30, "Groep", "bas", ""], "invalid span"),
        (["R1", -1, 10, "Groep", "bas", ""], "invalid span"),
        (["R9", 0, 10, "Groep", "bas", ""], "unknown document"),
        (["R1", "tien", 10, "Groep", "bas", ""], "whole numbers"),
        (["R1", 0, 10, "Groep//Sub", "bas", ""], "invalid code path"),
    ],
)
def test_a_bad_row_is_named_and_nothing_of_the_file_is_imported(make_project_with_text, project_digest, tmp_path, row, reason):
    project = make_project_with_text({"R1": TEXT})
    path = tmp_path / "texts.thematica"
    before = project_digest(path)
    source = tmp_path / "codings.csv"
    source.write_text(_csv([["R1", 25, 52, "Groep", "anouk", ""], row]), encoding="utf-8")
    with pytest.raises(ThematicaError) as error:
        import_codings(project, source)
    assert reason in str(error.value)
    assert "row 3" in str(error.value) and "codings.csv" in str(error.value)
    assert project_digest(path) == before
    assert export_rows(project) == []


def test_duplicate_rows_and_missing_columns_are_refused(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT})
    source = tmp_path / "codings.csv"
    source.write_text(_csv([["R1", 25, 52, "Groep", "anouk", ""], ["R1", 25, 52, "Groep", "anouk", ""]]))
    with pytest.raises(ThematicaError, match="row 3: duplicate of row 2"):
        import_codings(project, source)
    source.write_text("document,start,end,code\nR1,1,2,Groep\n")
    with pytest.raises(ThematicaError, match="missing column"):
        import_codings(project, source)
