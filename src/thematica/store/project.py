"""Opening a project: one database, addressed by a file path (SQLite) or a SQLAlchemy URL.

``open_project`` creates or upgrades the schema with Alembic (a file made by an older version is
backed up, then upgraded; one from a newer version is refused), sets SQLite's pragmas (foreign
keys on, WAL journal, busy timeout) and hands out one short transaction per user action.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from thematica.errors import ThematicaError
from thematica.output import make_private_folders
from thematica.staging import clean_stale_staging
from thematica.store import migrations

SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_url(location: str | os.PathLike[str]) -> bool:
    return "://" in str(location)


def describe(location: str | os.PathLike[str]) -> str:
    """The location as shown to users: a path, or a URL without its password."""
    if is_url(location):
        try:
            return make_url(str(location)).render_as_string(hide_password=True)
        except ArgumentError:
            return str(location)
    return str(location)


@dataclass
class Project:
    """An open project: the engine plus the session factory; use ``transaction()`` per user action."""

    location: str
    engine: Engine
    _sessions: sessionmaker[Session]
    _read_sessions: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return None if not self.is_sqlite or self.engine.url.database in (None, "", ":memory:") else Path(
            self.engine.url.database
        )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end; on SQLite it does not take the write lock)."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.close()  # ends the transaction without expiring what was loaded

    def close(self) -> None:
        self.engine.dispose()

    @classmethod
    def read_only(cls, path: Path) -> Project:
        """A project file opened for reading only (a backup being restored): nothing is written to
        it, not even the journal mode; its schema must already be checked by the caller."""
        engine = create_engine(f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true")
        event.listen(engine, "connect", _sqlite_read_only_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        return cls(location=str(path), engine=engine, _sessions=sessionmaker(reader, expire_on_commit=False),
                   _read_sessions=sessionmaker(reader, expire_on_commit=False))

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin); pysqlite's own implicit
    # BEGIN would be DEFERRED.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY_OPTION = "thematica_read_only"


def _sqlite_read_only_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Writers take SQLite's write lock up front (BEGIN IMMEDIATE), so the busy timeout applies.

    A DEFERRED transaction that reads and then writes cannot wait for a concurrent writer in WAL
    mode (SQLITE_BUSY_SNAPSHOT is returned at once); with IMMEDIATE, concurrent coders queue
    instead of seeing "database is locked". Read-only units of work stay DEFERRED.
    """
    mode = "DEFERRED" if connection.get_execution_options().get(READ_ONLY_OPTION) else "IMMEDIATE"
    connection.exec_driver_sql(f"BEGIN {mode}")


def _create_sqlite_file(path: Path) -> None:
    """Create an empty, owner-only (0600) database file: interview data is sensitive."""
    make_private_folders(path.parent)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileState:
    """What a project file holds, read without writing: its schema revision and its tables."""

    new: bool  # 0 bytes, or an SQLite database without any table: nothing to lose
    revision: str | None
    tables: tuple[str, ...]


