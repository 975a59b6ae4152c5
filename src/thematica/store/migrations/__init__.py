"""Alembic migrations shipped inside the package; run programmatically by ``open_project``.

Schema versions are Alembic revisions. A database whose revision this version does not know was
made by a newer Thematica and is refused rather than opened and damaged.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

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


@lru_cache(maxsize=1)
def _chain() -> tuple[frozenset[str], str | None]:
    """The shipped revisions and their head, read from the version files' ``revision`` and
    ``down_revision`` without importing Alembic (about 0.2 s at every start of the workbench);
    the head is None when the files do not end in exactly one head (Alembic then decides)."""
    revisions: dict[str, object] = {}
    for path in sorted((HERE / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    values[target.id] = ast.literal_eval(value)
        if isinstance(values.get("revision"), str):
            revisions[str(values["revision"])] = values.get("down_revision")
    below: set[str] = set()
    for down in revisions.values():
        if isinstance(down, str):
            below.add(down)
        elif isinstance(down, (tuple, list)):
            below.update(str(item) for item in down)
    heads = [revision for revision in revisions if revision not in below]
    return frozenset(revisions), heads[0] if len(heads) == 1 else None


def head_revision() -> str:
    head = _chain()[1]
    if head is None:  # several heads or none: Alembic's own answer (and error)
        head = _scripts().get_current_head()
    assert head is not None
    return head


def is_known(revision: str) -> bool:
    return revision in _chain()[0]


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
