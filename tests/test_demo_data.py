"""The bundled demo study is what a new user sees first: check it is whole and realistic."""

from __future__ import annotations

import csv
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from thematica.demo import build_demo
from thematica.interchange.codings_csv import export_rows
from thematica.store.project import open_project

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_six_transcripts_of_1500_to_3000_words_in_clean_utf8():
    transcripts = sorted(DEMO.glob("R*.txt"))
    assert [path.stem for path in transcripts] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    for path in transcripts:
        text = path.read_text(encoding="utf-8")
        assert 1500 <= len(text.split()) <= 3000, path.name
        assert unicodedata.normalize("NFC", text) == text and "\r" not in text
        turns = [line for line in text.split("\n")[2:] if line.strip()]
        assert all(line.startswith(("I: ", "R: ")) for line in turns), path.name
        assert any(ch in text for ch in "ëïé"), path.name


def test_codings_file_is_what_the_anchors_build(tmp_path):
    committed = (DEMO / "codings.csv").read_text(encoding="utf-8")
    subprocess.run([sys.executable, str(DEMO / "build_codings.py")], check=True)
    assert (DEMO / "codings.csv").read_text(encoding="utf-8") == committed


def test_every_coding_lies_in_its_transcript_and_uses_a_codebook_code():
    codebook = {row["code"] for row in _rows(ROOT / "codebooks" / "dit-demo.csv")}
    children = [code for code in codebook if "/" in code]
    assert 25 <= len(children) <= 35
    texts = {path.stem: path.read_text(encoding="utf-8") for path in DEMO.glob("R*.txt")}
    for row in _rows(DEMO / "codings.csv"):
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(texts[row["document"]])
        assert texts[row["document"]][start:end].strip() == texts[row["document"]][start:end]
        assert row["code"] in codebook, row


def test_two_coders_code_every_transcript_with_every_kind_of_disagreement():
    rows = _rows(DEMO / "codings.csv")
    per = defaultdict(set)
    for row in rows:
        per[(row["document"], row["coder"])].add((int(row["start"]), int(row["end"]), row["code"]))
    for document in ("R1", "R2", "R3", "R4", "R5", "R6"):
        anouk, bas = per[(document, "anouk")], per[(document, "bas")]
        assert 20 <= len(anouk) <= 45 and 20 <= len(bas) <= 45, document
        assert anouk & bas and anouk - bas and bas - anouk
    variants = Counter(row["bas"].split(":")[0] for row in _rows(DEMO / "coding_anchors.csv"))
    assert {"same", "missed", "code", "turn", "sentence", "only"} <= set(variants)
    domain = [row for row in rows if row["code"].startswith("Ervaren effect/")]
    assert {row["code"] for row in domain} == {"Ervaren effect/Verbeterd", "Ervaren effect/Onveranderd",
                                               "Ervaren effect/Verslechterd"}


def test_the_demo_project_builds_and_gives_both_coders_codings(tmp_path):
    path = build_demo(tmp_path)
    with open_project(path) as project:
        rows = export_rows(project)
    assert {row.coder for row in rows} == {"anouk", "bas"}
    assert len(rows) == len(_rows(DEMO / "codings.csv"))
    with pytest.raises(Exception, match="already there"):
        build_demo(tmp_path)
