"""What the workbench's first frame needs, read with the standard library's ``sqlite3``.

Starting the workbench imports Textual (about 170 ms) and SQLAlchemy with the models (about
250 ms); the first frame needs only the first document, its units and segments and the codebook.
So a local project at the shipped schema is read here, before SQLAlchemy is imported, with the
same queries in the same order as ``store.coders``, ``store.codes``, ``store.documents``,
``store.cases`` and ``store.segments``, in one read transaction on a read-only connection. The
full session opens after the first frame (``tui.screens.workbench``).

Anything else — a server URL, a schema that is not the shipped head, a file that is not a
project or cannot be read now — gives None, and the workbench starts the ordinary way, which
upgrades, refuses or reports as it always does. Nothing here writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from thematica.store.rows import CodeRow, SegmentRow
from thematica.store.coder_keys import name_key
from thematica.store.schema_chain import is_current

DocumentHead = tuple[int, str, "str | None", "int | None", str]
"""(id, name, case label, case id, text) of a document."""

Units = dict[str, list[tuple[int, int, "str | None"]]]
T = TypeVar("T")


class FirstLookReader:
    """The reads of the first frame on one read-only connection inside one transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def coder_id(self, name: str) -> int | None:
        row = self._connection.execute("SELECT id FROM coder WHERE name_key = ?", (name_key(name),)).fetchone()
        return None if row is None else int(row[0])

    def coders(self) -> list[tuple[int, str]]:
        """(id, name) of every coder, by name (``store.coders.all_coders``)."""
        return [(int(i), str(n)) for i, n in self._connection.execute("SELECT id, name FROM coder ORDER BY name")]

    def setting(self, key: str) -> object:
        """A project setting's value (JSON), None when unset (``store.settings.get_setting``)."""
        row = self._connection.execute("SELECT value FROM project_setting WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def meetings(self) -> list[tuple[int, int, int]]:
        """(coder A, coder B, consensus coder) of every consensus meeting, by id."""
        rows = self._connection.execute(
            "SELECT coder_a_id, coder_b_id, consensus_coder_id FROM consensus_meeting ORDER BY id")
        return [(int(a), int(b), int(c)) for a, b, c in rows]

    def code_rows(self) -> list[CodeRow]:
        """Every code in sibling order (``store.codes.code_rows``)."""
        rows = self._connection.execute(
            "SELECT id, parent_id, name, color, definition, inclusion, exclusion, example FROM code "
            "ORDER BY position, name")
        return [CodeRow(*row) for row in rows]

    def first_document(self) -> DocumentHead | None:
        """The first document in reading order (``store.documents.document_rows``) with its text."""
        row = self._connection.execute(
            'SELECT document.id, document.name, "case".label, document.case_id, document.text FROM document '
            'LEFT OUTER JOIN "case" ON "case".id = document.case_id ORDER BY document.position, document.id '
            "LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]), row[2], row[3], str(row[4]))

    def units(self, document_id: int) -> Units:
        """``{kind: [(start, end, speaker)]}`` in reading order (``store.documents.units_by_kind``)."""
        units: Units = {"sentence": [], "turn": [], "paragraph": []}
        rows = self._connection.execute(
            'SELECT kind, start, "end", speaker FROM unit WHERE document_id = ? ORDER BY kind, start, "end"',
            (document_id,))
        for kind, start, end, speaker in rows:
            units.setdefault(kind, []).append((start, end, speaker))
        return units

    def case_values(self, case_id: int) -> list[tuple[str, str | None]]:
        """(attribute, value) of a case (``store.cases.case_values``)."""
        rows = self._connection.execute(
            "SELECT attribute.name, case_value.value FROM attribute JOIN case_value ON case_value.attribute_id = "
            "attribute.id WHERE case_value.case_id = ? ORDER BY attribute.position, attribute.name", (case_id,))
        return [(str(name), value) for name, value in rows]

    def segments(self, document_id: int, coder_ids: Sequence[int]) -> list[SegmentRow]:
        """``(id, document_id, code_id, coder_id, start, end, memo)`` of the given coders only, the
        visibility rule applied in the query as ``store.segments.segment_tuples_of_document`` does."""
        marks = ", ".join("?" for _ in coder_ids) or "NULL"
        rows = self._connection.execute(
            'SELECT id, document_id, code_id, coder_id, start, "end", memo FROM segment '
            f"WHERE document_id = ? AND coder_id IN ({marks}) ORDER BY start, \"end\", id",
            (document_id, *coder_ids))
        return [tuple(row) for row in rows]


def read_first_look(location: str, read: Callable[[FirstLookReader], T]) -> T | None:
    """``read`` run on a reader of the project file at ``location`` inside one read transaction, or
    None when the ordinary start must decide (see above)."""
    path = Path(location)
    if "://" in location or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5,
                                     isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if len(versions) != 1 or not is_current(versions[0][0]):
            return None
        return read(FirstLookReader(connection))
    except sqlite3.Error:  # not a database, not a project, busy beyond the timeout
        return None
    finally:
        connection.close()
