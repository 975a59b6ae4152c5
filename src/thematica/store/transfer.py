"""Copying a whole project between databases (SQLite <-> PostgreSQL), verified; and online backups.

``copy_project`` copies every table in foreign-key order inside one transaction on the target,
then verifies row counts and a content checksum per table (rows serialised canonically and
hashed in primary-key order), so a migration is proven lossless, not assumed. PostgreSQL
sequences are moved past the copied ids so new rows do not collide.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from sqlalchemy import String, Table, create_engine, func, select, text
from sqlalchemy.engine import Connection

from thematica.errors import ThematicaError
from thematica.staging import private_file, terminate_cleanly
from thematica.store import migrations
from thematica.store.models import Base
from thematica.store.project import READ_ONLY_OPTION, Project, inspect_sqlite_file, open_project

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
    """Copy all rows of ``source`` (one snapshot of it) into the empty project ``target`` and verify
    the copy against that same snapshot."""
    with snapshot(source) as reader:
        with target.engine.begin() as writer:
            if not _is_empty(writer):
                raise ThematicaError("the target project is not empty; migrate only into a new project",
                                     path=target.location)
            for table in Base.metadata.sorted_tables:
                result = reader.execute(select(table).order_by(*table.primary_key.columns))
                while batch := result.fetchmany(BATCH):
                    rows = [dict(row._mapping) for row in batch]
                    if writer.dialect.name == "postgresql":
                        _check_storable(table, rows, source.location)
                    writer.execute(table.insert(), rows)
            if writer.dialect.name == "postgresql":
                _advance_sequences(writer)
        with target.engine.connect() as written:
            expected, actual = table_checks(reader), table_checks(written)
    if expected != actual:
        bad = [e.table for e, a in zip(expected, actual) if e != a]
        raise ThematicaError(f"copy verification failed for tables: {', '.join(bad)}", path=target.location)
    return CopyReport(actual)


def _check_storable(table: Table, rows: list[dict[str, object]], where: str) -> None:
    """Refuse, naming table, row and column, what PostgreSQL cannot store but an old SQLite project
    may hold: a NUL character in text, or text longer than its column (SQLite does not enforce
    ``VARCHAR(n)``). Nothing is written: the target transaction is rolled back."""
    limits = {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length}
    for row in rows:
        for column, value in row.items():
            if not isinstance(value, str):
                continue
            problem = None
            if "\x00" in value:
                problem = "contains a NUL character"
            elif column in limits and len(value) > limits[column]:
                problem = f"is {len(value)} characters long (the column holds {limits[column]})"
            if problem:
                key = ", ".join(f"{c.name}={row.get(c.name)}" for c in table.primary_key.columns)
                raise ThematicaError(f"cannot migrate: {table.name} ({key}) {column} {problem}; "
                                     "correct it in the source project first", path=where)


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


MANIFEST_TABLE = "thematica_backup_manifest"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class BackupReport:
    """A written (or a checked) backup: its per-table counts and checksums, as in its manifest."""

    path: str
    revision: str
    tables: list[TableCheck]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "revision": self.revision, "rows": self.rows,
                "tables": [{"table": t.table, "rows": t.rows, "checksum": t.checksum} for t in self.tables]}


@contextmanager
def snapshot(project: Project) -> Iterator[Connection]:
    """One consistent, read-only view of the whole project, however busy the coders are.

    PostgreSQL: one ``REPEATABLE READ, READ ONLY, DEFERRABLE`` transaction (a deferrable
    read-only serialisable-grade snapshot never fails with a serialisation error and never blocks
    writers); SQLite: one deferred read transaction (WAL readers see the commit they started at).
    """
    if project.is_sqlite:
        options: dict[str, object] = {READ_ONLY_OPTION: True}
    else:
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True,
                   "postgresql_deferrable": True}
    with project.engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _counts(connection: Connection) -> dict[str, int]:
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in Base.metadata.sorted_tables}


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_rows(reader: Connection, target: Path) -> None:
    with open_project(target, create=True) as copy, copy.engine.begin() as writer:
        for table in Base.metadata.sorted_tables:
            result = reader.execute(select(table).order_by(*table.primary_key.columns))
            while batch := result.fetchmany(BATCH):
                writer.execute(table.insert(), [dict(row._mapping) for row in batch])
    _self_contained(target)


def _self_contained(path: Path) -> None:
    """One file, no ``-wal``/``-shm`` beside it: a backup is copied and moved as a single file."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def _sqlite_online_backup(reader: Connection, target: Path) -> None:
    """SQLite's online backup API, run inside ``reader``'s read transaction (the same snapshot
    the counts were taken in); the copy is then switched to a self-contained rollback journal."""
    source = reader.connection.driver_connection
    assert source is not None
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
    _self_contained(target)


