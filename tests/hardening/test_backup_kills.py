"""Backups that cannot lie: a killed backup leaves nothing under its name, and every backup that
exists restores as verified with every row; empty, foreign and tampered files are refused.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from thematica.corpus.importer import store_text
from thematica.errors import ThematicaError
from thematica.staging import PREFIX
from thematica.store import transfer
from thematica.store.project import open_project

EVENTS = 5_000  # ballast: the copy takes many pages (so 'half of the pages' is a real middle)


def _big_project(path: Path) -> int:
    """A project with one document and EVENTS audit rows (written directly: it is only ballast)."""
    with open_project(path, create=True) as project:
        store_text(project, "R1", "R: ik voel me veilig in de groep, zeker met ë en é. " * 30)
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [("2026-01-01 10:00:00", "anouk", "segment.add", "segment", n, '{"tekst": "ballast ë"}')
             for n in range(EVENTS)])
    total = sum(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('alembic_version') "
        "AND name NOT LIKE 'sqlite_%'").fetchall())
    connection.close()
    return total


def _backup_command(source: Path, target: Path) -> list[str]:
    return [sys.executable, "-c", "from thematica.cli import main; main()", "backup", str(source), str(target)]


# Each point at which a SIGKILL can land during a backup of an SQLite project, in the order
# ``transfer.backup`` passes them, and whether the backup must then exist under its name. The
# child process (the CLI's main, forked) kills itself there, so every point is hit, on every machine.
KILL_POINTS = {
    "staged file created, nothing copied": False,   # before the online backup starts
    "first page copied": False,                     # the page copy, one page at a time
    "half of the pages copied": False,
    "last page copied": False,
    "copied, journal not yet self-contained": False,
    "during the verification": False,               # integrity checked, table checksums being read
    "verified, no manifest": False,
    "manifest written, not fsynced": False,
    "fsynced, not linked": False,
    "linked, folder not fsynced": True,             # the name exists from here on: complete and verified
    "folder fsynced, staging file not removed": True,
    "not killed": True,
}


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_before(owner: object, name: str, point: str, wanted: str, call: int = 1) -> None:
    """Replace ``owner.name`` by a wrapper that kills the process before its ``call``-th call."""
    real, calls = getattr(owner, name), []

    def wrapper(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if point == wanted and len(calls) == call:
            _die()
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)


def _inject_kill(point: str) -> None:
    """In the child: make ``thematica backup`` kill itself (SIGKILL) at ``point``."""
    import pathlib

    from thematica.store import project as project_module

    class PageCopy(sqlite3.Connection):
        """The project's connections copy one page per step, so a kill lands between two pages."""

        def backup(self, target, **options):  # type: ignore[override]
            def progress(_status: int, remaining: int, total: int) -> None:
                copied = total - remaining
                if (point == "first page copied" and copied == 1 or remaining == 0 and point == "last page copied"
                        or point == "half of the pages copied" and copied >= total // 2):
                    _die()

            return super().backup(target, pages=1, progress=progress)

    real_engine = project_module.create_engine

    def create_engine(url, **options):  # type: ignore[no-untyped-def]
        if str(url).startswith("sqlite"):
            options.setdefault("connect_args", {})["factory"] = PageCopy
        return real_engine(url, **options)

    project_module.create_engine = create_engine
    _kill_before(transfer, "_sqlite_online_backup", point, "staged file created, nothing copied")
    _kill_before(transfer, "_self_contained", point, "copied, journal not yet self-contained")
    _kill_before(transfer, "table_checks", point, "during the verification")
    _kill_before(transfer, "_write_manifest", point, "verified, no manifest")
    _kill_before(transfer, "_fsync", point, "manifest written, not fsynced", 1)
    _kill_before(os, "link", point, "fsynced, not linked")
    _kill_before(transfer, "_fsync", point, "linked, folder not fsynced", 2)
    real_unlink = pathlib.Path.unlink

    def unlink(self: pathlib.Path, *args: object, **kwargs: object) -> None:
        if point == "folder fsynced, staging file not removed" and self.name.startswith(PREFIX):
            _die()
        real_unlink(self, *args, **kwargs)  # type: ignore[arg-type]

    pathlib.Path.unlink = unlink  # type: ignore[method-assign]


def _killed_backup(point: str, source: Path, target: Path) -> int:
    """Run ``thematica backup SOURCE TARGET`` (the CLI's ``main``) in a forked child that kills
    itself at ``point``; returns the child's wait status. A fork, not a new interpreter: the child
    has every module already imported, so a kill point costs the backup, not Python's start."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            _inject_kill(point)
            from thematica.cli import main

            main(["backup", str(source), str(target)])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            os._exit(code)
    return os.waitpid(pid, 0)[1]


def test_killed_backups_leave_nothing_or_a_backup_that_restores_verified(tmp_path):
    source = tmp_path / "study.thematica"
    rows = _big_project(source)
    backups = tmp_path / "backups"
    backups.mkdir()
    survivors = absent = 0
    for number, (point, exists) in enumerate(KILL_POINTS.items()):
        target = backups / f"b{number}.thematica"
        status = _killed_backup(point, source, target)
        if point == "not killed":
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, point
        else:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, point
        assert target.exists() == exists, point
        if not target.exists():
            absent += 1
            continue
        survivors += 1
        restored = tmp_path / f"r{number}.thematica"
        report = transfer.restore(target, str(restored))
        assert report.rows == rows, point
    assert survivors + absent == len(KILL_POINTS)
    assert absent >= 2 and survivors >= 2, "the kills did not land during the backups"
    leftovers = [p for p in backups.iterdir() if p.name.startswith(PREFIX)]
    with open_project(backups / "next.thematica", create=True):
        pass  # opening a project in that folder removes what the killed backups staged
    assert not [p for p in backups.iterdir() if p.name.startswith(PREFIX)]
    staging_pids = {p.name[len(PREFIX):].split("-", 1)[0] for p in leftovers}
    assert len(staging_pids) == len(KILL_POINTS) - 1  # every killed backup had staged (and left) a file


def test_sigterm_during_a_backup_removes_its_staging_file(tmp_path):
    source = tmp_path / "study.thematica"
    _big_project(source)
    target = tmp_path / "b.thematica"
    child = subprocess.Popen(_backup_command(source, target), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith(PREFIX) for p in tmp_path.iterdir()):
        time.sleep(0.01)
    child.send_signal(signal.SIGTERM)
    child.wait()
    assert not any(p.name.startswith(PREFIX) for p in tmp_path.iterdir())
    assert not target.exists() or transfer.verify_backup(target).rows > 0


def test_the_backup_is_0600_from_its_first_byte_even_with_a_permissive_umask(tmp_path):
    source = tmp_path / "study.thematica"
    with open_project(source, create=True) as project:
        store_text(project, "R1", "R: kort.\n")
    previous = os.umask(0)
    try:
        with open_project(source) as project:
            report = transfer.backup(project, tmp_path / "b.thematica")
    finally:
        os.umask(previous)
    assert (tmp_path / "b.thematica").stat().st_mode & 0o777 == 0o600
    assert report.rows > 0 and transfer.read_manifest(tmp_path / "b.thematica") is not None


@pytest.mark.parametrize("kind", ["empty", "project", "foreign", "tampered", "truncated", "text", "folder", "newer"])
def test_restore_refuses_what_is_not_a_complete_backup(tmp_path, kind):
    source = tmp_path / "study.thematica"
    with open_project(source, create=True) as project:
        store_text(project, "R1", "R: kort maar echt.\n")
        transfer.backup(project, tmp_path / "good.thematica")
    candidate = tmp_path / "candidate.thematica"
    if kind == "empty":
        candidate.touch()
    elif kind == "project":
        candidate = source
    elif kind == "foreign":
        connection = sqlite3.connect(candidate)
        connection.execute("CREATE TABLE notes (x TEXT)")
        connection.commit()
        connection.close()
    elif kind == "tampered":
        candidate.write_bytes((tmp_path / "good.thematica").read_bytes())
        connection = sqlite3.connect(candidate)
        connection.execute("DELETE FROM unit")
        connection.commit()
        connection.close()
    elif kind == "truncated":
        data = (tmp_path / "good.thematica").read_bytes()
        candidate.write_bytes(data[: len(data) // 2])
    elif kind == "text":
        candidate.write_text("geen backup\n" * 100)
    elif kind == "folder":
        candidate.mkdir()
    elif kind == "newer":
        candidate.write_bytes((tmp_path / "good.thematica").read_bytes())
        connection = sqlite3.connect(candidate)
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        connection.commit()
        connection.close()
    before = candidate.read_bytes() if candidate.is_file() else None
    with pytest.raises(ThematicaError):
        transfer.restore(candidate, str(tmp_path / "restored.thematica"))
    assert not (tmp_path / "restored.thematica").exists()
    if before is not None:
        assert candidate.read_bytes() == before


def test_restore_of_an_empty_file_says_so_on_the_command_line(tmp_path):
    empty = tmp_path / "e.thematica"
    empty.touch()
    result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", "restore", str(empty),
                             str(tmp_path / "n.thematica")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "verified" not in result.stdout + result.stderr
    assert "empty" in result.stderr and not (tmp_path / "n.thematica").exists()


@pytest.mark.postgres
def test_a_postgresql_backup_while_coders_work_succeeds_and_restores_verified(tmp_path, postgres_url):
    """Four coders write segments (each with its audit event) throughout; the backup reads one
    snapshot, so it neither fails nor tears, and its restore verifies."""
    import threading

    from thematica.coding.segments import apply_code

    with open_project(postgres_url, create=True) as project:
        store_text(project, "R1", "R: ik voel me veilig in de groep. " * 60)
    stop = threading.Event()
    written: list[int] = []

    def coder(name: str) -> None:
        with open_project(postgres_url) as project:
            number = 0
            while not stop.is_set():
                apply_code(project, 1, name, number % 900, number % 900 + 5, code_path=f"Code {number % 5}")
                written.append(number)
                number += 1

    threads = [threading.Thread(target=coder, args=(f"coder{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        reports = []
        for number in range(3):
            with open_project(postgres_url) as project:
                reports.append(transfer.backup(project, tmp_path / f"b{number}.thematica"))
            time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert len(written) > 20
    for number, report in enumerate(reports):
        counts = {t.table: t.rows for t in report.tables}
        assert counts["audit_event"] >= counts["segment"] > 0  # every segment came with its audit event
        restored = transfer.restore(tmp_path / f"b{number}.thematica", str(tmp_path / f"r{number}.thematica"))
        assert restored.rows == report.rows


@pytest.mark.postgres
def test_migrate_refuses_what_postgresql_cannot_store_and_writes_nothing(tmp_path, postgres_url):
    """An old SQLite project may hold a NUL or a 10,000-character name (SQLite keeps both)."""
    source = tmp_path / "old.thematica"
    with open_project(source, create=True) as project:
        store_text(project, "R1", "R: kort.\n")
    connection = sqlite3.connect(source)
    connection.execute("INSERT INTO code (name, color, definition, inclusion, exclusion, example, position, created_at) "
                       "VALUES (?, '#808080', '', '', '', '', 0, '2026-01-01')", ("x" * 10_000,))
    connection.commit()
    connection.close()
    with pytest.raises(ThematicaError, match="10000 characters"):
        transfer.migrate(str(source), postgres_url)
    with open_project(postgres_url) as target, target.engine.connect() as reading:
        assert all(check.rows == 0 for check in transfer.table_checks(reading))


def test_backup_and_restore_with_relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_project("study.thematica", create=True) as project:
        store_text(project, "R1", "R: kort en relatief.\n")
        transfer.backup(project, Path("b.thematica"))
    assert transfer.restore(Path("b.thematica"), "r.thematica").rows > 0
    Path("e.thematica").touch()
    with pytest.raises(ThematicaError, match="empty"):
        transfer.restore(Path("e.thematica"), "n.thematica")
