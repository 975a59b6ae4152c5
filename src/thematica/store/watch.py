"""Has anyone committed since the last look? Asked without reading the data, so it can be asked often.

SQLite: ``PRAGMA data_version`` on one connection kept for the purpose changes whenever another
connection (another coder, another process) commits — no table is read, no lock is taken.
PostgreSQL: ``LISTEN thematica_changes`` on a connection of its own; migration 0005 makes every
insert into the audit log (every change writes one event) ``NOTIFY`` that channel, so a look is a
read of the notifications already received — no round trip. Should LISTEN be unavailable, the
audit log's newest id is asked instead.

A watch connection that fails (the server restarted, the network dropped, the file was busy) is
dropped and opened again at once (or at the next look); what was committed meanwhile was never announced to
it (notifications are not queued for a listener that is gone, and a new SQLite connection's
``data_version`` has no relation to the old one's), so the look that reconnects says "changed" — one reload too many, never a change missed.

What changed is the audit log's to tell (``store.audit.events_since``), so a watcher can reload
only that.
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
        self._lost = False  # the connection failed since the last reading that succeeded

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
            try:
                driver.rollback()  # the pool's pre-ping may have opened a transaction
                driver.autocommit = True
                driver.execute(f"LISTEN {CHANNEL}")
            except BaseException:
                raw.invalidate()  # half set up: never handed back to the pool
                raise
            self._connection, self._listening = raw, True
        listening: Any = self._connection.driver_connection
        # read twice: a connection the server dropped gives its error message at the first read
        # and fails only at the second (a few microseconds, no round trip)
        for _ in range(2):
            self._received += sum(1 for _ in listening.notifies(timeout=0))
        return self._received

    def changed(self) -> bool:
        """True when someone committed since the previous call (False on the first call and when the
        database is unreachable or busy: the next look will tell). A failed connection is opened
        again at once; the look then says True, since what happened meanwhile is unknown."""
        driver_error = getattr(self._engine.dialect.dbapi, "Error", sqlite3.Error)
        for attempt in (1, 2):
            try:
                value = self._value()
                break
            except (OperationalError, sqlite3.Error, OSError, driver_error):
                self.close()
                self._lost = self._lost or self._last is not None
                if attempt == 2:
                    return False
        changed = self._lost or (self._last is not None and value != self._last)
        self._last, self._lost = value, False
        return changed

    def close(self) -> None:
        if self._connection is not None:
            if self._listening:
                self._connection.invalidate()  # autocommit and LISTEN: never handed back to the pool
            else:
                self._connection.close()
            self._connection = None
            if self._listening:  # LISTEN is set up again on the next connection; False (no LISTEN) stays
                self._listening = None