def _file_checks(path: Path, expected: dict[str, int] | None) -> tuple[str, list[TableCheck]]:
    """Check a backup file: SQLite ``integrity_check``, a known schema revision, and (when given)
    the row count of every table equal to the source snapshot's. Returns revision and checks."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            raise ThematicaError(f"not a usable backup (integrity check failed: {error})", path=str(path)) from None
        if integrity != ["ok"]:
            raise ThematicaError(f"not a usable backup (integrity check failed: {integrity[0]})", path=str(path))
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise ThematicaError("not a Thematica backup (no Thematica schema in it)", path=str(path))
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    revision = found[0] if found else None
    if revision is None or not migrations.is_known(revision):
        raise ThematicaError(f"not a backup this version can restore (schema {revision})", path=str(path))
    missing = [t.name for t in Base.metadata.sorted_tables if t.name not in tables]
    if revision == migrations.head_revision() and missing:
        raise ThematicaError(f"not a complete backup (tables missing: {', '.join(missing)})", path=str(path))
    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")
    try:
        with engine.connect() as reading:
            checks = table_checks(reading)
    finally:
        engine.dispose()
    if expected is not None:
        for check in checks:
            if check.rows != expected.get(check.table):
                raise ThematicaError(f"backup verification failed: table {check.table} has {check.rows} rows, "
                                     f"the source had {expected.get(check.table)}", path=str(path))
    return revision, checks


def _write_manifest(path: Path, revision: str, checks: list[TableCheck], source: str) -> None:
    manifest = {"format": MANIFEST_FORMAT, "revision": revision, "source": source,
                "made_at": datetime.now(timezone.utc).isoformat(),
                "tables": {c.table: {"rows": c.rows, "sha256": c.checksum} for c in checks}}
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(f"CREATE TABLE {MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES ('manifest', ?)", (json.dumps(manifest),))
    finally:
        connection.close()


def read_manifest(path: Path) -> dict[str, object] | None:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    if row is None:
        return None
    try:
        manifest = json.loads(row[0])
    except ValueError:
        return None
    return manifest if isinstance(manifest, dict) else None


def backup(project: Project, destination: Path) -> BackupReport:
    """An online backup to a new SQLite file that is either complete and verified, or absent.

    The copy is written to a staging file in the destination's folder, created 0600 from its first
    byte; it is taken from one snapshot of the source (see ``snapshot``) whose row counts are read
    in the same transaction; then checked (``integrity_check``, schema revision, every table's row
    count equal to the snapshot's), given a manifest (counts and sha256 per table), fsynced, and
    only then linked under the destination name (a link, so a file that appeared meanwhile is
    never overwritten) and the folder fsynced. A killed backup leaves nothing under the name; its
    staging file is removed at the next open of a project in that folder.
    """
    destination = Path(destination).expanduser()
    if destination.exists() or destination.is_symlink():
        raise ThematicaError("the backup file already exists; choose a new name", path=str(destination))
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        raise ThematicaError("the backup's folder does not exist", path=str(folder))
    staged = private_file(folder, ".backup")
    try:
        with terminate_cleanly():
            with snapshot(project) as reader:
                expected = _counts(reader)
                if project.is_sqlite:
                    _sqlite_online_backup(reader, staged)
                else:
                    _copy_rows(reader, staged)
            revision, checks = _file_checks(staged, expected)
            _write_manifest(staged, revision, checks, project.location)
            _fsync(staged)
            try:
                os.link(staged, destination)
            except FileExistsError:
                raise ThematicaError("the backup file already exists; choose a new name",
                                     path=str(destination)) from None
            except OSError as error:
                raise ThematicaError(f"cannot write the backup ({error.strerror})", path=str(destination)) from None
            _fsync(folder)
    finally:
        staged.unlink(missing_ok=True)
    return BackupReport(str(destination), revision, checks)


def verify_backup(backup_file: Path) -> BackupReport:
    """Check a backup against its own manifest without writing to it: refused when it is empty,
    not an SQLite file, without a Thematica schema or manifest, damaged, or when any table's row
    count or checksum differs from what the manifest recorded at backup time."""
    path = Path(backup_file).expanduser()
    if not path.exists():
        raise ThematicaError("no such backup file", path=str(path))
    if not path.is_file():
        raise ThematicaError("not a backup file (a folder or a special file)", path=str(path))
    if path.stat().st_size == 0:
        raise ThematicaError("not a backup (the file is empty)", path=str(path))
    state = inspect_sqlite_file(path)
    if state.revision is None:
        raise ThematicaError("not a Thematica backup (no Thematica schema in it)", path=str(path))
    manifest = read_manifest(path)
    if manifest is None or not isinstance(manifest.get("tables"), dict):
        raise ThematicaError("not a Thematica backup (no manifest; a project file is copied with 'thematica migrate')",
                             path=str(path))
    revision, checks = _file_checks(path, None)
    recorded = manifest["tables"]
    assert isinstance(recorded, dict)
    if set(recorded) != {c.table for c in checks}:
        raise ThematicaError("backup does not match its manifest (different tables)", path=str(path))
    for check in checks:
        entry = recorded[check.table]
        if not isinstance(entry, dict) or entry.get("rows") != check.rows:
            shown = entry.get("rows") if isinstance(entry, dict) else None
            raise ThematicaError(f"backup does not match its manifest: table {check.table} has {check.rows} rows, "
                                 f"the manifest says {shown}", path=str(path))
        if entry.get("sha256") != check.checksum:
            raise ThematicaError(f"backup does not match its manifest: the content of table {check.table} differs",
                                 path=str(path))
    return BackupReport(str(path), revision, checks)


def restore(backup_file: Path, target_location: str) -> CopyReport:
    """Restore a verified backup into a new project (a file that does not exist yet, or an empty database).

    The backup is verified against its manifest first; the copy is then verified row by row
    against the backup (``copy_project``), so "verified" is said only after both comparisons.
    """
    if "://" not in str(target_location) and (Path(target_location).exists() or Path(target_location).is_symlink()):
        raise ThematicaError("refusing to overwrite an existing project; restore into a new file", path=str(target_location))
    checked = verify_backup(Path(backup_file))
    if checked.revision != migrations.head_revision():
        folder = Path(target_location).parent if "://" not in str(target_location) else Path(backup_file).parent
        upgraded = private_file(folder, ".restore")
        try:
            with terminate_cleanly():
                upgraded.write_bytes(Path(backup_file).read_bytes())
                return migrate(str(upgraded), target_location)
        finally:
            upgraded.unlink(missing_ok=True)
    source = Project.read_only(Path(backup_file).expanduser())
    try:
        with open_project(target_location, create=True) as target:
            report = copy_project(source, target)
    finally:
        source.close()
    by_table = {c.table: c for c in checked.tables}
    for table in report.tables:
        if by_table.get(table.table) != table:
            raise ThematicaError(f"restore verification failed for table {table.table}", path=str(target_location))
    return report
