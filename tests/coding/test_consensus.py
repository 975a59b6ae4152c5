"""Consensus meeting on a hand-made two-coder project.

Sentence units of one respondent turn; anouk (A) and bas (B) code them so that every kind of
disagreement occurs once, and one sentence is coded identically:

    s1 "De groep hielp."          A: Groep          B: Groep            -> agree
    s2 "De therapeut was warm."   A: Therapeut      B: —                -> present/absent
    s3 "Ik durfde meer."          A: Effect         B: Groep            -> different code
    s4 "Thuis ging het beter."    A: Effect (part)  B: Effect (whole)   -> boundary
    s5 "Verder niets."            A: —              B: —                -> agree (uncoded)
"""

from __future__ import annotations

import pytest

from thematica.coding.consensus.meeting import Selection, compare, decide, decision_log, open_meeting, state
from thematica.coding.consensus.passages import BOUNDARY, DIFFERENT_CODE, PRESENT_ABSENT
from thematica.coding.blind import is_blind
from thematica.coding.segments import apply_code, set_document_status
from thematica.interchange.codings_csv import export_rows
from thematica.store import audit

SENTENCES = ["De groep hielp.", "De therapeut was warm.", "Ik durfde meer.", "Thuis ging het beter.", "Verder niets."]
TEXT = "I: Hoe was het?\n\nR: " + " ".join(SENTENCES) + "\n"


def span(sentence: str, part: str | None = None) -> tuple[int, int]:
    start = TEXT.index(sentence)
    if part:
        start += sentence.index(part)
        return start, start + len(part)
    return start, start + len(sentence)


@pytest.fixture
def study(any_project_with_text):
    project = any_project_with_text({"R1": TEXT})
    codings = [
        ("anouk", SENTENCES[0], None, "Groep"), ("bas", SENTENCES[0], None, "Groep"),
        ("anouk", SENTENCES[1], None, "Therapeut"),
        ("anouk", SENTENCES[2], None, "Effect"), ("bas", SENTENCES[2], None, "Groep"),
        ("anouk", SENTENCES[3], "ging het beter", "Effect"), ("bas", SENTENCES[3], None, "Effect"),
    ]
    for coder, sentence, part, code in codings:
        start, end = span(sentence, part)
        apply_code(project, 1, coder, start, end, code_path=code)
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    return project


SELECTION = Selection("anouk", "bas")


def test_every_disagreement_and_no_agreement_is_listed(study):
    comparison = compare(study, SELECTION)
    found = [(TEXT[p.start:p.end], p.kind, p.codes_a, p.codes_b) for p in comparison.disagreements]
    assert found == [
        (SENTENCES[1], PRESENT_ABSENT, ("Therapeut",), ()),
        (SENTENCES[2], DIFFERENT_CODE, ("Effect",), ("Groep",)),
        (SENTENCES[3], BOUNDARY, ("Effect",), ("Effect",)),
    ]
    assert comparison.excluded_documents == []


def test_unfinished_documents_are_excluded_unless_asked(study):
    set_document_status(study, 1, "bas", "in_progress")
    assert compare(study, SELECTION).excluded_documents == ["R1"]
    assert len(compare(study, Selection("anouk", "bas", include_unfinished=True)).disagreements) == 3


def _consensus(project):
    return sorted((TEXT[r.start:r.end], r.code) for r in export_rows(project, ["consensus"]))


def test_opening_the_meeting_logs_blind_off_and_seeds_agreed_passages(study):
    with study.reading() as session:
        assert is_blind(session)
    meeting = open_meeting(study, SELECTION, "anouk")
    with study.reading() as session:
        assert not is_blind(session)
        actions = [event.action for event in audit.events(session)]
    assert "blind_mode.set" in actions and "consensus.open" in actions
    assert _consensus(study) == [(SENTENCES[0], "Groep")]
    assert (meeting.total, meeting.decided) == (3, 0)
    assert TEXT[meeting.next_passage.start:meeting.next_passage.end] == SENTENCES[1]


@pytest.mark.parametrize(
    ("decision", "codes", "expected"),
    [
        ("keep_a", None, [(SENTENCES[2], "Effect")]),
        ("keep_b", None, [(SENTENCES[2], "Groep")]),
        ("both", None, [(SENTENCES[2], "Effect"), (SENTENCES[2], "Groep")]),
        ("neither", None, []),
        ("recode", ["Therapeut"], [(SENTENCES[2], "Therapeut")]),
    ],
)
def test_each_decision_kind_writes_the_consensus_and_a_log_entry(study, decision, codes, expected):
    open_meeting(study, SELECTION, "anouk")
    passage = compare(study, SELECTION).disagreements[1]
    decide(study, SELECTION, passage, decision, "anouk", rationale="besproken", codes=codes)
    assert [c for c in _consensus(study) if c[0] != SENTENCES[0]] == expected
    log = decision_log(study)
    assert [(row.passage, row.decision, row.rationale, row.codes_a, row.codes_b) for row in log] == [
        (SENTENCES[2], decision, "besproken", "Effect", "Groep")
    ]


def test_a_decision_can_be_revised_without_leaving_traces(study):
    open_meeting(study, SELECTION, "anouk")
    passage = compare(study, SELECTION).disagreements[2]
    decide(study, SELECTION, passage, "keep_a", "anouk")
    assert ("ging het beter", "Effect") in _consensus(study)
    decide(study, SELECTION, passage, "keep_b", "bas", rationale="hele zin")
    assert (SENTENCES[3], "Effect") in _consensus(study)
    assert len(decision_log(study)) == 1


def test_stopping_and_resuming_continues_at_the_first_undecided_passage(study):
    open_meeting(study, SELECTION, "anouk")
    first = state(study, SELECTION).next_passage
    decide(study, SELECTION, first, "keep_a", "anouk")
    resumed = open_meeting(study, SELECTION, "bas")  # a new session of the meeting
    assert (resumed.total, resumed.decided) == (3, 1)
    assert TEXT[resumed.next_passage.start:resumed.next_passage.end] == SENTENCES[2]
    for _ in range(2):
        decide(study, SELECTION, state(study, SELECTION).next_passage, "both", "anouk")
    assert state(study, SELECTION).finished
    # neighbouring pieces of one code (s3 and s4: Effect) are joined into one consensus segment;
    # Groep in s1 and s3 stays two segments, since s2 lies between them
    assert _consensus(study) == sorted([
        (SENTENCES[0], "Groep"), (SENTENCES[1], "Therapeut"), (SENTENCES[2], "Groep"),
        (f"{SENTENCES[2]} {SENTENCES[3]}", "Effect"),
    ])


def test_after_the_meeting_each_coder_is_compared_with_the_consensus(study):
    open_meeting(study, SELECTION, "anouk")
    for _ in range(3):
        decide(study, SELECTION, state(study, SELECTION).next_passage, "keep_b", "anouk")
    to_bas = compare(study, Selection("consensus", "bas"))
    to_anouk = compare(study, Selection("consensus", "anouk"))
    assert to_bas.disagreements == [] and to_bas.excluded_documents == []
    assert [TEXT[p.start:p.end] for p in to_anouk.disagreements] == SENTENCES[1:4]
