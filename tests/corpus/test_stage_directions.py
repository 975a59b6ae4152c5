"""A parenthesised stage direction stays in the sentence it follows (spaCy cut "Heel eng. (" /
"lacht) Er zaten…", 31 broken units in the demo interviews)."""

from __future__ import annotations

from pathlib import Path

from thematica.corpus.segmentation import segment_text

DEMO = Path(__file__).resolve().parents[2] / "corpora" / "demo"


def sentences(text):
    return [text[u.start:u.end] for u in segment_text(text) if u.kind == "sentence"]


def test_a_stage_direction_ends_the_sentence_before_it():
    text = "R: Heel eng. (lacht) Er zaten veel mensen. Ja (stilte) nee. Dat is (echt) zo!\n"
    assert sentences(text) == ["Heel eng. (lacht)", "Er zaten veel mensen.", "Ja (stilte) nee.", "Dat is (echt) zo!"]


def test_no_demo_sentence_is_cut_inside_parentheses():
    broken = []
    for path in sorted(DEMO.glob("R*.txt")):
        text = path.read_text(encoding="utf-8")
        broken += [s for s in sentences(text) if s.count("(") != s.count(")")]
    assert broken == []
