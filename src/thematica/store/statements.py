"""Counting the SQL statements a piece of work sends (benchmarks and the statement-budget tests).

Every statement is a round trip to a team server, so the coding session's budget is counted in
statements: SQLAlchemy's ``before_cursor_execute`` event sees each one (``BEGIN`` included, as
SQLite's ``BEGIN IMMEDIATE`` is sent as a statement); commits are counted separately.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class StatementCount:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    @property
    def count(self) -> int:
        return len(self.statements)

    def to_dict(self) -> dict[str, object]:
        return {"statements": self.count, "commits": self.commits}


@contextmanager
def counting_statements(engine: Engine) -> Iterator[StatementCount]:
    """``with counting_statements(project.engine) as counted: ...`` then ``counted.count``."""
    counted = StatementCount()

    def before(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        counted.statements.append(" ".join(statement.split())[:120])

    def committed(_connection: object) -> None:
        counted.commits += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", committed)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", committed)
