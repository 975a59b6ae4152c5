"""Has anyone committed since the last look? Asked without reading the data, so it can be asked often.

SQLite: ``PRAGMA data_version`` on one connection kept for the purpose changes whenever another
connection (another coder, another process) commits — no table is read, no lock is taken.
Other databases: the audit log's newest id (every change writes one event), on an autocommit
connection of its own.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from thematica.store.models import AuditEvent


class ChangeWatch:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._last: int | None = None

    def _value(self) -> int:
        if self._engine.dialect.name == "sqlite":
            if self._connection is None:
                self._connection = self._engine.raw_connection()
            cursor = self._connection.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return int(cursor.fetchone()[0])
            finally:
                cursor.close()
        if self._connection is None:
            self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return int(self._connection.execute(select(func.max(AuditEvent.id))).scalar() or 0)

    def changed(self) -> bool:
        """True when someone committed since the previous call (False on the first call and when the
        database is briefly unreachable or busy: the next look will tell)."""
        try:
            value = self._value()
        except (OperationalError, sqlite3.Error):
            self.close()
            return False
        changed = self._last is not None and value != self._last
        self._last = value
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
