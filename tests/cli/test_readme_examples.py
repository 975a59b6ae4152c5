"""README's command examples run on the demo project, in the README's order (in process, the cheap ones)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from thematica.cli import main
from thematica.demo import data_root
from tests.conftest import demo_project

README = Path(__file__).resolve().parents[2] / "README.md"
# Commands cheap enough to run here (no statistics model, no figure rendering): (command, subcommand or "").
CHEAP = {("info", ""), ("show", ""), ("blind", ""), ("consensus", "open"), ("consensus", "decide"),
         ("consensus", "log"), ("theme", "add"), ("theme", "link"), ("retrieve", ""), ("transcript", ""),
         ("backup", ""), ("restore", ""), ("cases", "import"), ("codings", "export"), ("codebook", "export")}
# Examples that once failed on the demo (names the demo does not have, a folder it does not have).
ONCE_FAILED = ("theme add", "theme link", "retrieve", "transcript", "backup", "restore", "consensus decide")


def readme_examples() -> list[list[str]]:
    """Every ``thematica …`` line of README's sh/bash blocks (continuations joined), as argument lists."""
    examples: list[list[str]] = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        lines, i = block.split("\n"), 0
        while i < len(lines):
            line = lines[i]
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i]
            i += 1
            if line.strip().startswith("thematica ") and re.search(r" study\S*\.thematica", line):
                examples.append(shlex.split(line, comments=True)[1:])
    return examples


def cheap(argv: list[str]) -> bool:
    command, sub = argv[0], argv[1] if len(argv) > 1 and not argv[1].endswith(".thematica") else ""
    return (command, sub) in CHEAP or (command, "") in CHEAP


def test_readme_examples_run_on_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(demo_project(tmp_path / "demo"), tmp_path / "study.thematica")
    shutil.copy(data_root() / "corpora" / "demo" / "cases.csv", tmp_path / "cases.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    ran: list[str] = []
    for argv in filter(cheap, readme_examples()):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        error = capsys.readouterr().err
        assert stop.value.code == 0, f"thematica {shlex.join(argv)}: {error}"
        ran.append(" ".join(argv))
    for example in ONCE_FAILED:
        assert any(line.startswith(example) for line in ran), f"README has no '{example}' example any more"
    assert_transcript_and_retrieval_documents(tmp_path)


def assert_transcript_and_retrieval_documents(folder: Path) -> None:
    """The two Word files the examples write say what the project holds: r1.docx anouk's segments of
    R1 and every code of them in its margin legend; each passage of groep.docx (bold, between its
    context) is the stored text at the half-open span it names, coded under Groepsinteracties by the coder it names."""
    import docx

    from thematica.corpus.documents import document_text
    from thematica.interchange.codings_csv import export_rows
    from thematica.store.project import open_project

    project = open_project(folder / "study.thematica")
    try:
        rows = export_rows(project)
        texts = {name: document_text(project, name) for name in {row.document for row in rows}}
    finally:
        project.close()
    r1 = [row for row in rows if row.document == "R1" and row.coder == "anouk"]
    paragraphs = [p.text for p in docx.Document(str(folder / "r1.docx")).paragraphs]
    assert f"Coding: anouk; {len(r1)} segments" in " ".join(paragraphs)
    assert {f"■ {row.code}" for row in r1} <= set(paragraphs)
    retrieved = docx.Document(str(folder / "groep.docx")).paragraphs
    spans = [(i, match) for i, paragraph in enumerate(retrieved)
             if (match := re.fullmatch(r"(\S+) \[(\d+)–(\d+)\) · case \S+ · \S+ · (\S+)", paragraph.text))]
    assert spans and retrieved[1].text.startswith(f"{len(spans)} segments in ")
    coded = {(row.document, row.start, row.end, row.coder) for row in rows if row.code.startswith("Groepsinteracties")}
    for i, match in spans:
        document, start, end, coder = match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)
        assert (document, start, end, coder) in coded
        quoted = "".join(run.text for run in retrieved[i + 1].runs if run.bold)   # the passage, in its context
        assert quoted == " ".join(texts[document][start:end].split())
