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
from thematica.coding.visibility import is_blind, set_lead, visibility_report
from thematica.errors import ThematicaError
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


CONSENSUS = "consensus:anouk+bas"


def _consensus(project, name=CONSENSUS):
    return sorted((TEXT[r.start:r.end], r.code) for r in export_rows(project, [name]))


def test_opening_the_meeting_keeps_blind_mode_on_logs_it_and_seeds_agreed_passages(study):
    with study.reading() as session:
        assert is_blind(session)
    meeting = open_meeting(study, SELECTION, "anouk")
    with study.reading() as session:
        assert is_blind(session)  # the meeting reveals the pair to the pair, not the project to everyone
        actions = [event.action for event in audit.events(session)]
    assert "blind_mode.set" not in actions and "consensus.open" in actions
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


def test_a_decision_decided_again_is_superseded_and_both_stay_in_the_log(study):
    open_meeting(study, SELECTION, "anouk")
    passage = compare(study, SELECTION).disagreements[2]
    first = decide(study, SELECTION, passage, "keep_a", "anouk")
    assert ("ging het beter", "Effect") in _consensus(study)
    second = decide(study, SELECTION, passage, "keep_b", "bas", rationale="hele zin")
    assert (SENTENCES[3], "Effect") in _consensus(study)
    log = decision_log(study)
    assert [(row.id, row.decision, row.decided_by, row.superseded_by, row.supersedes)
            for row in log] == [(first, "keep_a", "anouk", second, None), (second, "keep_b", "bas", None, first)]
    assert log[0].superseded_by_who == "bas" and log[0].superseded_at == log[1].decided_at
    assert (state(study, SELECTION).decided, state(study, SELECTION).total) == (1, 3)  # one passage, decided twice


@pytest.mark.parametrize(("actor", "reason"), [("", "empty"), ("  ", "empty"), ("carla", "may not decide"),
                                                ("consensus", "reserved")])
def test_an_empty_or_foreign_decider_is_refused_and_nothing_changes(study, actor, reason):
    open_meeting(study, SELECTION, "anouk")
    apply_code(study, 1, "carla", *span(SENTENCES[0]), code_path="Groep")
    before = _consensus(study)
    passage = state(study, SELECTION).next_passage
    with pytest.raises(ThematicaError, match=reason):
        decide(study, SELECTION, passage, "keep_a", actor)
    assert decision_log(study) == [] and _consensus(study) == before


def test_the_lead_may_decide_and_a_decider_is_matched_case_insensitively(study):
    apply_code(study, 1, "carla", *span(SENTENCES[0]), code_path="Groep")
    set_lead(study, "carla", "carla")
    open_meeting(study, SELECTION, "Carla ")
    decide(study, SELECTION, state(study, SELECTION).next_passage, "keep_a", "CARLA")
    decide(study, SELECTION, state(study, SELECTION).next_passage, "keep_a", " Bas")
    assert [row.decided_by for row in decision_log(study)] == ["carla", "bas"]


def test_a_third_coder_stays_blind_through_another_pairs_meeting(study):
    apply_code(study, 1, "carla", *span(SENTENCES[4]), code_path="Groep")
    open_meeting(study, SELECTION, "anouk")
    decide(study, SELECTION, state(study, SELECTION).next_passage, "keep_a", "anouk")
    report = visibility_report(study).to_dict()
    assert report["blind"] is True
    assert report["visibility"] == {"anouk": ["anouk", "bas", CONSENSUS], "bas": ["anouk", "bas", CONSENSUS],
                                    "carla": ["carla"]}


def test_two_meetings_over_different_pairs_never_write_into_each_other(study):
    for sentence, code in ((SENTENCES[1], "Groep"), (SENTENCES[2], "Effect")):
        apply_code(study, 1, "carla", *span(sentence), code_path=code)
    set_document_status(study, 1, "carla", "done")
    other = Selection("anouk", "carla")
    open_meeting(study, SELECTION, "anouk")
    open_meeting(study, other, "carla")
    decide(study, other, state(study, other).next_passage, "keep_b", "carla")
    assert _consensus(study, "consensus:anouk+carla") == [(SENTENCES[2], "Effect")]  # seeded: they agree on s3
    assert _consensus(study) == [(SENTENCES[0], "Groep")]
    assert [row.meeting for row in decision_log(study)] == ["consensus:anouk+carla"]
    assert state(study, SELECTION).decided == 0


def test_the_pair_asked_the_other_way_round_is_refused(study):
    open_meeting(study, SELECTION, "anouk")
    with pytest.raises(ThematicaError, match="use --coders anouk,bas"):
        open_meeting(study, Selection("bas", "anouk"), "bas")


def test_the_log_shows_current_code_names_after_a_rename_and_a_merge(study):
    from thematica.coding import codebook

    open_meeting(study, SELECTION, "anouk")
    passage = compare(study, SELECTION).disagreements[1]  # Effect vs Groep
    decide(study, SELECTION, passage, "keep_a", "anouk")
    with study.reading() as session:
        effect, group = codebook.find_code(session, "Effect").id, codebook.find_code(session, "Groep").id
        therapist = codebook.find_code(session, "Therapeut").id
    codebook.rename_code(study, effect, "Ervaren effect", "anouk")
    codebook.merge_codes(study, group, therapist, "anouk")
    row = decision_log(study)[0]
    assert (row.codes_a, row.codes_b, row.codes_decided) == ("Ervaren effect", "Therapeut", "Ervaren effect")


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
    to_bas = compare(study, Selection(CONSENSUS, "bas"))
    to_anouk = compare(study, Selection(CONSENSUS, "anouk"))
    assert to_bas.disagreements == [] and to_bas.excluded_documents == []
    assert [TEXT[p.start:p.end] for p in to_anouk.disagreements] == SENTENCES[1:4]


def test_the_consensus_coding_is_written_only_through_decisions(study):
    from thematica.coding.segments import remove_segment, set_segment_memo

    open_meeting(study, SELECTION, "anouk")
    before = _consensus(study)
    for name in ("consensus", CONSENSUS, "Consensus:Anouk+Bas"):
        with pytest.raises(ThematicaError, match="reserved"):
            apply_code(study, 1, name, *span(SENTENCES[4]), code_path="Groep")
    with study.reading() as session:
        from thematica.store import coders as coder_store, segments as segment_store

        consensus_id = coder_store.coder_by_name(session, CONSENSUS).id
        [seeded] = segment_store.segments_of_document(session, 1, [consensus_id])
    with pytest.raises(ThematicaError, match="belongs to coder 'consensus:anouk\\+bas'"):
        remove_segment(study, seeded.id, "anouk")
    with pytest.raises(ThematicaError, match="reserved"):
        set_segment_memo(study, seeded.id, CONSENSUS, "stiekem")
    assert _consensus(study) == before
