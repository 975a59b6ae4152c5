"""Team mode on a real PostgreSQL server: identity from the login role, blind mode and the append-only
consensus record enforced by row-level security — checked with raw SQL as each coder's role, not
only through Thematica."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from thematica.cli import main
from thematica.coding.consensus.meeting import Selection, decide, open_meeting, state
from thematica.coding.queries import visible_segments
from thematica.coding.segments import apply_code, set_document_status
from thematica.coding.team import connected_coder, resolve_coder
from thematica.coding.visibility import set_blind_mode
from thematica.corpus.importer import store_text
from thematica.errors import ThematicaError
from thematica.store.project import open_project

pytestmark = pytest.mark.postgres

TEXT = "R: De groep hielp. Ik durfde meer. Thuis ging het beter.\n"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role, password="pw-" + role).render_as_string(hide_password=False)


def span(part: str) -> tuple[int, int]:
    return TEXT.index(part), TEXT.index(part) + len(part)


def test_a_third_coder_stays_blind_on_the_server_checked_with_raw_sql(postgres_url, tmp_path, capsys):
    tag = uuid.uuid4().hex[:6]
    anouk, bas, carla = (f"{name}_{tag}" for name in ("anouk", "bas", "carla"))
    owner = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        assert cli(capsys, "team", "init", postgres_url, "--lead", anouk)[0] == 0
        for coder in (anouk, bas, carla):
            secret = tmp_path / f"{coder}.txt"
            secret.write_text(f"pw-{coder}\n", encoding="utf-8")
            code, out, _ = cli(capsys, "team", "add-coder", postgres_url, coder, "--password-file", str(secret))
            assert code == 0 and f"postgresql+psycopg://{coder}@" in out
        with open_project(postgres_url) as project:  # the owner imports the transcript
            store_text(project, "R1", TEXT, language="nl")
        projects = {coder: open_project(as_role(postgres_url, coder)) for coder in (anouk, bas, carla)}
        try:
            for coder, part, path in ((anouk, "De groep hielp.", "Groep"), (bas, "De groep hielp.", "Effect"),
                                      (anouk, "Ik durfde meer.", "Effect"), (bas, "Ik durfde meer.", "Effect"),
                                      (carla, "Thuis ging het beter.", "Twijfel")):
                apply_code(projects[coder], 1, coder, *span(part), code_path=path)
            for coder in (anouk, bas):
                set_document_status(projects[coder], 1, coder, "done")
            assert connected_coder(projects[carla]) == carla
            with pytest.raises(ThematicaError, match="may not name"):
                resolve_coder(projects[carla], anouk)
            code, _, err = cli(capsys, "code", as_role(postgres_url, carla), "--coder", anouk)
            assert code == 2 and "may not name" in err
            code, _, err = cli(capsys, "blind", as_role(postgres_url, carla), "off", "--as", anouk)
            assert code == 2 and "may not name" in err
            with pytest.raises(DBAPIError):  # the database refuses a segment in another coder's name
                apply_code(projects[carla], 1, anouk, *span("Ik durfde meer."), code_path="Twijfel")
            selection = Selection(anouk, bas)
            open_meeting(projects[anouk], selection, anouk)
            decide(projects[anouk], selection, state(projects[anouk], selection).next_passage, "both", anouk,
                   rationale="beide")
            with projects[carla].reading() as session:
                assert {s.coder for s in visible_segments(session, 1, carla)} == {carla}
        finally:
            for project in projects.values():
                project.close()

        with owner.connect() as connection:
            ids = dict(connection.execute(text("SELECT name, id FROM coder")).all())
            seeded = connection.execute(text("SELECT start, \"end\" FROM segment WHERE coder_id = :c"),
                                        {"c": ids[f"consensus:{anouk}+{bas}"]}).all()
        agreed = span("Ik durfde meer.")  # both coded it Effect: seeded under row-level security (joined to s1's)
        assert any(start <= agreed[0] and agreed[1] <= end for start, end in seeded), seeded
        carla_db = create_engine(as_role(postgres_url, carla))
        with carla_db.begin() as raw:  # raw SQL as carla, while blind
            seen = raw.execute(text("SELECT coder_id FROM segment")).scalars().all()
            assert set(seen) == {ids[carla]}
            assert raw.execute(text("UPDATE segment SET memo = 'x' WHERE coder_id = :a"),
                               {"a": ids[anouk]}).rowcount == 0
            assert raw.execute(text("DELETE FROM segment WHERE coder_id <> :c"), {"c": ids[carla]}).rowcount == 0
            assert raw.execute(text("SELECT count(*) FROM consensus_decision")).scalar() == 0
            assert raw.execute(text("UPDATE project_setting SET value = 'false' WHERE key = 'blind_mode'")).rowcount == 0
            assert raw.execute(text("SELECT count(*) FROM audit_event WHERE lower(actor) <> :me"),
                               {"me": carla}).scalar() == 0
        with carla_db.begin() as raw, pytest.raises(DBAPIError, match="row-level security"):
            raw.execute(text("INSERT INTO audit_event (at, actor, action, entity, detail) "
                             "VALUES (now(), :a, 'forged', '', '{}')"), {"a": anouk})
        with carla_db.begin() as raw, pytest.raises(DBAPIError, match="row-level security"):
            raw.execute(text("INSERT INTO segment (document_id, code_id, coder_id, start, \"end\", memo, created_at, "
                             "updated_at) VALUES (1, 1, :a, 0, 2, '', now(), now())"), {"a": ids[anouk]})
        for takeover in (f"UPDATE coder SET name_key = 'x' WHERE id = {ids[anouk]}",
                         "UPDATE document SET text = 'anders'", f"DELETE FROM coder WHERE id = {ids[anouk]}"):
            with carla_db.begin() as raw, pytest.raises(DBAPIError, match="permission denied"):
                raw.execute(text(takeover))
        with carla_db.begin() as raw, pytest.raises(DBAPIError, match="row-level security"):
            # a forged meeting whose "consensus coding" is anouk would let carla write anouk's segments
            raw.execute(text("INSERT INTO consensus_meeting (coder_a_id, coder_b_id, consensus_coder_id, unit, "
                             "include_unfinished, opened_by_id, opened_at) VALUES (:c, :b, :a, 'sentence', false, "
                             ":c, now())"), {"a": ids[anouk], "b": ids[bas], "c": ids[carla]})
        with carla_db.begin() as raw:
            assert raw.execute(text("UPDATE document_status SET status = 'in_progress' WHERE coder_id = :a"),
                               {"a": ids[anouk]}).rowcount == 0
        anouk_db = create_engine(as_role(postgres_url, anouk))
        with anouk_db.begin() as raw:  # the meeting's own coder: sees the pair and the record, cannot rewrite it
            seen = set(raw.execute(text("SELECT coder_id FROM segment")).scalars().all())
            assert seen == {ids[anouk], ids[bas], ids[f"consensus:{anouk}+{bas}"]}
            assert raw.execute(text("SELECT count(*) FROM consensus_decision")).scalar() == 1
        for rewrite in ("UPDATE consensus_decision SET rationale = 'anders'", "DELETE FROM consensus_decision",
                        "DELETE FROM consensus_decision_code", "UPDATE audit_event SET actor = 'x'",
                        "DELETE FROM audit_event"):
            with anouk_db.begin() as raw, pytest.raises(DBAPIError, match="permission denied"):
                raw.execute(text(rewrite))
        with anouk_db.begin() as raw:
            assert raw.execute(text("SELECT count(*) FROM consensus_decision")).scalar() == 1
        with open_project(as_role(postgres_url, anouk)) as project:  # the lead unblinds (logged)
            set_blind_mode(project, False, anouk, reason="analyse")
        with carla_db.begin() as raw:
            assert len(set(raw.execute(text("SELECT coder_id FROM segment")).scalars().all())) == 4
        carla_db.dispose()
        anouk_db.dispose()
    finally:
        with owner.connect() as connection:
            database = make_url(postgres_url).database
            for role in (anouk, bas, carla, f"thematica_{database}"):
                if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
                    connection.execute(text(f'DROP OWNED BY "{role}"'))
                    connection.execute(text(f'DROP ROLE "{role}"'))
        owner.dispose()
