"""Codebook edits in the headless coding session undo and redo exactly: merge (with everyone's
segments, duplicates, children, memos and memberships), delete, move and rename — each one
transaction, and the undo stack keeps naming the right rows after ids change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from thematica.coding import codebook
from thematica.coding.segments import apply_code, set_segment_memo
from thematica.store.models import Code, CodeGroup, CodeGroupMember, CodeLink, Exemplar, Memo, Segment, ThemeCode
from thematica.store.statements import counting_statements
from thematica.themes.service import add_theme

from tests.coding.sessions import code_id, opened

TEXT = ("Interview T1\n\nI: Hoe was de groep?\n\nR: Eh, eerst eng. Later voelde ik me veilig bij de therapeuten. "
        "De groep hielp mij.\n\nI: En thuis?\n\nR: Thuis zeg ik nu vaker nee. Ëën keer lachte ik.\n")
LATER = TEXT.index("Later")
THUIS = TEXT.index("Thuis zeg")



@pytest.fixture
def study(any_project_with_text):
    """On SQLite and on PostgreSQL."""
    project = any_project_with_text({"T1": TEXT, "T2": TEXT.replace("Thuis", "Op het werk")})
    codebook.create_code(project, "Groep/Veiligheid", "bas", color="#123456", definition="veilig voelen ë")
    codebook.create_code(project, "Groep/Veiligheid/Therapeut", "bas")
    codebook.create_code(project, "Steun", "bas")
    return project


def state(project):
    """Everything a merge touches, by names and spans (ids change on restore)."""
    with project.reading() as session:
        paths = {info.id: info.path for info in codebook.code_infos(session)}
        codes = sorted((paths[c.id], c.color, c.definition, c.position) for c in session.scalars(select(Code)))
        segments = sorted((s.document_id, s.coder_id, paths[s.code_id], s.start, s.end, s.memo)
                          for s in session.scalars(select(Segment)))
        themes = sorted((t.theme_id, paths[t.code_id]) for t in session.scalars(select(ThemeCode)))
        groups = sorted((g.group_id, paths[g.code_id]) for g in session.scalars(select(CodeGroupMember)))
        memos = sorted((m.text, paths[m.code_id]) for m in session.scalars(select(Memo)) if m.code_id is not None)
        links = sorted((paths[link.source_id], paths[link.target_id], link.label)
                       for link in session.scalars(select(CodeLink)))
        exemplars = sorted((paths[s.code_id], s.start, s.end, e.theme_id) for e, s in session.execute(
            select(Exemplar, Segment).join(Segment, Segment.id == Exemplar.segment_id)))
    return {"codes": codes, "segments": segments, "themes": themes, "groups": groups, "memos": memos,
            "links": links, "exemplars": exemplars}


def furnish(project, spans=1):
    """The source code Groep/Veiligheid: anouk's and bas's segments, one that Steun has exactly too
    (with a memo of its own), a child, a theme, a group, a code memo and a link."""
    for n in range(spans):
        apply_code(project, 1 + n % 2, "bas", LATER, LATER + 12 + n, code_path="Groep/Veiligheid")
    duplicate = apply_code(project, 1, "anouk", THUIS, THUIS + 9, code_path="Groep/Veiligheid")
    set_segment_memo(project, duplicate.id, "anouk", "thuis ë")
    apply_code(project, 1, "anouk", THUIS, THUIS + 9, code_path="Steun")
    apply_code(project, 2, "anouk", 0, 9, code_path="Groep/Veiligheid/Therapeut")
    add_theme(project, "Veilige basis", "anouk", codes=["Groep/Veiligheid"])
    add_theme(project, "Beide", "anouk", codes=["Groep/Veiligheid", "Steun"])
    with project.transaction() as session:
        source = codebook.find_code(session, "Groep/Veiligheid").id
        steun = codebook.find_code(session, "Steun").id
        group = CodeGroup(name="Ervaringen")
        session.add(group)
        session.flush()
        session.add(CodeGroupMember(group_id=group.id, code_id=source))
        session.add(Memo(title="code memo", text="memo over veiligheid ï", code_id=source))
        session.add(CodeLink(source_id=source, target_id=steun, label="leidt tot"))


def test_merge_undo_restores_the_code_with_everything_it_held_and_redo_merges_again(study):
    furnish(study)
    before = state(study)
    session = opened(study)
    source, steun = code_id(session, "Groep/Veiligheid"), code_id(session, "Steun")
    with counting_statements(study.engine) as merging:
        merged = session.merge_code(source, steun)
    assert (len(merged.moved), len(merged.dropped)) == (1, 1)   # bas's segment moved; anouk's duplicate dropped
    after_merge = state(study)
    assert "Groep/Veiligheid" not in {c[0] for c in after_merge["codes"]}
    assert ("memo over veiligheid ï", "Steun") in after_merge["memos"]
    assert "Steun/Therapeut" in {c.path for c in session.codes.values()}  # the child moved with it
    with counting_statements(study.engine) as undoing:
        assert session.undo() == "merge code"
    assert state(study) == before
    assert "Groep/Veiligheid/Therapeut" in {c.path for c in session.codes.values()}  # the session saw it
    with counting_statements(study.engine) as redoing:
        assert session.redo() == "merge code"
    assert state(study) == after_merge
    assert session.undo() == "merge code"
    assert state(study) == before
    for counted in (merging, undoing, redoing):
        assert counted.commits == 1, counted.count
    from thematica.store import audit

    with study.reading() as db:
        logged = [e.action for e in audit.events(db)]
    assert logged.count("code.merge") == 2 and logged.count("code.unmerge") == 2


def test_merge_undo_is_a_handful_of_statements_whatever_the_number_of_segments(make_project_with_text):
    def counts(spans):
        project = make_project_with_text({"T1": TEXT, "T2": TEXT}, name=f"p{spans}.thematica")
        codebook.create_code(project, "Groep/Veiligheid/Therapeut", "bas")
        codebook.create_code(project, "Steun", "bas")
        furnish(project, spans)
        session = opened(project)
        source, steun = code_id(session, "Groep/Veiligheid"), code_id(session, "Steun")
        with counting_statements(project.engine) as merging:
            merged = codebook.merge(project, source, steun, "anouk")
        with counting_statements(project.engine) as undoing:
            codebook.unmerge(project, merged, "anouk", parent_id=code_id(session, "Groep"), target_id=steun)
        assert (len(merged.moved), len(merged.dropped)) == (spans, 1)
        return merging.count, undoing.count

    small, large = counts(2), counts(40)
    print("merge, unmerge statements:", small, large)
    assert small == large, (small, large)
    assert all(n <= 25 for n in large), large


def test_undo_follows_segments_through_a_merge_and_its_undo(study):
    """Applied on the source, merged, merge undone: undoing the apply removes the very segment,
    also when the merge had dropped it as a duplicate (it came back under a new id)."""
    apply_code(study, 1, "anouk", THUIS, THUIS + 9, code_path="Steun")
    session = opened(study)
    source, steun = code_id(session, "Groep/Veiligheid"), code_id(session, "Steun")
    session.select(THUIS, THUIS + 9)
    session.apply(source)                       # the same span as Steun: dropped by the merge
    session.select(LATER, LATER + 12)
    session.apply(source)                       # moved by the merge, keeps its id
    session.merge_code(source, steun)
    assert session.undo() == "merge code"
    assert session.undo() == "apply code"
    assert session.undo() == "apply code"
    assert state(study)["segments"] == [(1, session.coder_id, "Steun", THUIS, THUIS + 9, "")]
    assert session.redo() == "apply code" and session.redo() == "apply code"
    assert session.redo() == "merge code"
    assert sorted(s[2:5] for s in state(study)["segments"]) == [("Steun", LATER, LATER + 12),
                                                              ("Steun", THUIS, THUIS + 9)]


def test_undo_follows_a_deleted_code_and_its_segments_through_a_restore(study):
    session = opened(study)
    steun = code_id(session, "Steun")
    session.rename_code(steun, "Steun van de groep")
    session.select(LATER, LATER + 12)
    session.apply(steun)
    segments = session.code_segments(steun)
    session.delete_code(steun)
    assert session.undo() == "delete code"      # a new code id and a new segment id
    assert session.code_segments(code_id(session, "Steun van de groep")) == segments
    assert session.undo() == "apply code"       # removes the restored segment
    assert state(study)["segments"] == []
    assert session.undo() == "rename code"      # renames the restored code
    assert "Steun" in {c.path for c in session.codes.values()}
    assert session.redo() == "rename code" and session.redo() == "apply code"
    assert session.redo() == "delete code"
    assert "Steun van de groep" not in {c.path for c in session.codes.values()} and state(study)["segments"] == []


def test_delete_undo_brings_back_memos_groups_links_and_exemplars_in_one_transaction_each(study):
    from thematica.themes.service import toggle_exemplar

    furnish(study)
    with study.transaction() as db:
        steun = codebook.find_code(db, "Steun").id
        db.add(Memo(title="code memo", text="over steun ë", code_id=steun))
        db.add(CodeGroupMember(group_id=db.scalars(select(CodeGroup.id)).one(), code_id=steun))
        segment = db.scalars(select(Segment.id).where(Segment.code_id == steun)).one()
    toggle_exemplar(study, segment, "Beide", "anouk")
    before = state(study)
    assert before["exemplars"] and ("Groep/Veiligheid", "Steun", "leidt tot") in before["links"]
    without_steun = {part: [row for row in rows if "Steun" not in row] for part, rows in before.items()}
    session = opened(study)
    for step, said, after in ((lambda: session.delete_code(steun).info.path, "Steun", without_steun),
                              (session.undo, "delete code", before), (session.redo, "delete code", without_steun),
                              (session.undo, "delete code", before)):
        with counting_statements(study.engine) as counted:
            assert step() == said
        assert counted.commits == 1
        assert state(study) == after        # gone with its segments, memo, group, link and exemplar; all back


def test_move_and_rename_undo_and_redo(study):
    session = opened(study)
    therapeut = code_id(session, "Groep/Veiligheid/Therapeut")
    session.move_code(therapeut, -1)
    session.rename_code(therapeut, "De therapeut")
    assert {c.path for c in session.codes.values()} >= {"Groep/De therapeut"}
    assert session.undo() == "rename code" and session.undo() == "move code"
    assert session.codes[therapeut].path == "Groep/Veiligheid/Therapeut"
    assert session.redo() == "move code" and session.redo() == "rename code"
    assert session.codes[therapeut].path == "Groep/De therapeut"


def test_a_merge_into_a_code_deleted_since_cannot_be_undone_and_stays_on_the_stack(study):
    session = opened(study)
    source, steun = code_id(session, "Groep/Veiligheid/Therapeut"), code_id(session, "Steun")
    session.merge_code(source, steun)
    codebook.delete_code(study, steun, "bas")   # another coder deletes the (unused) target
    from thematica.errors import ThematicaError

    with pytest.raises(ThematicaError, match="no longer exists"):
        session.undo()
    assert session.history.done and session.history.done[-1].label == "merge code"
