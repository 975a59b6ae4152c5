"""The independence commands as a user types them: lead at init, blind on/off, who sees whom, coder
names, deciders, a re-decided passage in the log, the consensus coding closed to direct writes."""

from __future__ import annotations

import json

import pytest

from thematica.cli import main
from thematica.coding.segments import apply_code, set_document_status

SENTENCES = ["De groep hielp.", "De therapeut was warm.", "Ik durfde meer."]
TEXT = "R: " + " ".join(SENTENCES) + "\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def study(make_project_with_text, project_digest):
    project = make_project_with_text({"R1": TEXT})
    for coder, sentence, code in (("anouk", 0, "Groep"), ("bas", 0, "Groep"), ("anouk", 1, "Therapeut"),
                                  ("anouk", 2, "Effect"), ("bas", 2, "Groep"), ("carla", 0, "Twijfel")):
        start = TEXT.index(SENTENCES[sentence])
        apply_code(project, 1, coder, start, start + len(SENTENCES[sentence]), code_path=code)
    for coder in ("anouk", "bas"):
        set_document_status(project, 1, coder, "done")
    path = project.path
    project.close()
    return str(path)


def test_init_sets_the_lead_and_refuses_a_reserved_one(capsys, tmp_path):
    path = tmp_path / "new.thematica"
    assert run(capsys, "init", str(path), "--lead", " Anouk ")[0] == 0
    code, out, _ = run(capsys, "blind", str(path), "--format", "json")
    assert json.loads(out)["lead"] == "Anouk"
    refused = tmp_path / "refused.thematica"
    code, _, err = run(capsys, "init", str(refused), "--lead", "consensus")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "reserved" in err and not refused.exists()


def test_blind_off_only_by_the_lead_and_on_again(capsys, study, project_digest):
    assert run(capsys, "lead", study, "anouk", "--as", "anouk")[0] == 0
    before = project_digest(study)
    code, _, err = run(capsys, "blind", study, "off", "--as", "bas")
    assert code == 2 and "not the project lead (anouk)" in err and len(err.strip().splitlines()) == 1
    assert project_digest(study) == before
    assert run(capsys, "blind", study, "off", "--as", "ANOUK", "--reason", "analyse")[0] == 0
    report = json.loads(run(capsys, "blind", study, "--format", "json")[1])
    assert report["blind"] is False and report["visibility"]["carla"] == ["anouk", "bas", "carla"]
    assert run(capsys, "blind", study, "on", "--as", "bas")[0] == 0
    report = json.loads(run(capsys, "blind", study, "--format", "json")[1])
    assert report == {"blind": True, "lead": "anouk", "meetings": [],
                      "visibility": {"anouk": ["anouk"], "bas": ["bas"], "carla": ["carla"]}}
    log = run(capsys, "log", study)[1]
    assert log.count("blind_mode.set") == 2


def test_a_meeting_reveals_the_pair_to_the_pair_only(capsys, study):
    assert run(capsys, "consensus", "open", study, "--coders", "anouk,bas", "--as", "anouk")[0] == 0
    report = json.loads(run(capsys, "blind", study, "--format", "json")[1])
    assert report["blind"] is True and report["meetings"] == ["consensus:anouk+bas"]
    assert report["visibility"] == {"anouk": ["anouk", "bas", "consensus:anouk+bas"],
                                    "bas": ["anouk", "bas", "consensus:anouk+bas"], "carla": ["carla"]}
    table = run(capsys, "blind", study)[1]
    assert "carla" in table and "Blind mode: on" in table


@pytest.mark.parametrize(("actor", "reason"), [("", "is empty"), ("carla", "may not decide"),
                                                ("dirk", "may not decide")])
def test_an_empty_or_foreign_decider_is_exit_2_and_nothing_changes(capsys, study, project_digest, actor, reason):
    run(capsys, "consensus", "open", study, "--coders", "anouk,bas", "--as", "anouk")
    before = project_digest(study)
    code, _, err = run(capsys, "consensus", "decide", study, "--coders", "anouk,bas", "keep_a", "--as", actor)
    assert code == 2 and reason in err and "consensus:anouk+bas" in err and len(err.strip().splitlines()) == 1
    assert project_digest(study) == before


def test_a_re_decided_passage_shows_both_decisions_in_the_log(capsys, study):
    run(capsys, "consensus", "open", study, "--coders", "anouk,bas", "--as", "anouk")
    assert run(capsys, "consensus", "decide", study, "--coders", "anouk,bas", "keep_a", "--as", "anouk")[1] \
        == "1 of 2 passages decided\n"
    start = str(TEXT.index(SENTENCES[1]))
    code, out, _ = run(capsys, "consensus", "decide", study, "--coders", "anouk,bas", "neither", "--as", "bas",
                       "--document", "R1", "--start", start, "--rationale", "toch niet")
    assert code == 0 and out == "1 of 2 passages decided\n"
    log = json.loads(run(capsys, "consensus", "log", study, "--format", "json")[1])
    assert log["meetings"] == [{"meeting": "consensus:anouk+bas", "decided": 1, "total": 2, "finished": False}]
    first, second = log["decisions"]
    assert (first["decision"], first["superseded_by"], first["superseded_by_who"]) == ("keep_a", second["id"], "bas")
    assert (second["decision"], second["superseded_by"], second["supersedes"]) == ("neither", None, first["id"])
    markdown = run(capsys, "consensus", "log", study, "--format", "md")[1]
    assert "consensus:anouk+bas: 1 of 2 passages decided." in markdown and "resolved" not in markdown
    assert f"superseded by #{second['id']} (bas" in markdown


def test_the_consensus_coding_cannot_be_written_directly(capsys, study, project_digest, tmp_path):
    run(capsys, "consensus", "open", study, "--coders", "anouk,bas", "--as", "anouk")
    before = project_digest(study)
    for name in ("consensus", "consensus:anouk+bas", "Consensus:Anouk+Bas "):
        code, _, err = run(capsys, "code", study, "--coder", name)
        assert code == 2 and "reserved" in err and len(err.strip().splitlines()) == 1
    rows = tmp_path / "codings.csv"
    rows.write_text(f"document,start,end,code,coder\nR1,3,18,Groep,anouk\nR1,3,18,Groep,consensus:anouk+bas\n",
                    encoding="utf-8")
    code, _, err = run(capsys, "codings", "import", study, str(rows))
    assert code == 2 and "row 3" in err and "reserved" in err
    assert project_digest(study) == before


@pytest.mark.parametrize(("name", "reason"), [("carla\nbas", "line break"), ("x" * 101, "longer than 100"),
                                               ("carla\x1b[2J", "control character"), ("   ", "empty")])
def test_bad_coder_names_are_exit_2_with_one_line(capsys, study, name, reason):
    code, _, err = run(capsys, "code", study, "--coder", name)
    assert code == 2 and reason in err and len(err.strip().splitlines()) == 1


def test_a_trailing_space_names_the_same_coder(capsys, study, tmp_path):
    rows = tmp_path / "codings.csv"
    rows.write_text("document,start,end,code,coder\nR1,3,18,Effect,Carla \nR1,3,18,Groep,CARLA\n", encoding="utf-8")
    assert run(capsys, "codings", "import", study, str(rows))[0] == 0
    info = json.loads(run(capsys, "info", study, "--format", "json")[1])
    assert sorted(info["coders"]) == ["anouk", "bas", "carla"] and info["coders"]["carla"] == 3
