"""The schema check at every start reads the shipped revisions without Alembic; it must give
Alembic's answers (head, known revisions) and the database's revision as Alembic reads it."""

from __future__ import annotations

import subprocess
import sys

from alembic.runtime.migration import MigrationContext

from thematica.store import migrations, schema_chain
from thematica.store.project import open_project


def test_the_revisions_read_from_the_files_are_alembics():
    scripts = migrations._scripts()
    assert migrations.head_revision() == scripts.get_current_head()
    assert schema_chain.shipped_chain()[0] == {script.revision for script in scripts.walk_revisions()}
    assert not migrations.is_known("9999_from_a_newer_thematica")


def test_the_database_revision_is_read_as_alembic_reads_it(tmp_path):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        with project.engine.connect() as connection:
            assert migrations.current_revision(connection) == MigrationContext.configure(
                connection).get_current_revision() == migrations.head_revision()
    import sqlalchemy

    empty = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with empty.connect() as connection:
        assert migrations.current_revision(connection) is None
    empty.dispose()


def test_opening_a_current_project_does_not_import_alembic(tmp_path):
    path = tmp_path / "p.thematica"
    open_project(path, create=True).close()
    code = (f"import sys; from thematica.store.project import open_project; open_project({str(path)!r}).close(); "
            "print('alembic' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
