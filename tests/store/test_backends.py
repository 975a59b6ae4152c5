"""The same project behaviour on SQLite and PostgreSQL: migrations, round trips, copies, backups."""

from __future__ import annotations

from thematica.coding import segments
from thematica.corpus.importer import store_text
from thematica.interchange.codings_csv import export_rows
from thematica.store import transfer
from thematica.store.migrations import current_revision, head_revision
from thematica.store.project import open_project

TEXT = "I: Wat hielp?\n\nR: De groep hielp. De therapeut ook. Ideeën van één café.\n"


def _fill(project) -> None:
    store_text(project, "R1", TEXT, case="R1")
    segments.apply_code(project, 1, "anouk", 18, 33, code_path="Groep/Steun", memo="ë")
    segments.apply_code(project, 1, "bas", 34, 50, code_path="Therapeut")


def test_migrations_and_a_coding_round_trip_on_each_backend(any_location):
    with open_project(any_location, create=True) as project:
        with project.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
        _fill(project)
    with open_project(any_location) as project:
        rows = export_rows(project)
    assert [(r.document, r.start, r.end, r.code, r.coder, r.memo) for r in rows] == [
        ("R1", 18, 33, "Groep/Steun", "anouk", "ë"),
        ("R1", 34, 50, "Therapeut", "bas", ""),
    ]


def test_migrate_sqlite_to_postgres_and_back_is_lossless(tmp_path, postgres_url):
    source = tmp_path / "source.thematica"
    with open_project(source, create=True) as project:
        _fill(project)
    report = transfer.migrate(str(source), postgres_url)
    assert report.rows > 0
    back = tmp_path / "back.thematica"
    transfer.migrate(postgres_url, str(back))
    with open_project(source) as a, open_project(back) as b, a.engine.connect() as ca, b.engine.connect() as cb:
        assert transfer.table_checks(ca) == transfer.table_checks(cb)
    with open_project(postgres_url) as project:  # sequences advanced: new rows get fresh ids
        segments.apply_code(project, 1, "anouk", 0, 10, code_path="Vraag")


def test_backup_and_restore_reproduce_the_project(tmp_path):
    source = tmp_path / "source.thematica"
    with open_project(source, create=True) as project:
        _fill(project)
        transfer.backup(project, tmp_path / "backup.thematica")
    assert (tmp_path / "backup.thematica").stat().st_mode & 0o777 == 0o600
    transfer.restore(tmp_path / "backup.thematica", str(tmp_path / "restored.thematica"))
    with open_project(source) as a, open_project(tmp_path / "restored.thematica") as b:
        with a.engine.connect() as ca, b.engine.connect() as cb:
            assert transfer.table_checks(ca) == transfer.table_checks(cb)
