"""The first look (read with sqlite3 before SQLAlchemy loads) is the session's opening state, under
every visibility rule, and declines — for the ordinary start to decide — whenever it cannot be."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from thematica.coding import codebook
from thematica.coding.consensus.meeting import Selection, open_meeting
from thematica.coding.first_look import first_look
from thematica.coding.segments import apply_code, set_document_status
from thematica.coding.session import CodingSession
from thematica.coding.visibility import set_blind_mode, set_lead
from thematica.corpus.cases import import_cases_csv

TEXT = ("I: Hoe was de groep?\n\nR: Eh, eerst eng. Later voelde ik me veilig 😊 bij de therapeuten. "
        "De groep hielp mij.\n\nI: En thuis?\n\nR: Thuis zeg ik nu vaker nee (lacht).\n")


@pytest.fixture
def study(make_project_with_text, tmp_path):
    """Two documents (the first with a case and attributes), a nested codebook with a shaded child,
    and codings by anouk and bas."""
    project = make_project_with_text({"Anouks eerste": TEXT, "Tweede": TEXT.replace("groep", "club")},
                                     cases={"Anouks eerste": "P1"})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,geslacht,leeftijd\nP1,vrouw,34\n", encoding="utf-8")
    import_cases_csv(project, cases)
    for path in ("Groep/Veiligheid", "Groep/Steun", "Thuis", "Ëigen/Nëe zeggen"):
        codebook.create_code(project, path, "anouk")
    start = TEXT.index("Later")
    apply_code(project, 1, "anouk", start, start + 40, code_path="Groep/Veiligheid", memo="veilig")
    apply_code(project, 1, "bas", start, start + 30, code_path="Groep/Steun")
    apply_code(project, 1, "bas", TEXT.index("Thuis"), len(TEXT) - 1, code_path="Thuis")
    apply_code(project, 2, "anouk", 0, 10, code_path="Thuis")
    set_document_status(project, 1, "anouk", "in_progress")
    return project


def opening_state(project, coder):
    """What the workbench's session holds after ``load(totals=False)`` and opening the first document."""
    session = CodingSession(project, coder)
    try:
        session.load(totals=False)
        if session.documents:
            session.open_document(session.documents[0][0])
        return (list(session.codes.values()), session.colours, session.view, session.selection,
                session.document_code_counts())
    finally:
        session.close()


def looked(project, coder):
    look = first_look(project.location, coder)
    assert look is not None
    return look.codes, look.colours, look.view, look.selection, look.document_code_counts()


@pytest.mark.parametrize("coder", ["anouk", "bas", " Anouk ", "carla"])  # blind by default; carla is new
def test_the_first_look_is_the_sessions_opening_state_when_blind(study, coder):
    state = looked(study, coder)
    assert state == opening_state(study, coder)
    assert state[2].name == "Anouks eerste" and [name for name, _ in state[2].attributes] == ["geslacht", "leeftijd"]
    shown = {segment.coder for segment in state[2].segments}
    assert shown == ({"anouk"} if coder.strip().lower() == "anouk" else {"bas"} if coder == "bas" else set())


def test_not_blind_everyone_is_seen_and_in_a_meeting_the_pair_and_consensus(study):
    set_lead(study, "anouk", "anouk")
    set_blind_mode(study, False, "anouk")
    state = looked(study, "carla")
    assert state == opening_state(study, "carla")
    assert {segment.coder for segment in state[2].segments} == {"anouk", "bas"}
    set_blind_mode(study, True, "anouk")
    open_meeting(study, Selection("anouk", "bas", include_unfinished=True), "anouk")
    for coder in ("anouk", "bas", "carla"):
        assert looked(study, coder) == opening_state(study, coder)
    assert {segment.coder for segment in looked(study, "bas")[2].segments} == {"anouk", "bas"}
    assert looked(study, "carla")[2].segments == []


def test_a_project_without_documents_opens_on_its_codebook(make_project_with_text):
    project = make_project_with_text({})
    codebook.create_code(project, "Groep/Veiligheid", "anouk")
    look = first_look(project.location, "anouk")
    assert look is not None and look.view is None and [code.path for code in look.codes] == ["Groep",
                                                                                           "Groep/Veiligheid"]


def test_it_declines_what_the_ordinary_start_must_decide(study, tmp_path):
    assert first_look("postgresql://anouk@localhost/studie", "anouk") is None
    assert first_look(str(tmp_path / "missing.thematica"), "anouk") is None
    assert first_look(str(tmp_path), "anouk") is None                      # a folder
    (tmp_path / "text.thematica").write_text("geen database", encoding="utf-8")
    assert first_look(str(tmp_path / "text.thematica"), "anouk") is None
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()
    assert first_look(str(other), "anouk") is None                        # not a project
    for refused in ("consensus", "consensus:anouk+bas", "an\nouk", ""):
        assert first_look(study.location, refused) is None                # the ordinary start says why


def test_it_declines_a_schema_that_is_not_the_shipped_head(study, tmp_path):
    older = tmp_path / "older.thematica"
    study.close()
    source = sqlite3.connect(study.location)
    target = sqlite3.connect(older)
    source.backup(target)
    source.close()
    target.execute("UPDATE alembic_version SET version_num = '0001'")
    target.commit()
    target.close()
    assert first_look(str(older), "anouk") is None                         # the ordinary start upgrades it
    assert first_look(study.location, "anouk") is not None


def test_it_writes_nothing(study):
    study.close()
    before = Path(study.location).read_bytes()
    assert first_look(study.location, "anouk") is not None
    assert Path(study.location).read_bytes() == before


def test_the_quick_start_imports_neither_sqlalchemy_nor_typer_before_the_first_frame(study, child_environment):
    """Everything the first frame needs — the first look, the app, the workbench screen and its
    panes, the command line's recognition of ``code`` — is importable without them."""
    script = ("import sys\n"
              "from thematica.cli.quick_start import quick_code_arguments\n"
              "from thematica.coding.first_look import first_look\n"
              "import thematica.cli, thematica.tui.launch, thematica.tui.app\n"
              f"assert first_look({study.location!r}, 'anouk') is not None\n"
              "print(sorted(m for m in ('sqlalchemy', 'typer', 'click', 'alembic', 'pandas', 'numpy') "
              "if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=child_environment,
                            check=True)
    assert result.stdout.strip() == "[]"
