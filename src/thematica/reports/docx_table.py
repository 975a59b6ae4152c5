"""One way to put a table into a python-docx document, so every report's tables look alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TABLE_STYLE = "Light Grid Accent 1"


def add_table(document, headers: Sequence[str], rows: Iterable[Sequence[object]]):
    """A header row, then one row per item (values written with ``str``); returns the table."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = TABLE_STYLE
    for cell, title in zip(table.rows[0].cells, headers):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = str(value)
    return table
