"""The malformed-input corpus: each input gives exit code 2, one clear line, and an unchanged project.

Every case runs the real CLI in a child process against a project holding one coded document;
the project's content checksum is compared before and after.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from thematica.coding.segments import apply_code
from thematica.corpus.importer import store_text
from thematica.store.project import open_project

TEXT = "I: Hoe was de groep?\n\nR: Eh, spannend. Later voelde ik me veilig.\n"
HEADER = "document,start,end,code,coder,memo\n"
BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;'
        '&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>')


def _docx_bytes(tmp_path: Path) -> bytes:
    import docx

    path = tmp_path / "good.docx"
    document = docx.Document()
    document.add_paragraph("R: Een goed document met ë.")
    document.save(str(path))
    return path.read_bytes()


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (CLI arguments with {project} placeholder, expected words in the error line)."""
    files = tmp_path / "inputs"
    files.mkdir()

    def write(name: str, data: bytes | str) -> str:
        path = files / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(path)

    big = files / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    truncated = _docx_bytes(tmp_path)[:700]
    without_qde = files / "no-project.qdpx"
    with zipfile.ZipFile(without_qde, "w") as archive:
        archive.writestr("sources/x.txt", "hoi")
    bomb_qdpx = files / "bomb.qdpx"
    with zipfile.ZipFile(bomb_qdpx, "w") as archive:
        archive.writestr("project.qde", BOMB)
    trial_header = "participant,arm,time,scl90\n"
    not_a_zip_docx = b"PK\x03\x04" + b"\x00" * 50
    return {
        "binary file named .txt": (["import", "{project}", write("binary.txt", bytes(range(256)) * 40)], "binary"),
        "truncated .docx": (["import", "{project}", write("truncated.docx", truncated)], "docx"),
        "corrupt .docx": (["import", "{project}", write("corrupt.docx", not_a_zip_docx)], "docx"),
        "invalid UTF-8 (nor cp1252)": (["import", "{project}", write("invalid.txt", b"R: caf\xc3 \x81\x8d en meer")], "UTF-8"),
        "empty file": (["import", "{project}", write("empty.txt", b"")], "empty"),
        "only white space": (["import", "{project}", write("blank.txt", "  \n\n \r\n")], "empty"),
        "200 MB file": (["import", "{project}", str(big)], "too large"),
        "unsupported type": (["import", "{project}", write("interview.pages", "PK")], "unsupported"),
        "damaged pdf": (["import", "{project}", write("interview.pdf", "%PDF-1.4")], "not a readable PDF"),
        "survey: unknown column": (["survey", "import", "{project}", write("s.csv", "id,open\nA,x\n"), "--id", "nr",
                                    "--text", "open"], "no --id column"),
        "survey: respondent twice": (["survey", "import", "{project}", write("s2.csv", "id,open\nA,x\nA,y\n"), "--id",
                                      "id", "--text", "open"], "row 3"),
        "a folder as transcript": (["import", "{project}", str(files)], "unsupported"),
        "changed text under a coded name": (["import", "{project}", write("R1.txt", "R: Een andere tekst.\n")], "different text"),
        "codings: wrong columns": (["codings", "import", "{project}", write("c1.csv", "doc,begin,einde\nR1,1,2\n")], "missing column"),
        "codings: negative offset": (["codings", "import", "{project}", write("c2.csv", HEADER + "R1,-4,10,Groep,bas,\n")], "row 2"),
        "codings: duplicate rows": (["codings", "import", "{project}", write("c3.csv", HEADER + "R1,4,10,Groep,bas,\n" * 2)], "duplicate"),
        "codings: beyond the text": (["codings", "import", "{project}", write("c4.csv", HEADER + "R1,4,999,Groep,bas,\n")], "outside"),
        "codings: unknown document": (["codings", "import", "{project}", write("c5.csv", HEADER + "R7,4,10,Groep,bas,\n")], "unknown document"),
        "codings: start after end": (["codings", "import", "{project}", write("c6.csv", HEADER + "R1,10,4,Groep,bas,\n")], "row 2"),
        "codings: text offsets": (["codings", "import", "{project}", write("c7.csv", HEADER + "R1,vier,10,Groep,bas,\n")], "whole numbers"),
        "codings: empty file": (["codings", "import", "{project}", write("c8.csv", "")], "empty"),
        "codings: binary": (["codings", "import", "{project}", write("c9.csv", b"\x00\x01" * 64)], "binary"),
        "codings: empty code path": (["codings", "import", "{project}", write("c10.csv", HEADER + "R1,4,10,Groep//x,bas,\n")], "code path"),
        "cases: no case column": (["cases", "import", "{project}", write("k1.csv", "naam,leeftijd\nR1,34\n")], "case column"),
        "cases: duplicate case": (["cases", "import", "{project}", write("k2.csv", "case,age\nR1,34\nR1,35\n")], "twice"),
        "cases: ragged row": (["cases", "import", "{project}", write("k3.csv", "case,age,gender\nR1,34\n")], "row 2"),
        "show: unknown document": (["show", "{project}", "R9"], "no document"),
        "show: unknown unit kind": (["show", "{project}", "R1", "--units", "woord"], "unit must be"),
        "export: unknown coder": (["codings", "export", "{project}", "--coder", "onbekend"], "no coder"),
        "qdpx: not a zip archive": (["import-qdpx", write("bad.qdpx", b"PK\x03\x04garbage"), "{project}"], "not a .qdpx"),
        "qdpx: no project.qde inside": (["import-qdpx", str(without_qde), "{project}"], "no .qde"),
        "qdpx: XML entity-expansion bomb": (["import-qdpx", str(bomb_qdpx), "{project}"], "unsafe XML"),
        "qdc: XML entity-expansion bomb": (["codebook", "import", "{project}", write("bomb.qdc", BOMB.replace(
            "Project", "CodeBook"))], "unsafe XML"),
        "trial: text in a numeric column": (["trial", "import", "{project}", write("t1.csv", trial_header +
            "P1,a,0,1.2\nP2,b,0,veel\nP3,a,0,0.8\nP4,b,0,1.1\nP5,a,0,0.9\n"), "--id", "participant", "--arm", "arm",
            "--time", "time"], "row 3: text 'veel'"),
        "trial: participant twice at a time": (["trial", "import", "{project}", write("t2.csv", trial_header +
            "P1,a,0,1.2\nP1,a,0,1.3\n"), "--id", "participant", "--arm", "arm", "--time", "time"], "twice"),
        "trial: no such id column": (["trial", "import", "{project}", write("t3.csv", trial_header + "P1,a,0,1\n"),
                                      "--id", "id", "--arm", "arm"], "no column 'id'"),
        "usage: missing argument": (["info"], "missing argument"),
        "usage: value not among the choices": (["info", "{project}", "--format", "bogus"], "invalid value"),
        "usage: unknown command": (["verwijder", "{project}"], "no such command"),
        "usage: malformed --scale": (["trial", "analyze", "{project}", "--scale", "WAI=wai1"], "--scale"),
        "meta: text where a count belongs": (["meta", write("m1.csv", "study,events_t,n_t,events_c,n_c\n"
                                              "A,4,20,veel,20\nB,3,25,6,25\n"), "--measure", "RR"], "row 2"),
        "nma: multi-arm study with a contrast missing": (["nma", write("n1.csv", "study,treat1,treat2,te,sete\n"
                                                          "S1,A,B,0.5,0.2\nS1,A,C,0.7,0.3\nS2,B,C,0.1,0.2\n"),
                                                          "--measure", "MD", "--reference", "A"], "needs all 3"),
        "nma: disconnected network": (["nma", write("n2.csv", "study,treat1,treat2,te,sete\nS1,A,B,0.5,0.2\n"
                                                    "S2,C,D,0.1,0.2\n"), "--measure", "MD", "--reference", "A"],
                                      "not connected"),
    }


