"""Alembic migrations shipped inside the package; run programmatically by ``open_project``.

Schema versions are Alembic revisions. A database whose revision this version does not know was
made by a newer Thematica and is refused rather than opened and damaged.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from thematica.store.schema_chain import shipped_chain

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = shipped_chain()[1]
    if head is None:  # several heads or none: Alembic's own answer (and error)
        head = _scripts().get_current_head()
    assert head is not None
    return head


def is_known(revision: str) -> bool:
    return revision in shipped_chain()[0]


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision (None: no version table or no row), read with one query."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).fetchall()
    if len(rows) > 1:  # branched versions: Alembic reports it
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()
    return str(rows[0][0]) if rows else None


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
