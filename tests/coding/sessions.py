"""Coding sessions for the headless tests: each is closed after its test (the change watch holds a
connection of its own, which a left-open session would keep past the test's project)."""

from __future__ import annotations

from typing import Any

from thematica.coding.session import CodingSession

OPENED: list[CodingSession] = []


def session_for(project: Any, coder: str = "anouk", *, totals: bool = True) -> CodingSession:
    """A loaded session for ``coder``, closed by ``tests/coding/conftest.py`` after the test."""
    session = CodingSession(project, coder)
    OPENED.append(session)
    session.load(totals=totals)
    return session


def opened(project: Any, coder: str = "anouk") -> CodingSession:
    """A loaded session with the project's first document open."""
    session = session_for(project, coder)
    session.open_document(session.documents[0][0])
    return session


def code_id(session: CodingSession, path: str) -> int:
    return next(info.id for info in session.codes.values() if info.path == path)


def close_all() -> None:
    while OPENED:
        OPENED.pop().close()
