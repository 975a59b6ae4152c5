"""Change notification for the workbench: on PostgreSQL every new audit event NOTIFYs listeners.

Every change writes an audit event, so one statement-level trigger on ``audit_event`` tells every
open workbench (``LISTEN thematica_changes``) that something changed — whichever program wrote it,
at no extra statement for the writer. SQLite needs nothing: ``PRAGMA data_version`` serves there.

Revision ID: 0005_workbench
Revises: 0008_review
"""

from alembic import op

revision = '0005_workbench'
down_revision = '0008_review'
branch_labels = None
depends_on = None

CHANNEL = "thematica_changes"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE OR REPLACE FUNCTION thematica_announce_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
    """)
    op.execute("CREATE TRIGGER audit_event_announce AFTER INSERT ON audit_event "
               "FOR EACH STATEMENT EXECUTE FUNCTION thematica_announce_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_announce ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS thematica_announce_change()")
