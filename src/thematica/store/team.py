"""Team mode on PostgreSQL: one login role per coder, a group role per project, row-level security.

The database itself enforces identity and blind mode, so a coder's own ``psql`` session obeys the
same rule as Thematica (``coding.visibility``):

* the coder is ``current_user`` (the coder row whose ``name_key`` is the role name);
* ``segment``: read the rows of coders the viewer may see (own; the pair and its consensus coding
  in an opened meeting; everyone's when the lead switched blind mode off); insert, update and
  delete only one's own segments, or the consensus coding of one's meeting (decisions rewrite it);
* ``memo``: read the visible coders' and the shared (no coder) memos; write only one's own;
* ``consensus_decision`` (and its codes): read and insert only as a member of the meeting or the
  lead, decided by oneself; never update or delete (append-only);
* ``audit_event``: insert only events naming oneself; read one's own (everyone's when not blind);
  never update or delete;
* ``project_setting`` (blind mode, the lead): written only by the lead;
* ``consensus_meeting``: opened only by one of its coders or the lead, with a consensus coding
  (``consensus:…``) of its own; never changed afterwards;
* ``document_status``: each coder marks only their own progress;
* ``coder``, ``document``, ``unit``: never changed by a coder (a renamed coder row could take over
  another coder's identity; document text is immutable).

Superusers and the owner of the tables (who runs ``team init`` and migrations) bypass row-level
security, as PostgreSQL defines it; coders must connect as their own, non-owner roles.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

GROUP_SETTING = "team_group_role"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION thematica_viewer_id() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT id FROM coder WHERE name_key = current_user::text $$;

CREATE OR REPLACE FUNCTION thematica_lead_id() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT value::integer FROM project_setting WHERE key = 'lead_coder_id' $$;

CREATE OR REPLACE FUNCTION thematica_is_blind() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT COALESCE(
     (SELECT value::boolean FROM project_setting WHERE key = 'blind_mode'),
     (SELECT count(*) >= 2 FROM coder c
       WHERE c.name_key <> 'consensus' AND c.name_key NOT LIKE 'consensus:%'
         AND c.id NOT IN (SELECT consensus_coder_id FROM consensus_meeting))) $$;

CREATE OR REPLACE FUNCTION thematica_in_meeting(meeting integer) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM consensus_meeting m WHERE m.id = meeting
                  AND (thematica_viewer_id() IN (m.coder_a_id, m.coder_b_id)
                       OR thematica_viewer_id() = thematica_lead_id())) $$;

CREATE OR REPLACE FUNCTION thematica_may_see(coder integer) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coder = thematica_viewer_id() OR NOT thematica_is_blind()
       OR EXISTS (SELECT 1 FROM consensus_meeting m
                   WHERE thematica_viewer_id() IN (m.coder_a_id, m.coder_b_id)
                     AND coder IN (m.coder_a_id, m.coder_b_id, m.consensus_coder_id)) $$;

CREATE OR REPLACE FUNCTION thematica_may_write(coder integer) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coder = thematica_viewer_id()
       OR EXISTS (SELECT 1 FROM consensus_meeting m
                   WHERE m.consensus_coder_id = coder AND thematica_in_meeting(m.id)) $$;
"""

