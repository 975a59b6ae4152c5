"""``thematica agreement`` at 80 columns: no code name, header or number broken mid-word, a legend line."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematica.cli import common, main
from thematica.cli.agreement_table import code_rows
from tests.conftest import demo_project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_project(tmp_path_factory.mktemp("demo"))


def run_at_80(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(common.console, "_width", 80)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    captured = capsys.readouterr()
    assert stop.value.code == 0, captured.err
    return captured.out


def words_of(output: str) -> set[str]:
    return {word.strip("│┃") for line in output.splitlines() for word in line.split()}


@pytest.mark.parametrize("method", ["unit", "unitizing", "segment"])
def test_no_word_is_broken_at_80_columns(demo: Path, method: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    output = run_at_80(["agreement", str(demo), "--method", method, "--domain", "Ervaren effect",
                        "--bootstrap", "200"], monkeypatch, capsys)
    assert max(len(line) for line in output.splitlines()) <= 80
    assert "…" not in output
    found = words_of(output)
    names = ["Behandelfocus", "Duidelijke focus", "Verbinding met dagelijks leven", "Werk en re-integratie",
             "Multidisciplinaire aanpak", "Psychomotorische therapie", "Specifieke DIT-interventies",
             "Werken met het relationele patroon", "Ervaren effect", "Verslechterd"]
    for name in names:
        for word in name.split():
            assert word in found, f"{word!r} of {name!r} is broken or missing at 80 columns"
    assert "overall" in found and "(pooled)" in found and "— = undefined" in " ".join(output.split())
    if method == "unit":
        for header in ("κ", "α", "AC1", "P<.667", "P<.800", "paired", "viol."):
            assert header in found, header
        legend = " ".join(output.split())
        assert "κ = Cohen's kappa" in legend and "units only anouk, only bas coded" in legend


def test_code_rows_indent_under_a_family_heading() -> None:
    assert code_rows(["Groep/Steun", "Groep/Zich uiten", "Los"]) == [
        ("Groep", True), ("  Steun", False), ("  Zich uiten", False), ("Los", False)]
    assert code_rows(["Groep", "Groep/Steun/Buiten"]) == [("Groep", False), ("  Steun", True), ("    Buiten", False)]


def test_report_help_has_no_line_broken_mid_sentence(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The docstring's own line breaks are kept by the help: a paragraph's inner line is never short."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERMINAL_WIDTH", "80")
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = capsys.readouterr().out.split("╭")[0]
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    for lines in (p for p in paragraphs if len(p) > 1 and not p[0].startswith("Usage")):
        for line in lines[:-1]:
            assert len(line) >= 60, f"help line broken early: {line!r}"
