"""Meta-analysis and NMA tables in DOCX/Markdown: numbers as the analysis computed them, and every
convention that changes a number named in the note."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from thematica.reports import numbers

from tests.conftest import CliResult, run_cli_in_process

META = Path(__file__).resolve().parents[2] / "corpora" / "meta"


def _run(*arguments: str) -> CliResult:
    result = run_cli_in_process(*arguments)
    assert result.returncode == 0, result.stderr
    return result


def test_meta_docx_carries_the_pooled_estimate_and_its_conventions(tmp_path):
    data = json.loads(_run("meta", str(META / "bcg.csv"), "--measure", "RR", "--format", "json").stdout)
    out = tmp_path / "meta.docx"
    _run("meta", str(META / "bcg.csv"), "--measure", "RR", "--format", "docx", "--out", str(out))
    document = docx.Document(str(out))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    pooled = next(row for row in rows if row[0].startswith("Pooled"))
    assert pooled[1] == numbers.estimate_interval(data["estimate"], data["ci_low"], data["ci_high"])
    assert len(rows) == 1 + len(data["studies"]) + 2
    note = next(p.text for p in document.paragraphs if p.text.startswith("Note."))
    for convention in ("with z (Wald)", "t on k − 2", "from Cochran's Q", "log scale", "0.5 added",
                       "left out", "p\u00a0<\u00a0.001"):
        assert convention in note
    assert "p = <" not in note


def test_hartung_knapp_and_rd_change_the_note(tmp_path):
    text = _run("meta", str(META / "bcg.csv"), "--measure", "RD", "--hartung-knapp", "--format", "md").stdout
    assert "Hartung–Knapp adjustment (t on k − 1 df)" in text and "RD needs and gets no zero-cell correction" in text


def test_help_names_the_options_that_change_the_conventions():
    help_text = " ".join(_run("meta", "analyse", "--help").stdout.split())
    assert "--hartung-knapp" in help_text and "k − 2" in help_text and "I² = (Q − df)/Q" in help_text


def test_nma_docx_league_table_and_dutch(tmp_path):
    out = tmp_path / "nma.docx"
    _run("nma", str(META / "work-network.csv"), "--measure", "OR", "--reference", "Gebruikelijke zorg", "--random",
         "--larger-is-better", "--format", "docx", "--out", str(out), "--language", "nl")
    document = docx.Document(str(out))
    main, league = document.tables[:2]
    assert [c.text for c in main.rows[0].cells][2:] == ["95%-PI", "P-score", "SUCRA", "P(beste)", "Gemiddelde rang"]
    assert main.rows[-1].cells[1].text == "ref." and league.rows[1].cells[0].text == league.rows[0].cells[0].text
    assert "," in main.rows[1].cells[1].text and any(p.text == "Tabel 2" for p in document.paragraphs)


def test_league_text_formats_the_numbers_quant_returns():
    """quant returns the league table as numbers; reports writes "estimate (low; high)" for CSV and json."""
    from thematica.quant.meta.network import LeagueCell, LeagueTable
    from thematica.reports.meta_tables import league_text

    table = LeagueTable(("B", "A"), True, ((None, LeagueCell("B", "A", 2.0, 1.234, 3.456)),
                                           (LeagueCell("A", "B", 0.5, 0.28935, 0.81037), None)))
    assert league_text(table) == [["", "B", "A"], ["B", "B", "2.00 (1.23; 3.46)"], ["A", "0.50 (0.29; 0.81)", "A"]]