POLICIES = {
    "segment": [
        "FOR SELECT USING (thematica_may_see(coder_id))",
        "FOR INSERT WITH CHECK (thematica_may_write(coder_id))",
        "FOR UPDATE USING (thematica_may_write(coder_id)) WITH CHECK (thematica_may_write(coder_id))",
        "FOR DELETE USING (thematica_may_write(coder_id))",
    ],
    "memo": [
        "FOR SELECT USING (coder_id IS NULL OR thematica_may_see(coder_id))",
        "FOR INSERT WITH CHECK (coder_id = thematica_viewer_id())",
        "FOR UPDATE USING (coder_id = thematica_viewer_id()) WITH CHECK (coder_id = thematica_viewer_id())",
        "FOR DELETE USING (coder_id = thematica_viewer_id())",
    ],
    "consensus_decision": [
        "FOR SELECT USING (thematica_in_meeting(meeting_id) OR NOT thematica_is_blind())",
        "FOR INSERT WITH CHECK (thematica_in_meeting(meeting_id) AND decided_by_id = thematica_viewer_id())",
    ],
    "consensus_decision_code": [
        "FOR SELECT USING (EXISTS (SELECT 1 FROM consensus_decision d WHERE d.id = decision_id))",
        "FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM consensus_decision d WHERE d.id = decision_id"
        " AND thematica_in_meeting(d.meeting_id)))",
    ],
    "audit_event": [
        "FOR SELECT USING (lower(actor) = current_user::text OR NOT thematica_is_blind())",
        "FOR INSERT WITH CHECK (lower(actor) = current_user::text)",
    ],
    "consensus_meeting": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (opened_by_id = thematica_viewer_id()"
        " AND (thematica_viewer_id() IN (coder_a_id, coder_b_id) OR thematica_viewer_id() = thematica_lead_id())"
        " AND (SELECT c.name_key FROM coder c WHERE c.id = consensus_coder_id) LIKE 'consensus:%'"
        " AND consensus_coder_id NOT IN (SELECT s.coder_id FROM segment s))",
    ],
    "document_status": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (coder_id = thematica_viewer_id())",
        "FOR UPDATE USING (coder_id = thematica_viewer_id()) WITH CHECK (coder_id = thematica_viewer_id())",
        "FOR DELETE USING (coder_id = thematica_viewer_id())",
    ],
    "project_setting": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (thematica_viewer_id() = thematica_lead_id())",
        "FOR UPDATE USING (thematica_viewer_id() = thematica_lead_id())",
        "FOR DELETE USING (thematica_viewer_id() = thematica_lead_id())",
    ],
}


def quoted(connection: Connection, identifier: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(identifier)


def group_role_name(database: str) -> str:
    return f"thematica_{database}"[:63]


def role_exists(connection: Connection, role: str) -> bool:
    return bool(connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar())


def install(connection: Connection, group: str) -> None:
    """Create the group role, its grants, the visibility functions and the row-level-security policies."""
    role = quoted(connection, group)
    if not role_exists(connection, group):
        connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    database = quoted(connection, connection.execute(text("SELECT current_database()")).scalar_one())
    connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {role}"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}"))
    connection.execute(text(f"REVOKE UPDATE, DELETE ON consensus_decision, consensus_decision_code, audit_event, "
                            f"consensus_meeting, coder FROM {role}"))
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON document, unit FROM {role}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    raw = connection.connection.dbapi_connection  # no bind parameters: the functions' LIKE patterns stay as written
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(FUNCTIONS)
    finally:
        cursor.close()
    for table, policies in POLICIES.items():
        connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        existing = connection.execute(text("SELECT policyname FROM pg_policies WHERE tablename = :t"),
                                      {"t": table}).scalars().all()
        for name in existing:
            connection.execute(text(f"DROP POLICY {quoted(connection, name)} ON {table}"))
        for number, policy in enumerate(policies):
            command, clauses = policy.split(" ", 2)[1], policy.split(" ", 2)[2]  # "FOR <command> <clauses>"
            connection.execute(text(f"CREATE POLICY thematica_{table}_{number} ON {table} FOR {command} TO {role} "
                                    f"{clauses}"))


def add_login_role(connection: Connection, role_name: str, password: str, group: str) -> bool:
    """A login role for a coder (created, or an existing one given a new password), made a member of
    the project's group role. Returns whether the role was created."""
    from psycopg import sql  # the password as a literal composed by the driver, never by string pasting

    role = quoted(connection, role_name)
    created = not role_exists(connection, role_name)
    statement = sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
        sql.SQL("CREATE" if created else "ALTER"), sql.Identifier(role_name), sql.Literal(password))
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(statement)  # psycopg takes a composed statement
    finally:
        cursor.close()
    connection.execute(text(f"GRANT {quoted(connection, group)} TO {role}"))
    return created


def current_role(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_user")).scalar_one())


def is_team_member(connection: Connection, group: str) -> bool:
    """Whether the connected role is a coder of the team: a member of the group role, not a superuser
    and not the tables' owner (those bypass row-level security)."""
    row = connection.execute(text(
        "SELECT r.rolsuper, pg_has_role(current_user, :g, 'MEMBER'), "
        "(SELECT tableowner FROM pg_tables WHERE tablename = 'segment' AND schemaname = 'public') = current_user "
        "FROM pg_roles r WHERE r.rolname = current_user"), {"g": group}).one()
    superuser, member, owner = row
    return bool(member) and not superuser and not owner
