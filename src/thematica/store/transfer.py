"""Copying a whole project between databases (SQLite <-> PostgreSQL), verified; and online backups.

``copy_project`` copies every table in foreign-key order inside one transaction on the target,
then verifies row counts and a content checksum per table (rows serialised canonically and
hashed in primary-key order), so a migration is proven lossless, not assumed. PostgreSQL
sequences are moved past the copied ids so new rows do not collide.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from thematica.errors import ThematicaError
from thematica.store.models import Base
from thematica.store.project import Project, open_project

BATCH = 5_000


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class CopyReport:
    tables: list[TableCheck]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def _canonical(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def table_checks(connection: Connection) -> list[TableCheck]:
    """Row count and sha256 of every table's rows (columns in model order, rows in primary-key order)."""
    checks = []
    for table in Base.metadata.sorted_tables:
        digest = hashlib.sha256()
        rows = 0
        order = list(table.primary_key.columns)
        for row in connection.execute(select(*table.columns).order_by(*order)):
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False, default=str).encode())
            rows += 1
        checks.append(TableCheck(table.name, rows, digest.hexdigest()))
    return checks


def _is_empty(connection: Connection) -> bool:
    return all(connection.execute(select(func.count()).select_from(t)).scalar() == 0 for t in Base.metadata.sorted_tables)


def copy_project(source: Project, target: Project) -> CopyReport:
    """Copy all rows of ``source`` into the empty project ``target`` and verify the copy."""
    with source.engine.connect() as reader, target.engine.begin() as writer:
        if not _is_empty(writer):
            raise ThematicaError("the target project is not empty; migrate only into a new project",
                                 path=target.location)
        for table in Base.metadata.sorted_tables:
            result = reader.execute(select(table).order_by(*table.primary_key.columns))
            while batch := result.fetchmany(BATCH):
                writer.execute(table.insert(), [dict(row._mapping) for row in batch])
        if writer.dialect.name == "postgresql":
            _advance_sequences(writer)
    with source.engine.connect() as reader, target.engine.connect() as written:
        expected, actual = table_checks(reader), table_checks(written)
    if expected != actual:
        bad = [e.table for e, a in zip(expected, actual) if e != a]
        raise ThematicaError(f"copy verification failed for tables: {', '.join(bad)}", path=target.location)
    return CopyReport(actual)


def _advance_sequences(connection: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.primary_key.columns if c.autoincrement is True or
                   (c.autoincrement == "auto" and len(table.primary_key.columns) == 1 and c.type.python_type is int)]
        for column in columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": f'"{table.name}"', "column": column.name}
            ).scalar()
            if sequence:
                connection.execute(
                    text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'),
                    {"sequence": sequence},
                )


def migrate(source_location: str, target_location: str) -> CopyReport:
    """``thematica migrate SOURCE TARGET``: the target is created (SQLite) or must be an empty database."""
    with open_project(source_location) as source, open_project(target_location, create=True) as target:
        return copy_project(source, target)


def backup(project: Project, destination: Path) -> CopyReport:
    """An online backup to a new SQLite file; safe while coders are working.

    SQLite uses its online backup API (a consistent snapshot, pages copied while writers wait only
    briefly); PostgreSQL is copied table by table in one repeatable-read transaction, through the
    same verified path as ``migrate``.
    """
    destination = Path(destination)
    if destination.exists():
        raise ThematicaError("the backup file already exists", path=str(destination))
    if project.is_sqlite:
        target_connection = sqlite3.connect(destination)
        destination.chmod(0o600)
        raw = project.engine.raw_connection()
        try:
            cast(sqlite3.Connection, raw.driver_connection).backup(target_connection)
        finally:
            raw.close()
            target_connection.close()
        with open_project(destination) as copy, copy.engine.connect() as connection:
            return CopyReport(table_checks(connection))
    with open_project(destination, create=True) as target:
        return copy_project(project, target)


def restore(backup_file: Path, target_location: str) -> CopyReport:
    """Restore a backup into a new project (a file that does not exist yet, or an empty database)."""
    if "://" not in str(target_location) and Path(target_location).exists():
        raise ThematicaError("refusing to overwrite an existing project; restore into a new file", path=str(target_location))
    return migrate(str(backup_file), str(target_location))


def tables_present(connection: Connection) -> list[str]:
    return sorted(inspect(connection).get_table_names())
