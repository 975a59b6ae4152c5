"""Migration 0005_workbench (PostgreSQL change notification) upgrades a project made by the
previous schema; on SQLite it changes nothing but the version."""

from __future__ import annotations

from sqlalchemy import create_engine

from thematica.coding.segments import apply_code
from thematica.corpus.importer import store_text
from thematica.interchange.codings_csv import export_rows
from thematica.store import migrations
from thematica.store.project import open_project


def test_a_project_made_by_schema_0001_is_upgraded_and_keeps_its_content(tmp_path):
    path = tmp_path / "old.thematica"
    path.touch(mode=0o600)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        migrations.upgrade(connection, "0001")
    engine.dispose()
    with open_project(path) as project:
        store_text(project, "T1", "R: Heel eng. (lacht) Er zaten veel mensen.\n")
        apply_code(project, 1, "anouk", 3, 12, code_path="Ervaring")
        with project.engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
    assert (tmp_path / "old.thematica.before-0001.bak").exists()
    with open_project(path) as project:
        assert [(r.code, r.start, r.end) for r in export_rows(project)] == [("Ervaring", 3, 12)]