@pytest.fixture
def coded_project(tmp_path) -> Path:
    path = tmp_path / "study.thematica"
    with open_project(path, create=True) as project:
        store_text(project, "R1", TEXT)
        apply_code(project, 1, "anouk", 25, 35, code_path="Groep")
    return path


def test_every_malformed_input_gives_exit_2_one_line_and_changes_nothing(coded_project, tmp_path, project_digest):
    cases = _bad_inputs(tmp_path)
    assert len(cases) >= 25
    failures = []
    for name, (arguments, expected) in cases.items():
        before = project_digest(coded_project)
        command = [a.replace("{project}", str(coded_project)) for a in arguments]
        result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", *command],
                                capture_output=True, text=True, timeout=120)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        ok = (result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr
              and expected.lower() in lines[0].lower() and project_digest(coded_project) == before)
        if not ok:
            failures.append(f"{name}: exit {result.returncode}, stderr {result.stderr.strip()[:300]!r}")
    assert failures == []


def test_the_bare_command_and_a_bare_group_print_their_help():
    for arguments in ([], ["trial"]):
        result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", *arguments],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and "Usage:" in result.stdout and result.stderr == ""


def test_not_a_database_and_newer_schema_are_refused_without_change(coded_project, tmp_path, project_digest):
    fake = tmp_path / "fake.thematica"
    fake.write_bytes(b"dit is een memo, geen project" * 20)
    connection = sqlite3.connect(coded_project)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    for path, expected in ((fake, "not a Thematica project"), (coded_project, "newer version")):
        before = project_digest(path) if path == coded_project else path.read_bytes()
        result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", "info", str(path)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr
        assert (project_digest(path) if path == coded_project else path.read_bytes()) == before
