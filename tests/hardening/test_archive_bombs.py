"""Bounded archives: each ZIP bomb is refused before extraction, in a process limited to 1 GB of
address space (so an extraction that did happen would end in MemoryError, not pass silently)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.bad_inputs import overlapping_bomb, zip_bomb
from thematica.coding.segments import apply_code
from thematica.corpus.importer import store_text
from thematica.store.project import open_project

LIMIT = 1 << 30
EXPANDED = 3 << 29  # 1.5 GiB of zeros: more than the whole address space the child may use


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _run(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", *arguments],
                          capture_output=True, text=True, timeout=300, preexec_fn=_limited,
                          env={"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                               "PYTHONPATH": ":".join(sys.path)})


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    guid = "11111111-2222-3333-4444-555555555555"
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           f'<TextSource guid="{guid}" name="R9.txt" plainTextPath="internal://{guid}.txt"/></Sources></Project>')
    return {
        "docx": Path(zip_bomb(folder / "bomb.docx", "word/document.xml", EXPANDED)),
        "odt": Path(zip_bomb(folder / "bomb.odt", "content.xml", EXPANDED, {"mimetype": "application/vnd.oasis"
                                                                               ".opendocument.text"})),
        "xlsx": Path(zip_bomb(folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", EXPANDED)),
        "qdpx": Path(zip_bomb(folder / "bomb.qdpx", f"sources/{guid}.txt", EXPANDED, {"project.qde": qde})),
        "overlapping qdpx": Path(overlapping_bomb(folder / "overlap.qdpx", 200)),
    }


@pytest.fixture
def project_file(tmp_path) -> Path:
    path = tmp_path / "study.thematica"
    with open_project(path, create=True) as project:
        store_text(project, "R1", "R: kort.\n")
        apply_code(project, 1, "anouk", 3, 7, code_path="Groep")
    return path


def test_the_limit_is_real_an_extraction_would_fail(bombs):
    code = ("import zipfile,sys\narchive = zipfile.ZipFile(sys.argv[1])\n"
            "try:\n    archive.read(archive.namelist()[-1])\nexcept MemoryError:\n    print('MemoryError')\n")
    result = subprocess.run([sys.executable, "-c", code, str(bombs["docx"])], capture_output=True, text=True,
                            timeout=300, preexec_fn=_limited)
    assert "MemoryError" in result.stdout + result.stderr


@pytest.mark.parametrize("kind, command", [
    ("docx", ["import", "{project}", "{bomb}"]),
    ("qdpx", ["import-qdpx", "{bomb}", "{project}"]),
    ("overlapping qdpx", ["import-qdpx", "{bomb}", "{project}"]),
    ("qdpx", ["merge", "{project}", "{bomb}"]),
    ("xlsx", ["trial", "import", "{project}", "{bomb}", "--id", "p", "--arm", "a"]),
])
def test_each_bomb_is_refused_under_a_1_gb_address_space(bombs, project_file, project_digest, kind, command):
    before = project_digest(project_file)
    arguments = [a.replace("{project}", str(project_file)).replace("{bomb}", str(bombs[kind])) for a in command]
    result = _run(arguments)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "archive refused" in lines[0], result.stderr[-500:]
    assert project_digest(project_file) == before


def test_an_odt_bomb_is_refused_by_the_archive_check_under_the_limit(bombs):
    code = ("import sys\nfrom thematica.corpus.archives import check_archive\nfrom thematica.errors import ThematicaError\n"
            "try:\n    check_archive(sys.argv[1], kind='.odt file')\nexcept ThematicaError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", code, str(bombs["odt"])], capture_output=True, text=True,
                            timeout=300, preexec_fn=_limited, env={"PYTHONPATH": ":".join(sys.path)})
    assert "archive refused" in result.stdout, result.stderr[-500:]
