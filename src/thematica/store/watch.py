"""Has anyone committed since the last look? Asked without reading the data, so it can be asked often.

SQLite: ``PRAGMA data_version`` on one connection kept for the purpose changes whenever another
connection (another coder, another process) commits — no table is read, no lock is taken.
PostgreSQL: ``LISTEN thematica_changes`` on a connection of its own; migration 0005 makes every
insert into the audit log (every change writes one event) ``NOTIFY`` that channel, so a look is a
read of the notifications already received — no round trip. Should LISTEN be unavailable, the
audit log's newest id is asked instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from thematica.store.models import AuditEvent

CHANNEL = "thematica_changes"


class ChangeWatch:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._last: int | None = None
        self._listening: bool | None = None
        self._received = 0

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
        if self._engine.dialect.name == "postgresql" and self._listening is not False:
            return self._notified()
        if self._connection is None:
            self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return int(self._connection.execute(select(func.max(AuditEvent.id))).scalar() or 0)

    def _notified(self) -> int:
        """The number of notifications received so far (a count that grows with every change)."""
        if self._connection is None:
            raw = self._engine.raw_connection()
            driver: Any = raw.driver_connection
            if not hasattr(driver, "notifies"):  # not psycopg 3: ask the audit log instead
                raw.close()
                self._listening = False
                return self._value()
            driver.rollback()  # the pool's pre-ping may have opened a transaction
            driver.autocommit = True
            driver.execute(f"LISTEN {CHANNEL}")
            self._connection, self._listening = raw, True
        listening: Any = self._connection.driver_connection
        driver = listening
        self._received += sum(1 for _ in driver.notifies(timeout=0))
        return self._received

    def changed(self) -> bool:
        """True when someone committed since the previous call (False on the first call and when the
        database is briefly unreachable or busy: the next look will tell)."""
        driver_error = getattr(self._engine.dialect.dbapi, "Error", sqlite3.Error)
        try:
            value = self._value()
        except (OperationalError, sqlite3.Error, OSError, driver_error):
            self.close()
            return False
        changed = self._last is not None and value != self._last
        self._last = value
        return changed

    def close(self) -> None:
        if self._connection is not None:
            if self._listening:
                self._connection.invalidate()  # autocommit and LISTEN: never handed back to the pool
            else:
                self._connection.close()
            self._connection = None
            self._listening = None if self._listening else self._listening
