"""Speaker turns and units (paragraph, turn, sentence) as code-point spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.corpus import segmentation
from thematica.corpus.segmentation import segment_text
from thematica.corpus.turns import is_interviewer, parse_turns

TRANSCRIPT = (
    "Interview R1\n\n"
    "I: Hoe was de eerste week?\n\n"
    "R: Eh, spannend. Ik zei toen: dit wordt niks.\n"
    "Maar het viel mee.\n\n"
    "Dr. de Vries: Mag ik iets vragen?\n\n"
    "R: Ja.\n"
)


def _units(kind, text=TRANSCRIPT):
    return [(u.start, u.end, u.speaker) for u in segment_text(text, "nl") if u.kind == kind]


def test_turns_include_continuation_lines_and_named_speakers():
    turns = parse_turns(TRANSCRIPT)
    spoken = [(TRANSCRIPT[t.start:t.end], t.speaker) for t in turns]
    assert spoken == [
        ("Interview R1", None),
        ("I: Hoe was de eerste week?", "I"),
        ("R: Eh, spannend. Ik zei toen: dit wordt niks.\nMaar het viel mee.", "R"),
        ("Dr. de Vries: Mag ik iets vragen?", "Dr. de Vries"),
        ("R: Ja.", "R"),
    ]
    assert TRANSCRIPT[turns[1].content_start:turns[1].end] == "Hoe was de eerste week?"


def test_a_colon_inside_a_sentence_is_not_a_speaker():
    assert [t.speaker for t in parse_turns("R: Toen zei ik: nee.\nToen zei ik: ja.\n")] == ["R"]


def test_interviewer_labels_are_configurable():
    assert is_interviewer("I") and is_interviewer("Interviewer") and not is_interviewer("R")
    assert is_interviewer("Anna", {"Anna"}) and not is_interviewer(None)


def test_sentences_exclude_labels_and_stay_inside_their_turn():
    sentences = [(TRANSCRIPT[s:e], speaker) for s, e, speaker in _units("sentence")]
    assert sentences == [
        ("Interview R1", None),
        ("Hoe was de eerste week?", "I"),
        ("Eh, spannend.", "R"),
        ("Ik zei toen: dit wordt niks.", "R"),
        ("Maar het viel mee.", "R"),
        ("Mag ik iets vragen?", "Dr. de Vries"),
        ("Ja.", "R"),
    ]


def test_paragraphs_are_non_blank_lines():
    assert [TRANSCRIPT[s:e] for s, e, _ in _units("paragraph")][2:4] == [
        "R: Eh, spannend. Ik zei toen: dit wordt niks.", "Maar het viel mee."]


def test_a_long_text_is_cut_into_chunks_not_refused(monkeypatch):
    """A 3 MB transcript on one line, with spaCy's max_length lowered so the chunking path runs."""
    nlp = segmentation.pipeline("nl")
    monkeypatch.setattr(nlp, "max_length", 50_000)
    sentence = "Ik voel me veiliger in de groep dan eerst. "
    text = "R: " + sentence * (3_000_000 // len(sentence) + 1) + "\n"
    sentences = _units("sentence", text)
    assert len(text) > 3_000_000
    assert len(sentences) >= 3_000_000 // len(sentence) - 1
    assert all(text[s:e].strip() == text[s:e] and e - s <= len(sentence) for s, e, _ in sentences)


_lines = st.lists(
    st.tuples(st.sampled_from(["I: ", "R: ", "Anna: ", "", "  "]),
              st.text(alphabet=st.sampled_from("abc ëé.?!\n:"), max_size=40)),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_lines)
def test_units_lie_inside_the_text_sorted_and_nested(parts):
    text = "\n".join(label + body for label, body in parts)
    units = segment_text(text, "nl")
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for unit in units:
        assert 0 <= unit.start < unit.end <= len(text)
        assert text[unit.start:unit.end] == text[unit.start:unit.end].strip()
        by_kind.setdefault(unit.kind, []).append((unit.start, unit.end))
    for spans in by_kind.values():
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for start, end in by_kind.get("sentence", []):
        assert any(p_start <= start and end <= p_end for p_start, p_end in by_kind["paragraph"])
