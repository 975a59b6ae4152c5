"""Coding actions: one transaction each, audited, owner-only edits, blind mode enforced in queries."""

from __future__ import annotations

import pytest

from thematica.coding import codebook, segments, visibility
from thematica.coding.queries import progress, visible_code_counts, visible_segments
from thematica.errors import ThematicaError
from thematica.store import audit

TEXT = "I: Wat hielp?\n\nR: De groep hielp. De therapeut ook.\n"


@pytest.fixture
def study(any_project_with_text):
    return any_project_with_text({"R1": TEXT})


def _document_id(project):
    from thematica.corpus.documents import document_units  # noqa: F401  (documents exist)
    from thematica.coding.overview import summarise

    assert summarise(project).documents[0].name == "R1"
    return 1


def test_apply_code_creates_code_path_coder_and_audit_event(study):
    info = segments.apply_code(study, 1, "anouk", 18, 33, code_path="Groep/Steun")
    with study.reading() as session:
        paths = [code.path for code in codebook.code_infos(session)]
        actions = [event.action for event in audit.events(session)]
    assert paths == ["Groep", "Groep/Steun"]
    assert (info.start, info.end, info.coder) == (18, 33, "anouk")
    assert "segment.add" in actions and actions.count("code.create") == 2
    again = segments.apply_code(study, 1, "anouk", 18, 33, code_path="Groep/Steun")
    assert again.id == info.id


def test_spans_outside_the_document_are_refused(study):
    with pytest.raises(ThematicaError, match="not inside document"):
        segments.apply_code(study, 1, "anouk", 10, 10_000, code_path="Groep")
    with pytest.raises(ThematicaError, match="not inside document"):
        segments.apply_code(study, 1, "anouk", 12, 12, code_path="Groep")


def test_a_coder_cannot_remove_another_coders_segment(study):
    info = segments.apply_code(study, 1, "anouk", 18, 33, code_path="Groep")
    with pytest.raises(ThematicaError, match="belongs to coder 'anouk'"):
        segments.remove_segment(study, info.id, "bas")
    segments.remove_segment(study, info.id, "anouk")
    with study.reading() as session:
        assert visible_segments(session, 1, "anouk") == []


def test_blind_mode_hides_the_other_coder_until_the_lead_switches_it_off_with_a_logged_action(study):
    segments.apply_code(study, 1, "anouk", 18, 33, code_path="Groep")
    segments.apply_code(study, 1, "bas", 34, 50, code_path="Therapeut")
    with study.reading() as session:
        assert visibility.is_blind(session)
        assert [s.coder for s in visible_segments(session, 1, "anouk")] == ["anouk"]
        group = codebook.find_code(session, "Therapeut").id
        assert visible_code_counts(session, "anouk").get(group, 0) == 0
    with pytest.raises(ThematicaError, match="no lead"):
        visibility.set_blind_mode(study, False, "anouk")
    visibility.set_lead(study, "anouk", "anouk")
    with pytest.raises(ThematicaError, match="not the project lead"):
        visibility.set_blind_mode(study, False, "bas")
    visibility.set_blind_mode(study, False, "Anouk ", reason="consensusoverleg")
    with study.reading() as session:
        assert [s.coder for s in visible_segments(session, 1, "anouk")] == ["anouk", "bas"]
        event = [e for e in audit.events(session) if e.action == "blind_mode.set"][0]
    assert event.actor == "anouk" and "consensusoverleg" in event.detail


def test_merge_moves_segments_and_children_and_drops_duplicates(study):
    segments.apply_code(study, 1, "anouk", 18, 33, code_path="Steun")
    segments.apply_code(study, 1, "anouk", 18, 33, code_path="Groepssteun")
    segments.apply_code(study, 1, "bas", 34, 50, code_path="Groepssteun/Door de therapeut")
    with study.reading() as session:
        source = codebook.find_code(session, "Groepssteun").id
        target = codebook.find_code(session, "Steun").id
    moved = codebook.merge_codes(study, source, target, "anouk")
    with study.reading() as session:
        paths = [code.path for code in codebook.code_infos(session)]
        counts = visible_code_counts(session, "anouk")
    assert moved == 0  # anouk's identical segment was a duplicate; no segment of 'Groepssteun' itself left
    assert paths == ["Steun", "Steun/Door de therapeut"]
    assert counts[target] == 1


def test_rename_and_reparent_refuse_clashes_and_cycles(study):
    parent = codebook.create_code(study, "Groep", "anouk")
    child = codebook.create_code(study, "Groep/Steun", "anouk")
    codebook.create_code(study, "Steun", "anouk")
    with pytest.raises(ThematicaError, match="cannot move under itself"):
        codebook.reparent_code(study, parent.id, child.id, "anouk")
    with pytest.raises(ThematicaError, match="already has a code named"):
        codebook.reparent_code(study, child.id, None, "anouk")
    codebook.rename_code(study, child.id, "Steun van groepsgenoten", "anouk")
    with study.reading() as session:
        assert codebook.find_code(session, "Groep/Steun van groepsgenoten") is not None


def test_progress_counts_the_coders_share_and_status(study):
    segments.apply_code(study, 1, "anouk", 15, 49, code_path="Groep")
    segments.set_document_status(study, 1, "anouk", "done")
    with study.reading() as session:
        row = progress(session, "anouk")[0]
    assert row.status == "done"
    assert row.coded_share == pytest.approx(34 / len(TEXT))
