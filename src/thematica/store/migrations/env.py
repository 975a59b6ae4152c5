"""Alembic environment: runs on the connection ``open_project`` passes in (never from an ini file)."""

from alembic import context

from thematica.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Thematica runs its migrations through thematica.store.migrations.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
