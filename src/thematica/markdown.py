"""Markdown tables whose cells cannot break them; every Markdown table Thematica writes goes through here.

A '|' inside a cell (|uα, a code name, a participant's words) would open a new column and a line
break would end the row, so the first is escaped and runs of whitespace become one space.
"""

from __future__ import annotations

from collections.abc import Iterable


def md_cell(value: object) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def md_row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(md_cell(cell) for cell in cells) + " |"


def md_table(headers: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    """The header, the separator and one line per row."""
    return [md_row(headers), "|" + "---|" * len(headers), *(md_row(row) for row in rows)]
