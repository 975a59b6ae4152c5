"""Migration 0002_independence, run on a project made by the previous schema (revision 0001)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from sqlalchemy import create_engine

from thematica.coding.consensus.meeting import decision_log, meetings
from thematica.coding.segments import apply_code, remove_segment
from thematica.coding.visibility import is_blind, visibility_report
from thematica.store import migrations
from thematica.store.models import AUTOINCREMENT_TABLES
from thematica.store.project import open_project

TEXT = "R: De groep hielp. Ik durfde meer.\n"
NOW = "2026-11-20 10:00:00.000000"


_OLD_ROWS = f"""
        INSERT INTO coder (id, name, created_at) VALUES (1, 'anouk', '{NOW}'), (2, 'bas', '{NOW}'),
            (3, 'consensus', '{NOW}'), (4, 'Carla ', '{NOW}'), (5, 'carla', '{NOW}');
        INSERT INTO document (id, name, text, language, sha256, position, length, word_count, imported_at)
            VALUES (1, 'R1', '{TEXT}', 'nl', 'x', 0, {len(TEXT)}, 7, '{NOW}');
        INSERT INTO code (id, name, color, definition, inclusion, exclusion, example, position, created_at)
            VALUES (1, 'Groep', '#808080', '', '', '', '', 0, '{NOW}'), (2, 'Effect', '#808080', '', '', '', '', 1, '{NOW}');
        INSERT INTO segment (id, document_id, code_id, coder_id, start, "end", memo, created_at, updated_at) VALUES
            (1, 1, 1, 1, 3, 18, '', '{NOW}', '{NOW}'), (2, 1, 1, 2, 3, 18, '', '{NOW}', '{NOW}'),
            (3, 1, 2, 1, 19, 34, '', '{NOW}', '{NOW}'), (4, 1, 1, 2, 19, 34, '', '{NOW}', '{NOW}'),
            (5, 1, 1, 3, 3, 18, '', '{NOW}', '{NOW}'), (6, 1, 2, 3, 19, 34, '', '{NOW}', '{NOW}'),
            (7, 1, 2, 5, 19, 34, '', '{NOW}', '{NOW}');
        INSERT INTO consensus_decision (document_id, start, "end", coder_a, coder_b, codes_a, codes_b, decision,
            codes_decided, rationale, decided_by, decided_at)
            VALUES (1, 19, 34, 'anouk', 'bas', 'Effect', 'Groep', 'keep_a', 'Effect', 'durven is effect', '', '{NOW}');
        INSERT INTO project_setting (key, value) VALUES ('blind_mode', 'false');
        INSERT INTO audit_event (at, actor, action, entity, detail) VALUES
            ('{NOW}', 'anouk', 'blind_mode.set', 'project',
             '{json.dumps({"before": True, "after": False, "reason": "consensus meeting anouk / bas"})}'),
            ('{NOW}', 'anouk', 'consensus.open', 'project', '{json.dumps({"coder_a": "anouk", "coder_b": "bas"})}');
"""


def _old_project(path):
    """A 0001 project as the previous version left it after one consensus meeting of anouk and bas."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        migrations.upgrade(connection, "0001")
    engine.dispose()
    db = sqlite3.connect(path)
    db.executescript(_OLD_ROWS)
    db.commit()
    db.close()


def test_an_old_project_gets_meetings_a_log_by_id_name_keys_and_blind_mode_back(tmp_path):
    path = tmp_path / "old.thematica"
    _old_project(path)
    with open_project(path) as project:
        assert [(m.coder_a, m.coder_b, m.consensus, m.opened_by) for m in meetings(project)] == [
            ("anouk", "bas", "consensus:anouk+bas", "anouk")]
        [row] = decision_log(project)
        assert (row.meeting, row.codes_a, row.codes_b, row.codes_decided, row.decided_by,
                row.rationale) == ("consensus:anouk+bas", "Effect", "Groep", "Effect", "anouk", "durven is effect")
        with project.reading() as session:
            assert is_blind(session)  # the project-wide unblinding of the old meeting is undone
        seen = visibility_report(project).visibility
        assert seen["anouk"] == ["anouk", "bas", "consensus:anouk+bas"]
        assert "consensus:anouk+bas" not in seen.get("carla", [])
    assert (tmp_path / "old.thematica.before-0001.bak").exists()
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM segment").fetchone()[0] == 7
    keys = dict(db.execute("SELECT name, name_key FROM coder").fetchall())
    assert keys["carla"] == "carla" and keys["Carla "] == "carla#4"  # an old double stays, told apart
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in AUTOINCREMENT_TABLES:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
    db.close()


def test_after_the_migration_an_id_is_never_handed_out_twice(tmp_path):
    path = tmp_path / "old.thematica"
    _old_project(path)
    with open_project(path) as project:
        newest = apply_code(project, 1, "anouk", 0, 2, code_path="Groep")
        remove_segment(project, newest.id, "anouk")
        again = apply_code(project, 1, "anouk", 0, 2, code_path="Groep")
        assert again.id > newest.id > 7
        with project.engine.connect() as connection:  # foreign keys are on again after the upgrade
            assert connection.connection.dbapi_connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_new_project_has_autoincrement_everywhere(project, project_path):
    project.close()
    db = sqlite3.connect(project_path)
    for table in AUTOINCREMENT_TABLES:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
    db.close()


@pytest.mark.postgres
def test_the_migration_carries_an_old_meeting_over_on_postgresql(postgres_url):
    from sqlalchemy import text

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        migrations.upgrade(connection, "0001")
        for statement in _OLD_ROWS.split(";"):
            if statement.strip():
                connection.execute(text(statement.replace(":", r"\:")))
        for table in ("coder", "document", "code", "segment"):  # the rows above gave their ids explicitly
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    engine.dispose()
    with open_project(postgres_url) as project:
        [row] = decision_log(project)
        assert (row.meeting, row.codes_a, row.codes_b, row.decided_by) == (
            "consensus:anouk+bas", "Effect", "Groep", "anouk")
        with project.reading() as session:
            assert is_blind(session)
        newest = apply_code(project, 1, "anouk", 0, 2, code_path="Groep")
        assert newest.id > 7  # the explicit ids of the old rows do not collide with the sequence
