"""The schema comes from Alembic migrations, matches the models, and newer/foreign files are refused."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from thematica.errors import ThematicaError
from thematica.store import migrations
from thematica.store.models import Base
from thematica.store.project import open_project


def test_migrations_from_an_empty_database_match_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        migrations.upgrade(connection)
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
        assert migrations.current_revision(connection) == migrations.head_revision()
    assert diff == []


def test_new_project_is_owner_only_and_uses_wal_and_foreign_keys(project, project_path):
    assert project_path.stat().st_mode & 0o777 == 0o600
    with project.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_project_from_a_newer_version_is_refused(project, project_path):
    project.close()
    connection = sqlite3.connect(project_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    with pytest.raises(ThematicaError, match="newer version"):
        open_project(project_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.thematica"
    path.write_text("dit is geen database\n")
    with pytest.raises(ThematicaError, match="not a Thematica project"):
        open_project(path)
    assert path.read_text() == "dit is geen database\n"


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(ThematicaError, match="unknown tables"):
        open_project(path)


def test_missing_project_is_not_created_silently(tmp_path):
    with pytest.raises(ThematicaError, match="no such project"):
        open_project(tmp_path / "missing.thematica")
    assert not (tmp_path / "missing.thematica").exists()


def test_an_empty_file_is_refused_unless_init_asks_for_a_project(tmp_path):
    path = tmp_path / "empty.thematica"
    path.touch()
    with pytest.raises(ThematicaError, match="empty file"):
        open_project(path)
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.thematica"]
    with open_project(path, create=True) as project, project.engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()


def test_a_foreign_database_keeps_its_journal_mode_and_bytes(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(ThematicaError, match="not a Thematica project"):
        open_project(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]
