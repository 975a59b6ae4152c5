"""The document model's tables in a terminal of a given width without breaking a word.

A rich table that is too wide shrinks its columns and, with ``overflow="fold"``, breaks words
("ontwijkend|e"). Here every column keeps at least its longest word (header included; a no-break
space joins words, so "40.2 (8.4)" stays whole) and the text wraps between words. When the
columns do not fit side by side at those widths they are split into blocks printed one under the
other, each block repeating the first column (the stub that names the row). The widths are set here, not
left to rich, whose shrinking of a too-wide table does not keep to the longest word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thematica.reports.document import Table as ReportTable
from thematica.safe_text import terminal_safe

COLUMN_OVERHEAD = 3  # a space either side of the text and the rule to its right
EDGE = 1  # the table's left rule


def longest_word(text: str) -> int:
    """The width a column needs to show ``text`` with line breaks only between words. A no-break
    space joins (``str.split`` would break "[0.12,\u00a00.45]" there; ``reports.numbers`` sets
    it so that an interval or "χ²(1) = 1.06" stays whole)."""
    return max((len(word) for word in re.split(r"[ \t\n]+", text)), default=0)


def fitted_widths(naturals: Sequence[int], minimums: Sequence[int], width: int) -> list[int]:
    """Column widths that fit ``width`` (overheads included): each column at its natural width (its
    longest line), and while too wide the widest column that is still above its longest word loses one."""
    widths = [max(natural, minimum) for natural, minimum in zip(naturals, minimums)]
    room = width - EDGE - COLUMN_OVERHEAD * len(widths)
    while sum(widths) > room:
        shrinkable = [index for index, value in enumerate(widths) if value > minimums[index]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda index: (widths[index], -index))
        widths[widest] -= 1
    return widths


def column_blocks(minimums: Sequence[int], width: int) -> list[list[int]]:
    """Column indexes in blocks whose minimum widths fit ``width``; column 0 starts every block.

    A column too wide for any block with the stub gets a block of its own (rich folds only that)."""
    stub = EDGE + minimums[0] + COLUMN_OVERHEAD if minimums else 0
    blocks: list[list[int]] = []
    current: list[int] = [0]
    used = stub
    for index in range(1, len(minimums)):
        need = minimums[index] + COLUMN_OVERHEAD
        if len(current) > 1 and used + need > width:
            blocks.append(current)
            current, used = [0], stub
        current.append(index)
        used += need
    blocks.append(current)
    return blocks


def print_fitted_tables(console: Console, tables: Sequence[object]) -> None:
    """Each ``reports.document.Table`` of ``tables``: numbered title, the column blocks, the note."""
    number = 0
    for data in tables:
        if not isinstance(data, ReportTable):
            continue
        number += 1
        headers = [terminal_safe(header) for header in data.headers]
        rows = []
        for row in data.rows:
            cells = [terminal_safe(cell) for cell in row.cells] + [""] * (len(headers) - len(row.cells))
            if row.indent:
                cells[0] = "\u00a0\u00a0" * row.indent + cells[0]
            rows.append(cells)
        columns = [[header, *(cells[index] for cells in rows)] for index, header in enumerate(headers)]
        minimums = [max(longest_word(text) for text in texts) for texts in columns]
        naturals = [max(len(text) for text in texts) for texts in columns]
        console.print(Text(terminal_safe(f"Table {number}. {data.title}")))
        for block in column_blocks(minimums, console.width):
            table = Table()
            widths = fitted_widths([naturals[i] for i in block], [minimums[i] for i in block], console.width)
            for index, column_width in zip(block, widths):
                table.add_column(headers[index], justify=data.alignment(index), width=column_width, overflow="fold")
            for cells in rows:
                table.add_row(*[cells[index] for index in block])
            console.print(table)
        if data.note:
            console.print(Text(f"  Note. {terminal_safe(data.note)}", style="dim"))