def inspect_sqlite_file(path: Path) -> FileState:
    """Read a file's header and schema through a read-only connection, before anything writes to it.

    Nothing is changed here: not the journal mode (``PRAGMA journal_mode=WAL`` is a write, and
    other applications' files must not be touched), not the schema, not the permissions.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise ThematicaError(f"cannot read the project file ({error.strerror})", path=str(path)) from None
    if not header:
        return FileState(new=True, revision=None, tables=())
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise ThematicaError("not a Thematica project (not an SQLite database)", path=str(path))
    # Bytes 18-19 are 2 in WAL mode. Without a -wal file beside it the file holds every commit, so it
    # is read as immutable: SQLite then creates no -wal/-shm file next to someone else's database.
    wal_mode = header[18:20] == b"\x02\x02"
    flags = "mode=ro&immutable=1" if wal_mode and not path.with_name(path.name + "-wal").exists() else "mode=ro"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise ThematicaError(f"cannot open the project file ({error})", path=str(path)) from None
    try:
        tables = tuple(sorted(row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")))
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
    except sqlite3.DatabaseError as error:
        raise ThematicaError(f"not a Thematica project (damaged or foreign SQLite file: {error})",
                             path=str(path)) from None
    finally:
        connection.close()
    return FileState(new=not tables, revision=revision, tables=tables)


def check_project_file(path: Path, *, create: bool) -> FileState:
    """Refuse, before any write, a file that is not a Thematica project of a known schema.

    A 0-byte file or a table-less SQLite database becomes a project only when ``create`` (``init``)
    was asked for; another application's database (tables, no schema revision) and a project from
    a newer Thematica (a revision this version does not know) are refused unchanged.
    """
    state = inspect_sqlite_file(path)
    if state.new:
        if not create:
            raise ThematicaError("not a Thematica project (an empty file); make a project with 'thematica init'",
                                 path=str(path))
        return state
    if state.revision is None:
        raise ThematicaError("not a Thematica project (another application's database: unknown tables, no schema version)",
                             path=str(path))
    if not migrations.is_known(state.revision):
        raise ThematicaError(
            f"made by a newer version of Thematica (schema {state.revision}); upgrade Thematica to open it",
            path=str(path))
    return state


def make_engine(location: str | os.PathLike[str], *, create: bool) -> Engine:
    """Engine for a path (SQLite) or URL; a missing file is created only when ``create``."""
    if is_url(location):
        try:
            url = make_url(str(location))
        except ArgumentError as error:
            raise ThematicaError(f"not a database URL ({error})", path=describe(location)) from None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return make_engine(url.database, create=create)
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ImportError) as error:
            raise ThematicaError(f"cannot use this database URL ({error})", path=describe(location)) from None
        return engine
    if "\x00" in str(location):
        raise ThematicaError("a project path cannot contain a NUL character", path=repr(str(location)))
    try:
        path = Path(location).expanduser().resolve()
        exists, is_dir = path.exists(), path.is_dir()
    except OSError as error:
        raise ThematicaError(f"cannot use this path ({error.strerror})", path=str(location)[:200]) from None
    if is_dir:
        raise ThematicaError("is a folder, not a project file", path=str(location))
    if exists and not path.is_file():  # /dev/null, a pipe, a socket: never opened, chmod-ed or written
        raise ThematicaError("not a project file (a device, pipe or socket)", path=str(location))
    if not exists:
        if not create:
            raise ThematicaError("no such project (create it with 'thematica init')", path=str(location))
        _create_sqlite_file(path)
    else:
        check_project_file(path, create=create)
        if path.stat().st_size == 0:
            path.chmod(0o600)
    clean_stale_staging(path.parent)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def open_project(location: str | os.PathLike[str], *, create: bool = False, upgrade: bool = True) -> Project:
    """Open (or with ``create`` make) a project and bring its schema to the current version.

    Raises ``ThematicaError`` for a file that is not a database, a schema from a newer Thematica,
    or a server that cannot be reached.
    """
    engine = make_engine(location, create=create)
    shown = describe(location)
    try:
        with engine.connect() as connection:
            current = migrations.current_revision(connection)
            has_tables = bool(inspect(connection).get_table_names())
        if current is None and has_tables and not create:
            raise ThematicaError("not a Thematica project (unknown tables, no schema version)", path=shown)
        if current is not None and not migrations.is_known(current):
            raise ThematicaError(
                f"made by a newer version of Thematica (schema {current}); upgrade Thematica to open it", path=shown
            )
        if upgrade and current != migrations.head_revision():
            if current is not None and engine.dialect.name == "sqlite" and engine.url.database:
                _backup_before_upgrade(Path(engine.url.database), current)
            _upgrade(engine)
    except DatabaseError as error:
        engine.dispose()
        reason = str(error.orig).splitlines()[0] if error.orig else str(error).splitlines()[0]
        if "file is not a database" in reason:
            raise ThematicaError("not a Thematica project (not an SQLite database)", path=shown) from None
        raise ThematicaError(f"cannot open the project database ({reason})", path=shown) from None
    except ThematicaError:
        engine.dispose()
        raise
    reader = engine.execution_options(**{READ_ONLY_OPTION: True})
    return Project(location=shown, engine=engine, _sessions=sessionmaker(engine, expire_on_commit=False),
                   _read_sessions=sessionmaker(reader, expire_on_commit=False))


def _upgrade(engine: Engine) -> None:
    """Run the migrations in one transaction; on SQLite with foreign keys off while tables are rebuilt
    (SQLite's own recipe for changing a table), checked with ``foreign_key_check`` before commit."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                migrations.upgrade(connection)
                if raw is not None and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise ThematicaError("the schema upgrade left a broken reference; the project is unchanged")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _backup_before_upgrade(path: Path, revision: str) -> Path:
    """Copy the project file aside before a schema upgrade, so an upgrade can never lose a project."""
    backup = path.with_name(f"{path.name}.before-{revision}.bak")
    if not backup.exists():
        shutil.copy2(path, backup)
        backup.chmod(0o600)
    return backup


__all__ = ["OperationalError", "Project", "describe", "is_url", "make_engine", "open_project"]
