"""The malformed-input corpus: each input gives exit code 2, one clear line, and an unchanged project.

The corpus (``bad_inputs.build``) runs in-process through ``thematica.cli.main`` against a
project holding one coded document; the project's content checksum is compared before and after
every case. A few cases also run as real child processes, to check the exit code and that no
traceback reaches the terminal.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.bad_inputs import TEXT, build
from thematica.cli import main
from thematica.coding.segments import apply_code
from thematica.corpus.importer import store_text
from thematica.store.project import open_project


def run_in_process(arguments: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code: object = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(arguments)
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def coded_project(tmp_path) -> Path:
    path = tmp_path / "study.thematica"
    with open_project(path, create=True) as project:
        store_text(project, "R1", TEXT, case="R1")
        apply_code(project, 1, "anouk", 25, 35, code_path="Groep")
        apply_code(project, 1, "bas", 25, 40, code_path="Groep")
    return path


def _check(name: str, code: object, err: str, expected: str) -> str | None:
    lines = [line for line in err.splitlines() if line.strip()]
    if code != 2 or len(lines) != 1 or "Traceback" in err or "internal error" in err:
        return f"{name}: exit {code}, stderr {err.strip()[:300]!r}"
    if expected.lower() not in lines[0].lower():
        return f"{name}: {lines[0][:300]!r} does not say {expected!r}"
    return None


def test_every_malformed_input_gives_exit_2_one_line_and_changes_nothing(coded_project, tmp_path, project_digest):
    import os

    devices = {name: os.lstat(name) for name in ("/dev/null", "/dev/zero", "/dev/stdout")}
    cases = build(tmp_path / "inputs")
    assert len(cases) >= 150
    assert len({name for name, _, _ in cases}) == len(cases)
    failures = []
    unchanged = project_digest(coded_project)  # each case is compared with the state before the first
    for name, arguments, expected in cases:
        command = [a.replace("{project}", str(coded_project)) for a in arguments]
        code, _, err = run_in_process(command)
        problem = _check(name, code, err, expected)
        if problem is None and project_digest(coded_project) != unchanged:
            problem = f"{name}: the project changed"
            unchanged = project_digest(coded_project)
        if problem:
            failures.append(problem)
    assert failures == [], "\n".join(failures)
    for name, before in devices.items():  # no case may chmod, replace or write over a device
        after = os.lstat(name)
        assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev), name


@pytest.mark.parametrize("index", [0, 2, 54, 97])
def test_a_child_process_exits_2_without_a_traceback(coded_project, tmp_path, index):
    name, arguments, expected = build(tmp_path / "inputs")[index]
    command = [a.replace("{project}", str(coded_project)) for a in arguments]
    result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", *command],
                            capture_output=True, text=True, timeout=120)
    assert _check(name, result.returncode, result.stderr, expected) is None, result.stderr


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
        before = path.read_bytes()
        code, _, err = run_in_process(["info", str(path)])
        assert code == 2 and expected in err and "Traceback" not in err
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [path.name]


def test_an_internal_error_names_type_and_place_but_never_document_text(monkeypatch, coded_project):
    from thematica.cli import project_commands

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("R: Eh, spannend. Later voelde ik me veilig.")

    monkeypatch.setattr(project_commands, "import_files", broken)
    code, _, err = run_in_process(["import", str(coded_project), "x.txt"])
    assert code == 1 and "ValueError" in err and "cli/project_commands.py" in err
    assert "spannend" not in err and len(err.strip().splitlines()) == 1


WRITING_COMMANDS = ("import", "codings", "cases", "trial", "import-qdpx", "codebook", "merge", "theme")


@pytest.mark.postgres
def test_the_imports_that_write_many_rows_change_nothing_on_postgresql(tmp_path, postgres_url):
    from thematica.store.transfer import table_checks

    with open_project(postgres_url, create=True) as project:
        store_text(project, "R1", TEXT, case="R1")
        apply_code(project, 1, "anouk", 25, 35, code_path="Groep")
        apply_code(project, 1, "bas", 25, 40, code_path="Groep")

    cases = [case for case in build(tmp_path / "inputs") if case[1][0] in WRITING_COMMANDS and "{project}" in case[1]]
    assert len(cases) >= 100
    failures = []
    with open_project(postgres_url) as watcher:
        def digest() -> list[object]:
            with watcher.engine.connect() as connection:
                return list(table_checks(connection))

        # every case must leave the project as it was before the first: comparing each result with
        # that one state is the same check as comparing it with the state just before the case
        unchanged = digest()
        for name, arguments, expected in cases:
            code, _, err = run_in_process([a.replace("{project}", postgres_url) for a in arguments])
            problem = _check(name, code, err, expected)
            if problem is None and digest() != unchanged:
                problem = f"{name}: the project changed"
                unchanged = digest()
            if problem:
                failures.append(problem)
    assert failures == [], "\n".join(failures)
