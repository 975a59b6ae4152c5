"""Every CSV export neutralises cells a spreadsheet would run as a formula (=, +, -, @, tab, CR), and
Thematica's own CSV imports read them back unchanged."""

from __future__ import annotations

import csv
import io

import pytest

from thematica.coding.segments import apply_code, set_document_status
from thematica.interchange.codings_csv import export_rows, parse_codings_csv, write_codings_csv
from thematica.safe_text import FORMULA_STARTS, csv_cell, csv_uncell, terminal_safe, xml_safe
from thematica.themes.service import add_theme

from tests.conftest import CliResult, run_cli_in_process

TEXT = "R: =SUM(A1) zei ze. @mijn naam.\nR: -1 punt en +2 erbij.\n"
EVIL = ("=HYPERLINK(\"http://x\")", "+1 memo", "-2", "@thema", "\tTab", "\rCR")


def _run(*arguments: str) -> CliResult:
    return run_cli_in_process(*arguments)


def _unsafe(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


@pytest.fixture
def evil(make_project_with_text):
    project = make_project_with_text({"R1": TEXT})
    for coder in ("anouk", "bas"):
        apply_code(project, 1, coder, 3, 11, code_path="=Kwaad/@sub", memo="+1 memo")
        set_document_status(project, 1, coder, "done")
    apply_code(project, 1, "anouk", 34, 44, code_path="-Min", memo="=1+1")
    add_theme(project, "@thema", "anouk", codes=["=Kwaad/@sub"])
    return project


@pytest.mark.parametrize("value", [*EVIL, "'=x", "''=x", "'plain", "plain", "-", ""])
def test_neutralising_round_trips(value):
    assert csv_uncell(csv_cell(value)) == value
    assert not str(csv_cell(value)).startswith(FORMULA_STARTS)
    assert csv_cell(-0.5) == -0.5 and csv_cell(3) == 3


def test_every_csv_export_of_a_project_is_neutralised(evil, tmp_path):
    location = str(evil.location) if hasattr(evil, "location") else str(evil.path)
    evil.close()
    outputs = {
        "codings": _run("codings", "export", location).stdout,
        "codebook": (_run("codebook", "export", location, "--format", "csv", "--out", str(tmp_path / "cb.csv")),
                     (tmp_path / "cb.csv").read_text(encoding="utf-8"))[1],
        "cooccurrence": _run("cooccurrence", location).stdout,
        "framework": _run("framework", location).stdout,
        "disagreements": (_run("disagreements", location, "--coders", "anouk,bas", "--format", "csv", "--out",
                               str(tmp_path / "d.csv")), (tmp_path / "d.csv").read_text(encoding="utf-8"))[1],
    }
    for name, text in outputs.items():
        assert text.count("\n") >= 2, name
        assert _unsafe(text) == [], name
    assert "'=Kwaad/@sub" in outputs["codings"] and "'+1 memo" in outputs["codings"]
    assert "'@thema" in outputs["framework"]


def test_codings_export_reads_back_unchanged(evil, tmp_path):
    rows = export_rows(evil, None)
    buffer = io.StringIO()
    write_codings_csv(rows, buffer)
    path = tmp_path / "codings.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    again = parse_codings_csv(path)
    assert sorted((r.code, r.memo) for r in again) == sorted((r.code, r.memo) for r in rows)
    assert ("-Min", "=1+1") in {(r.code, r.memo) for r in again}


def test_meta_compare_and_league_are_neutralised(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("study,events_t,n_t,events_c,n_c\n=Studie,1,10,2,10\n", encoding="utf-8")
    second.write_text("study,events_t,n_t,events_c,n_c\n=Studie,3,10,2,10\n", encoding="utf-8")
    result = _run("meta", "compare", str(first), str(second))
    assert result.returncode == 0, result.stderr
    assert _unsafe(result.stdout) == [] and "'=Studie" in result.stdout


def test_xml_and_terminal_stand_ins():
    assert xml_safe("a\x00b\x1bc\x7f\ud800") == "a\u2400b\u241bc\u2421\ufffd"
    assert xml_safe("tab\tnewline\n") == "tab\tnewline\n"
    assert terminal_safe("\x1b[2J\x1b]0;title\x07\r\x08ok\n\t") == "\u241b[2J\u241b]0;title\u2407\u240d\u2408ok\n\t"
    assert terminal_safe("\x9b31m") == "\ufffd31m"


def test_show_prints_control_characters_visibly(make_project_with_text):
    project = make_project_with_text({"R1": "R: rood\x1b[31m en \x1b]0;titel\x07 klaar.\rterug\n"})
    location = str(project.path)
    with project.reading():
        pass
    text = _run("show", location, "R1")
    units = _run("show", location, "R1", "--units", "sentence")
    for out in (text.stdout, units.stdout):
        assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "rood\u241b[31m en \u241b]0;titel\u2407 klaar.\nterug" in text.stdout  # CR became a newline at import
