"""Another coder's change reloads only what it touched: a segment reads the open document's
segments and the counts again (a handful of statements, the same at any project size), another
coder's status mark reloads nothing, a codebook change reloads everything."""

from __future__ import annotations

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.coding.visibility import set_blind_mode, set_lead
from thematica.coding.writes import Writer
from thematica.store.statements import counting_statements

from tests.coding.sessions import session_for

TEXT = "Interview T1\n\nI: Hoe was de groep?\n\nR: Eerst eng. Later voelde ik me veilig. De groep hielp mij.\n"



def watching(make_project_with_text, documents, name):
    project = make_project_with_text({f"T{n}": TEXT for n in range(1, documents + 1)}, name=name)
    codebook.create_code(project, "Veiligheid", "anouk")
    codebook.create_code(project, "Groep", "anouk")
    for document in range(1, documents + 1):
        apply_code(project, document, "bas", 0, 9, code_path="Groep")
    set_lead(project, "anouk", "anouk")
    set_blind_mode(project, False, "anouk")
    session = session_for(project, "anouk")
    session.open_document(1)
    return project, session


def counted_poll(project, session):
    with counting_statements(project.engine) as counted:
        reloaded = session.poll()
    return reloaded, counted.count


def test_a_segment_of_another_coder_reloads_a_few_statements_at_any_size(make_project_with_text):
    counts = []
    for documents in (2, 30):
        project, session = watching(make_project_with_text, documents, f"p{documents}.thematica")
        start = TEXT.index("Later")
        apply_code(project, 1, "bas", start, start + 5, code_path="Veiligheid")
        reloaded, statements = counted_poll(project, session)
        assert reloaded and [s.coder for s in session.view.segments] == ["bas", "bas"]
        assert session.counts[session.view.segments[1].code_id] == 1
        counts.append(statements)
        session.apply(session.view.segments[1].code_id, (0, 4))   # our own write: nothing to reload
        reloaded, looked = counted_poll(project, session)
        assert not reloaded and looked <= 2                          # one look at the audit log
    print("statements of a reload after another coder's segment:", counts)
    assert counts[0] == counts[1] <= 5, counts


def test_another_coders_status_mark_reloads_nothing_and_a_codebook_change_reloads_all(make_project_with_text):
    project, session = watching(make_project_with_text, 2, "p.thematica")
    Writer(project, "bas", None).set_status(1, "done")
    assert counted_poll(project, session)[0] is False
    codebook.rename_code(project, next(c.id for c in session.codes.values() if c.path == "Groep"), "Groepssteun", "bas")
    assert session.poll() is True
    assert {c.path for c in session.codes.values()} == {"Veiligheid", "Groepssteun"}
    assert {s.code for s in session.view.segments} == {"Groepssteun"}


def test_an_own_write_after_another_coders_does_not_hide_it(make_project_with_text):
    project, session = watching(make_project_with_text, 2, "p.thematica")
    start = TEXT.index("Later")
    apply_code(project, 1, "bas", start, start + 5, code_path="Veiligheid")   # bas first ...
    session.apply(session.view.segments[0].code_id, (0, 4))                   # ... then anouk, before a look
    assert session.poll() is True
    assert sorted(s.coder for s in session.view.segments) == ["anouk", "bas", "bas"]


def test_counts_follow_another_coders_recode_and_removal(make_project_with_text):
    from thematica.coding.segments import recode_segment, remove_segment

    project, session = watching(make_project_with_text, 3, "p.thematica")
    ids = {c.path: c.id for c in session.codes.values()}
    assert session.counts == {ids["Groep"]: 3}
    bas_segment = session.view.segments[0].id
    recode_segment(project, bas_segment, "bas", code_id=ids["Veiligheid"])
    assert session.poll() is True
    assert session.counts == {ids["Groep"]: 2, ids["Veiligheid"]: 1}
    assert [s.code for s in session.view.segments] == ["Veiligheid"]
    remove_segment(project, bas_segment, "bas")
    carla = apply_code(project, 2, "carla", 0, 9, code_path="Veiligheid")     # a coder not seen before
    assert session.poll() is True
    assert session.counts == {ids["Groep"]: 2, ids["Veiligheid"]: 1} and carla.coder == "carla"
    assert session.view.segments == []
    session.open_document(2)
    assert sorted(s.coder for s in session.view.segments) == ["bas", "carla"]
