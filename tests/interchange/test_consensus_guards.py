"""A consensus coding is written only by its meeting's decisions: not by a merge, not by a REFI-QDA import."""

from __future__ import annotations

import shutil

import pytest

from thematica.coding.consensus.meeting import Selection, decide, open_meeting, state
from thematica.coding.segments import apply_code, set_document_status
from thematica.errors import ThematicaError
from thematica.interchange.merge import merge
from thematica.interchange.refi_qda import export_qdpx, import_qdpx
from thematica.store import coders as coder_store
from thematica.store.project import open_project

TEXT = "I: Hoe was de groep?\nR: De groep hielp mij. Ik durfde meer.\n"


@pytest.fixture
def met(make_project_with_text):
    project = make_project_with_text({"R1": TEXT})
    start = TEXT.index("De groep hielp")
    apply_code(project, 1, "anouk", start, start + 19, code_path="Groep")
    apply_code(project, 1, "bas", start, start + 19, code_path="Effect")
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    selection = Selection("anouk", "bas")
    open_meeting(project, selection, "anouk")
    decide(project, selection, state(project, selection).next_passage, "both", "anouk")
    return project


def test_a_merge_never_writes_a_consensus_coding(met, tmp_path, project_digest):
    other = tmp_path / "other.thematica"
    met.close()
    shutil.copy(met.path, other)
    with open_project(tmp_path / "texts.thematica") as here:
        before = project_digest(here.path)
        with pytest.raises(ThematicaError, match="consensus coding 'consensus:anouk\\+bas'"):
            merge(here, str(other))
        assert project_digest(here.path) == before


def test_a_consensus_user_in_an_imported_file_becomes_an_ordinary_coder(met, tmp_path):
    archive = export_qdpx(met, tmp_path / "met.qdpx")
    with open_project(tmp_path / "new.thematica", create=True) as target:
        import_qdpx(archive, target)
        with target.reading() as session:
            names = {coder.name for coder in coder_store.all_coders(session)}
    assert "imported consensus:anouk+bas" in names and "consensus:anouk+bas" not in names
