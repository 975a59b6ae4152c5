"""The headless coding session, driven without Textual: selection, units, filters, undo, and the
statement budget (one coding action = one transaction of at most six statements; moving none)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.coding.session import CodingSession
from thematica.coding.views import shade
from thematica.interchange.codings_csv import export_rows
from thematica.store.statements import counting_statements

from tests.coding.sessions import code_id, opened
from tests.conftest import INTERVIEW

TEXT = INTERVIEW


@pytest.fixture
def study(make_study):
    return make_study({"T1": TEXT, "T2": TEXT.replace("Thuis", "Op het werk")},
                      ["Groep/Veiligheid", "Groep/Steun", "Patroon"], creator="bas")


def selected(session):
    return TEXT[slice(*session.selection)]


def test_moving_filtering_and_reading_send_no_statement_and_never_write(study):
    session = opened(study)
    with counting_statements(study.engine) as counted:
        for _ in range(3):
            session.next_unit()
        session.extend_down()
        session.extend_up()
        session.nudge(1, -1)
        session.cycle_unit_kind()
        session.filter_by_code(code_id(session, "Groep"))
        session.next_segment()
        session.progress()
        session.code_counts()
    assert counted.count == 0
    with study.reading() as reading:
        from thematica.store.coders import all_coders

        assert "anouk" not in [c.name for c in all_coders(reading)]  # opening as anouk created nobody


@pytest.mark.parametrize("documents", [2, 12])
def test_a_coding_action_is_one_transaction_of_at_most_six_statements_at_any_size(make_project_with_text, documents):
    project = make_project_with_text({f"T{n}": TEXT for n in range(documents)})
    codebook.create_code(project, "Groep/Veiligheid", "anouk")
    codebook.create_code(project, "Groep/Steun", "anouk")
    apply_code(project, 1, "anouk", 0, 5, code_path="Groep/Steun")
    session = opened(project)
    counts = {}
    session.next_unit()
    for label, action in (("apply", lambda: session.apply(code_id(session, "Groep/Veiligheid"))),
                          ("memo", lambda: session.set_memo("eerst")),
                          ("recode", lambda: session.recode(code_id(session, "Groep/Steun"))),
                          ("remove", lambda: session.remove()),
                          ("undo", lambda: session.undo()),
                          ("status", lambda: session.cycle_status())):
        with counting_statements(project.engine) as counted:
            action()
        counts[label] = (counted.count, counted.commits)
    assert all(statements <= 6 and commits == 1 for statements, commits in counts.values()), counts
    assert counts["apply"] == (3, 1)  # BEGIN IMMEDIATE, INSERT segment … RETURNING, INSERT audit event


def test_statement_counts_do_not_grow_with_the_project(make_project_with_text):
    def counts(documents):
        project = make_project_with_text({f"T{n}": TEXT for n in range(documents)}, name=f"p{documents}.thematica")
        codebook.create_code(project, "Groep", "anouk")
        apply_code(project, 1, "anouk", 0, 5, code_path="Groep")
        session = opened(project)
        session.next_unit()
        with counting_statements(project.engine) as counted:
            session.apply(code_id(session, "Groep"))
            session.remove()
            session.undo()
        return counted.count

    assert counts(2) == counts(20) == 9


def test_a_new_coder_is_created_by_their_first_write_within_the_budget(study):
    session = opened(study)
    session.next_unit()
    with counting_statements(study.engine) as counted:
        session.writer.add(session.view.id, len(TEXT), *session.selection, code_id(session, "Patroon"))
    assert counted.count == 5 and counted.commits == 1  # + INSERT coder … ON CONFLICT DO NOTHING, SELECT its id


def test_reapplying_a_code_changes_nothing_and_undo_keeps_the_earlier_segment_and_memo(study):
    session = opened(study)
    session.next_unit()
    veiligheid = code_id(session, "Groep/Veiligheid")
    session.apply(veiligheid)
    session.set_memo("eerste indruk")
    assert session.apply(veiligheid) is None  # already there
    assert session.undo() == "edit memo"      # the memo edit, not the re-application
    assert session.undo() == "apply code"
    assert session.redo() == "apply code"
    assert [(r.code, r.memo) for r in export_rows(study)] == [("Groep/Veiligheid", "")]
    assert session.redo() == "edit memo"
    assert [(r.code, r.memo) for r in export_rows(study)] == [("Groep/Veiligheid", "eerste indruk")]


def test_turns_exclude_their_label_and_cycling_units_returns_to_the_same_place(study):
    session = opened(study)
    for _ in range(3):
        session.next_unit()
    assert selected(session) == "Later voelde ik me veilig bij de therapeuten."
    assert session.cycle_unit_kind() == "turn"
    assert selected(session) == "Eh, eerst eng. Later voelde ik me veilig bij de therapeuten. De groep hielp mij."
    assert session.cycle_unit_kind() == "paragraph"
    assert selected(session).startswith("Eh, eerst eng.")  # the paragraph that starts the turn: no "R:" either
    assert session.cycle_unit_kind() == "sentence"
    assert selected(session) == "Later voelde ik me veilig bij de therapeuten."


def test_filters_and_brackets_visit_each_segment_even_at_the_same_offset(study):
    start = TEXT.index("Later")
    for path in ("Groep/Veiligheid", "Groep/Steun", "Patroon"):
        apply_code(study, 1, "anouk", start, start + 12, code_path=path)
    apply_code(study, 1, "anouk", TEXT.index("Thuis"), TEXT.index("Thuis") + 5, code_path="Patroon")
    session = opened(study)
    visited = []
    while session.next_segment():
        visited.append((session.visiting.code, session.selection[0]))
    assert visited == [("Groep/Veiligheid", start), ("Groep/Steun", start), ("Patroon", start),
                       ("Patroon", TEXT.index("Thuis"))]
    while session.previous_segment():
        pass
    assert session.visiting.code == "Groep/Veiligheid"
    session.filter_by_code(code_id(session, "Groep"))          # the parent: its children's segments
    session.select(0, 0)
    seen = []
    while session.next_segment():
        seen.append(session.visiting.code)
    assert seen == ["Groep/Veiligheid", "Groep/Steun"]
    assert {s.code for s in session.shown_segments()} == {"Groep/Veiligheid", "Groep/Steun"}
    session.filter_uncoded()
    session.select(0, 0)
    uncoded = []
    while session.next_segment():
        uncoded.append(selected(session))
    assert "Later voelde ik me veilig bij de therapeuten." not in uncoded
    assert "Eh, eerst eng." in uncoded and "En thuis?" in uncoded


def test_blind_session_hides_the_other_coder_and_refuses_their_filter(study):
    apply_code(study, 1, "bas", 0, 9, code_path="Patroon")
    apply_code(study, 1, "anouk", 14, 20, code_path="Patroon")
    session = opened(study)
    assert {s.coder for s in session.view.segments} == {"anouk"}
    from thematica.errors import ThematicaError

    with pytest.raises(ThematicaError, match="not visible"):
        session.filter_by_coder("bas")


def test_another_coders_change_is_noticed_by_poll_and_our_own_is_not_reloaded(study):
    from thematica.coding.visibility import set_blind_mode, set_lead

    set_lead(study, "anouk", "anouk")
    set_blind_mode(study, False, "anouk")
    session = opened(study)
    session.next_unit()
    session.apply(code_id(session, "Patroon"))
    assert session.poll() is False                      # our own commit
    apply_code(study, 1, "bas", 0, 9, code_path="Patroon")  # bas, elsewhere
    assert session.poll() is True
    assert {s.coder for s in session.view.segments} == {"anouk", "bas"}


def test_progress_follows_the_actions_without_reading(study):
    session = opened(study)
    session.next_unit()
    session.apply(code_id(session, "Patroon"))
    share = session.progress()[0].coded_share
    assert share == pytest.approx(len("Hoe was de groep?") / len(TEXT))


def test_a_write_meeting_a_busy_database_waits_retries_and_says_so(study, monkeypatch):
    from thematica.store import project as project_module
    from thematica.store.project import open_project

    monkeypatch.setattr(project_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    quick = open_project(study.path)                      # a workbench with a short busy timeout
    waits = []
    session = CodingSession(quick, "anouk", on_busy=waits.append)
    session.load()
    session.open_document(session.documents[0][0])
    session.next_unit()
    importer = sqlite3.connect(study.path, isolation_level=None, check_same_thread=False)
    importer.execute("BEGIN IMMEDIATE")                   # a long import holds the write lock
    threading.Timer(0.8, importer.execute, args=("COMMIT",)).start()
    started = time.perf_counter()
    assert session.apply(code_id(session, "Patroon")) is not None
    assert waits and time.perf_counter() - started >= 0.7
    importer.close()
    session.close()
    quick.close()
    assert [r.code for r in export_rows(study)] == ["Patroon"]


def test_child_codes_get_shades_of_their_parents_colour():
    first, second = shade("#0072B2", 0, 1), shade("#0072B2", 1, 1)
    assert len({"#0072B2", first, second}) == 3
    import colorsys

    def hue(colour):
        return colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]

    assert hue(first) == pytest.approx(hue("#0072B2"), abs=0.01) and hue(second) == pytest.approx(hue("#0072B2"), abs=0.01)


def test_the_incremental_coverage_equals_the_union_of_spans(study):
    import random

    from thematica.spans import union

    session = opened(study)
    rng = random.Random(4)
    spans = []
    session.own_spans[99] = []
    session._union_of(99)
    for _ in range(300):
        start = rng.randrange(0, 5000)
        span = (start, start + rng.randrange(1, 80))
        spans.append(span)
        session.own_spans[99].append(span)
        session._cover(99, *span)
        assert session._unions[99] == [(s.start, s.end) for s in union(spans)]


def soon(look: Callable[[], bool], seconds: float = 5.0) -> bool:
    """``look()`` until it says True, for at most ``seconds``. The server hands a NOTIFY to the
    listening connection after the writer's COMMIT has returned, so right after a commit the
    notification may still be on its way (a few milliseconds; longer on a busy machine): the
    workbench looks once a second, and so may the test, until it arrives."""
    deadline = time.monotonic() + seconds
    while not look():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.postgres
def test_on_postgresql_a_change_is_announced_by_notify(postgres_url, tmp_path):
    from thematica.coding.visibility import set_blind_mode, set_lead
    from thematica.corpus.importer import store_text
    from thematica.store.project import open_project
    from thematica.store.watch import ChangeWatch

    project = open_project(postgres_url, create=True)
    try:
        store_text(project, "T1", TEXT)
        codebook.create_code(project, "Patroon", "bas")
        set_lead(project, "anouk", "anouk")
        set_blind_mode(project, False, "anouk")
        watch = ChangeWatch(project.engine)
        assert watch.changed() is False and watch._listening is True
        assert watch.changed() is False                    # nothing happened
        apply_code(project, 1, "bas", 0, 9, code_path="Patroon")
        assert soon(watch.changed)
        watch.close()
        session = opened(project)
        session.next_unit()
        with counting_statements(project.engine) as counted:
            session.apply(code_id(session, "Patroon"))
        assert counted.count <= 6 and counted.commits == 1
        assert session.poll() is False                     # our own change
        apply_code(project, 1, "bas", 14, 20, code_path="Patroon")
        assert soon(session.poll)
        assert {s.coder for s in session.view.segments} == {"anouk", "bas"}
        session.close()
    finally:
        project.close()


def test_document_and_project_memos_are_one_transaction_each_and_undoable(study):
    session = opened(study)
    with counting_statements(study.engine) as counted:
        session.set_document_memo("R1 praat veel over de groep; ë")
    assert counted.count <= 6 and counted.commits == 1
    session.set_project_memo("Thema veiligheid komt overal terug")
    session.set_document_memo("R1: groep als veilige plek")
    assert session.undo() == "edit document or project memo"
    again = opened(study)                     # what another session (or tomorrow) reads back
    assert again.document_memo() == "R1 praat veel over de groep; ë"
    assert again.project_memo() == "Thema veiligheid komt overal terug"
    again.open_document(again.documents[1][0])
    assert again.document_memo() == "" and again.project_memo() == "Thema veiligheid komt overal terug"


def test_deleting_a_code_removes_everyones_segments_and_undo_brings_all_back(study):
    from thematica.themes.service import add_theme

    start = TEXT.index("Later")
    apply_code(study, 1, "bas", start, start + 12, code_path="Patroon")
    apply_code(study, 1, "anouk", start, start + 5, code_path="Patroon")
    set_memo = apply_code(study, 2, "anouk", 0, 9, code_path="Patroon")
    from thematica.coding.segments import set_segment_memo

    set_segment_memo(study, set_memo.id, "anouk", "memo ë")
    add_theme(study, "Patronen", "anouk", codes=["Patroon"])
    before = sorted((r.document, r.start, r.end, r.coder, r.memo) for r in export_rows(study))
    session = opened(study)
    patroon = code_id(session, "Patroon")
    listed = session.code_segments(patroon)
    assert sorted(coder for _, coder, _ in listed) == ["anouk", "anouk", "bas"]
    session.delete_code(patroon)
    assert export_rows(study) == [] and "Patroon" not in {c.path for c in session.codes.values()}
    with pytest.raises(Exception, match="child codes"):
        session.delete_code(code_id(session, "Groep"))
    assert session.undo() == "delete code"
    assert sorted((r.document, r.start, r.end, r.coder, r.memo) for r in export_rows(study)) == before
    from thematica.themes.data import load_material

    assert [t.codes for t in load_material(study).themes if t.name == "Patronen"] == [["Patroon"]]
    assert session.redo() == "delete code"
    assert export_rows(study) == []


def test_codes_move_up_a_level_and_under_the_code_above_and_back_by_undo(study):
    session = opened(study)
    steun = code_id(session, "Groep/Steun")
    assert session.move_code(steun, -1).path == "Steun"
    assert session.move_code(code_id(session, "Patroon"), +1).path == "Steun/Patroon"  # the code above it
    assert session.undo() == "move code"
    assert session.undo() == "move code"
    assert {c.path for c in session.codes.values()} == {"Groep", "Groep/Veiligheid", "Groep/Steun", "Patroon"}


def test_an_apply_shown_at_once_sends_nothing_and_its_write_is_one_transaction(study):
    session = opened(study)
    session.next_unit()
    first = session.selection
    session.apply(code_id(session, "Patroon"))              # the coder's first write creates them
    session.next_unit()
    second = session.selection
    assert first[0] < first[1] <= second[0] < second[1]     # two units, one after the other
    code = code_id(session, "Groep/Veiligheid")
    share_before = session.document_progress(session.documents[0]).coded_share
    assert share_before == (first[1] - first[0]) / len(TEXT)
    with counting_statements(study.engine) as counted:
        pending = session.show_apply(code)
    assert counted.count == 0 and pending is not None and pending.segment.id < 0
    assert pending.segment.id in [s.id for s in session.view.segments]
    assert session.counts[code] == 1
    assert session.document_progress(session.documents[0]).coded_share == (
        (first[1] - first[0]) + (second[1] - second[0])) / len(TEXT)   # the shown apply counts at once
    assert session.show_apply(code) is None                # already shown there: nothing more to write
    with counting_statements(study.engine) as counted:
        written = session.write_pending(pending)
    assert counted.count <= 6 and counted.commits == 1
    assert written is not None and written.id > 0
    assert [s.id for s in session.view.segments if s.code_id == code] == [written.id]
    assert session.counts[code] == 1 and session.undo() == "apply code"
    assert [s.code for s in session.view.segments] == ["Patroon"] and session.counts[code] == 0


def test_a_refused_write_of_a_shown_apply_is_taken_back(study, monkeypatch):
    from thematica.errors import ThematicaError

    session = opened(study)
    session.next_unit()
    code = code_id(session, "Groep/Steun")
    pending = session.show_apply(code)

    def refused(*args, **kwargs):
        raise ThematicaError("the database refused the change (disk I/O error); nothing was saved")
    monkeypatch.setattr(session.writer, "add", refused)
    with pytest.raises(ThematicaError, match="disk I/O"):
        session.write_pending(pending)
    assert session.view.segments == [] and session.counts.get(code, 0) == 0
    assert session.document_progress(session.documents[0]).coded_share == 0
    assert session.undo() is None and export_rows(study) == []


def test_only_a_code_or_coder_filter_picks_segments():
    from thematica.coding.session import SegmentFilter

    assert not SegmentFilter().picks_segments
    assert not SegmentFilter(uncoded=True, label="uncoded passages").picks_segments
    assert SegmentFilter(code_ids=frozenset({1}), label="x", code_id=1).picks_segments
    assert SegmentFilter(coder="bas", label="coder bas").picks_segments
