"""Another coder's change reaches the coding session within a second, through what the workbench
uses (``CodingSession.poll`` every ``POLL_SECONDS``): SQLite ``PRAGMA data_version`` and
PostgreSQL ``LISTEN``/``NOTIFY``, also when the watch's connection was lost in between."""

from __future__ import annotations

import threading
import time

import pytest

from thematica.coding import codebook
from thematica.coding.segments import apply_code
from thematica.coding.session import CodingSession
from thematica.coding.visibility import set_blind_mode, set_lead
from thematica.corpus.importer import store_text
from thematica.store.project import Project, open_project
from thematica.tui.screens.workbench import POLL_SECONDS

TEXT = "Interview T1\n\nI: Hoe was de groep?\n\nR: Eerst eng. Later voelde ik me veilig. De groep hielp mij.\n"
SPANS = [(TEXT.index(word), TEXT.index(word) + len(word)) for word in ("eng", "Later", "veilig", "groep hielp")]


def prepared(project: Project) -> CodingSession:
    store_text(project, "T1", TEXT)
    codebook.create_code(project, "Veiligheid", "anouk")
    set_lead(project, "anouk", "anouk")
    set_blind_mode(project, False, "anouk")        # the lead sees the other coders
    session = CodingSession(project, "anouk")
    session.load()
    session.open_document(1)
    return session


def seconds_until_shown(session: CodingSession, other: Project, span: tuple[int, int], delay: float) -> float:
    """Commit a segment as bas on another connection after ``delay`` s while polling as the
    workbench does; the time from the commit until the open document shows it."""
    committed: list[float] = []
    ids: list[int] = []

    def commit() -> None:
        time.sleep(delay)
        ids.append(apply_code(other, 1, "bas", *span, code_path="Veiligheid").id)
        committed.append(time.monotonic())

    thread = threading.Thread(target=commit)
    thread.start()
    deadline = time.monotonic() + delay + 5
    try:
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if session.poll() and ids and ids[0] in {s.id for s in session.view.segments}:
                return time.monotonic() - committed[0]
    finally:
        thread.join()
    raise AssertionError("the change was not noticed within 5 s")


def check(location: str, project: Project, break_watch) -> None:
    session = prepared(project)
    other = open_project(location)                 # another coder's connection
    try:
        for span, delay in zip(SPANS[:3], (0.1, 0.37, 0.66), strict=True):
            assert seconds_until_shown(session, other, span, delay) < 1.0
        time.sleep(POLL_SECONDS)
        session.poll()                              # settled
        break_watch(session._watch)                 # the watch's connection dies ...
        apply_code(other, 1, "bas", *SPANS[3], code_path="Veiligheid")   # ... and bas commits meanwhile
        time.sleep(POLL_SECONDS)
        assert session.poll() is True               # the next look reconnects and reloads: nothing missed
        assert {s.coder for s in session.view.segments} == {"bas"}
        assert sorted((s.start, s.end) for s in session.view.segments) == sorted(SPANS)   # each of bas's four
    finally:
        session.close()
        other.close()


def test_sqlite_a_change_is_shown_within_a_second_also_after_the_watch_lost_its_connection(tmp_path):
    path = tmp_path / "watch.thematica"
    project = open_project(path, create=True)

    def break_watch(watch):
        watch._connection.dbapi_connection.close()  # the next look fails and reconnects

    try:
        check(str(path), project, break_watch)
    finally:
        project.close()


@pytest.mark.postgres
def test_postgresql_a_change_is_shown_within_a_second_also_after_the_listener_was_cut_off(postgres_url):
    from sqlalchemy import text

    project = open_project(postgres_url, create=True)

    def break_watch(watch):
        assert watch._listening is True             # LISTEN/NOTIFY, not the audit-log fallback
        pid = watch._connection.driver_connection.info.backend_pid
        with project.engine.connect() as connection:  # the server drops the listener (a restart, a proxy)
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
        time.sleep(0.1)

    try:
        check(postgres_url, project, break_watch)
    finally:
        project.close()
