"""The schema revisions this version of Thematica ships, read from the migration files themselves.

Apart from ``store.migrations`` (which imports SQLAlchemy and, on demand, Alembic) so that the
workbench's first frame (``store.first_look``) can check a project's schema before either loads.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


@lru_cache(maxsize=1)
def shipped_chain() -> tuple[frozenset[str], str | None]:
    """The shipped revisions and their head, from the version files' module-level ``revision`` and
    ``down_revision`` lines (a regular expression, not ``ast``: a full parse of the files took
    tens of milliseconds at every start); the head is None when the files do not end in exactly
    one head (Alembic then decides). ``tests/store/test_migration_chain.py`` holds it to Alembic's answer."""
    revisions: dict[str, object] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        values = {name: ast.literal_eval(value) for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8"))}
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


def is_current(revision: str | None) -> bool:
    """The revision is the shipped head (an unknown or branched chain is never 'current' here)."""
    head = shipped_chain()[1]
    return head is not None and revision == head
