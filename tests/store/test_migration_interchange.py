"""0003_interchange upgrades a project made by schema 0001: codes stay codable, coders and memos keep their rows."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine

from thematica.store import migrations
from thematica.store.project import open_project


def test_a_project_from_schema_0001_is_upgraded(tmp_path):
    path = tmp_path / "old.thematica"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        migrations.upgrade(connection, "0001")
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO coder (id, name, created_at) VALUES (1, 'anouk', '2026-01-01')")
    raw.execute("INSERT INTO code (id, name, color, definition, inclusion, exclusion, example, position, created_at) "
                "VALUES (1, 'Veiligheid', '#808080', '', '', '', '', 1, '2026-01-01')")
    raw.execute("INSERT INTO memo (id, title, text, created_at, updated_at) VALUES (1, 'm', 'ë', '2026-01-01', "
                "'2026-01-01')")
    raw.commit()
    raw.close()
    with open_project(path) as project:
        with project.reading() as session:
            from thematica.store.models import Code, Coder, Memo

            assert session.get(Code, 1).is_codable is True
            assert session.get(Coder, 1).guid is None
            memo = session.get(Memo, 1)
            assert (memo.text, memo.start, memo.end) == ("ë", None, None)
    assert (tmp_path / "old.thematica.before-0001.bak").exists()
