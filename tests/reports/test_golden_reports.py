"""Golden Markdown of every report on the demo project (and the bundled meta-analysis files): a change
in wording, rounding or layout shows up as a diff to review. Regenerate on purpose with
THEMATICA_UPDATE_GOLDEN=1 and read the diff before committing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import demo_project

from tests.conftest import run_cli_in_process

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]


def _run(*arguments: str) -> str:
    result = run_cli_in_process(*arguments)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return str(demo_project(tmp_path_factory.mktemp("demo")))


def _report(demo: str, tmp_path: Path, name: str) -> str:
    out = tmp_path / f"{name}.md"
    _run("report", demo, "--out", str(out), *(["--language", "nl"] if name.endswith("-nl") else []))
    return out.read_text(encoding="utf-8")


def _disagreements(demo: str, tmp_path: Path) -> str:
    out = tmp_path / "meeting.md"
    _run("disagreements", demo, "--coders", "anouk,bas", "--out", str(out))
    return out.read_text(encoding="utf-8")


def _codebook(demo: str, tmp_path: Path) -> str:
    out = tmp_path / "codebook.md"
    _run("codebook", "export", demo, "--format", "md", "--out", str(out))
    return out.read_text(encoding="utf-8")


CASES = {
    "analysis-report.md": lambda demo, tmp: _report(demo, tmp, "analysis"),
    "analysis-report-nl.md": lambda demo, tmp: _report(demo, tmp, "analysis-nl"),
    "disagreements.md": _disagreements,
    "codebook.md": _codebook,
    "trial.md": lambda demo, tmp: _run("trial", "analyze", demo, "--format", "md", "--attendance",
                                       "sessions_attended:sessions_offered", "--scale", "WAI=wai1,wai2,wai3,wai4@3"),
    "trial-nl.md": lambda demo, tmp: _run("trial", "analyze", demo, "--format", "md", "--language", "nl"),
    "cases.md": lambda demo, tmp: _run("cases", "table", demo, "--format", "md"),
    "meta-bcg.md": lambda demo, tmp: _run("meta", str(ROOT / "corpora" / "meta" / "bcg.csv"), "--measure", "RR",
                                          "--format", "md"),
    "nma-work.md": lambda demo, tmp: _run("nma", str(ROOT / "corpora" / "meta" / "work-network.csv"), "--measure",
                                          "OR", "--reference", "Gebruikelijke zorg", "--larger-is-better",
                                          "--format", "md"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_report_matches_its_golden_markdown(name, demo, tmp_path):
    text = CASES[name](demo, tmp_path)
    golden = GOLDEN / name
    if os.environ.get("THEMATICA_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
