"""Reading as a coder who has not coded yet creates no coder: the read paths look the viewer up."""

from __future__ import annotations

from thematica.coding import codebook
from thematica.coding.queries import progress, visible_segments
from thematica.coding.segments import apply_code
from thematica.coding.workbench import code_tree
from thematica.store import coders as coder_store


def test_a_new_viewer_reads_without_being_created(make_project_with_text, project_digest):
    project = make_project_with_text({"R1": "I: Hoe was het?\n\nR: Spannend, maar goed.\n"})
    codebook.create_code(project, "Ervaring", "anouk")
    apply_code(project, 1, "anouk", 19, 28, code_path="Ervaring")
    apply_code(project, 1, "bas", 19, 28, code_path="Ervaring")  # two coders: blind
    before = project_digest(project.path)
    assert [(info.path, count) for info, count in code_tree(project, "carla")] == [("Ervaring", 0)]
    with project.reading() as session:
        assert visible_segments(session, 1, "carla") == []
        assert [row.coded_share for row in progress(session, "carla")] == [0.0]
        assert coder_store.coder_by_name(session, "carla") is None
    assert project_digest(project.path) == before
