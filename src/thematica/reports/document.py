"""The one document model every report is built in; a writer per format (``reports.writers``) renders it.

A builder turns result objects into a :class:`Document`; it never calls a service. Tables are
numbered by the writer in order of appearance ("Table 1", "Tabel 1"), as are figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Run:
    """A piece of text in one style; ``subscript`` for a statistic's index (dₐᵥ: "d" italic, "av" subscript)."""

    text: str
    bold: bool = False
    italic: bool = False
    subscript: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Literal["body", "caption", "small"] = "body"

    @staticmethod
    def of(text: str, italic: bool = False, bold: bool = False) -> Paragraph:
        return Paragraph((Run(text, bold=bold, italic=italic),))

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Row:
    """One table row; ``indent`` 1 puts the stub under a group row (Table 1's categories), and a
    ``group`` row carries only its stub (a variable's name above its levels)."""

    cells: tuple[str, ...]
    indent: int = 0
    group: bool = False


@dataclass(frozen=True)
class Table:
    """An APA table: number (by the writer), italic title, header, rows, a note below.

    ``align`` gives each column's alignment (numbers right, stub left). ``wide`` asks for a
    landscape page in DOCX when the columns do not fit the portrait width. ``note_runs``, when
    given, is the note with its notation styled (italic symbols, subscripts); ``note`` is then
    the same note as plain text."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    align: tuple[Align, ...] = ()
    note: str = ""
    note_runs: tuple[Run, ...] = ()

    @property
    def note_parts(self) -> tuple[Run, ...]:
        """The note as runs: ``note_runs`` when given, else ``note`` as one plain run."""
        return self.note_runs or ((Run(self.note),) if self.note else ())

    def alignment(self, column: int) -> Align:
        if column < len(self.align):
            return self.align[column]
        return "left" if column == 0 else "right"


@dataclass(frozen=True)
class Figure:
    """A figure as its producer made it: SVG for HTML, PNG for DOCX (and Markdown's companion file).

    ``width_cm`` is the printed width; the producer sizes its fonts for it. ``landscape`` puts it
    on a landscape page in DOCX (a map needs the 24.7 cm of an A4 page on its side)."""

    title: str
    svg: bytes | None = None
    png: bytes | None = None
    note: str = ""
    width_cm: float = 16.0
    name: str = "figure"
    landscape: bool = False


@dataclass(frozen=True)
class Quote:
    text: str
    case: str


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 1


Block = Union[Paragraph, BulletList, Table, Figure, Quote, Section]


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    author: str = ""
    language: str = "en"
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [block for block in walk(self.blocks) if isinstance(block, Table)]

    def figures(self) -> list[Figure]:
        return [block for block in walk(self.blocks) if isinstance(block, Figure)]


def walk(blocks: tuple[Block, ...]) -> list[Block]:
    """Every block in reading order, sections' contents included."""
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section):
            found.extend(walk(block.blocks))
    return found
