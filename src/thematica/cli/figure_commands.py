"""``thematica figure``: the qualitative figures (framework matrix, co-occurrence, frequencies per
coder, saturation, document portrait) as SVG, PDF or PNG; the matrices also as a terminal table."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from thematica.cli.common import ProjectArgument, console, open_existing
from thematica.errors import ThematicaError

if TYPE_CHECKING:
    from thematica.reports.figures.qualitative_data import Matrix


class FigureKind(str, Enum):
    matrix = "matrix"
    cooccurrence = "cooccurrence"
    frequencies = "frequencies"
    saturation = "saturation"
    portrait = "portrait"


class MatrixUnit(str, Enum):
    segments = "segments"
    characters = "characters"


class Similarity(str, Enum):
    counts = "counts"
    jaccard = "jaccard"


class Basis(str, Enum):
    unit = "unit"
    overlap = "overlap"


def figure(project: str = ProjectArgument, kind: FigureKind = typer.Argument(..., help="Which figure."),
           document: str | None = typer.Argument(None, help="The document (portrait only)."),
           out: Path | None = typer.Option(None, "--out", help="FILE.svg, .pdf or .png (300 dpi); omit for a "
                                           "terminal table (matrix, cooccurrence, frequencies)."),
           coder: str | None = typer.Option(None, "--coder", help="One coder's coding (default: consensus)."),
           by: MatrixUnit = typer.Option(MatrixUnit.segments, "--by", help="matrix: segments or coded characters."),
           group_by: str | None = typer.Option(None, "--group-by", help="matrix: group cases by this attribute."),
           measure: Similarity = typer.Option(Similarity.counts, "--measure", help="cooccurrence: counts or jaccard."),
           basis: Basis = typer.Option(Basis.unit, "--basis", help="cooccurrence: same sentence or overlapping "
                                       "segments.")) -> None:
    """Draw a qualitative figure: 'figure P matrix --out m.svg', 'figure P portrait R1 --out r1.pdf'."""
    from thematica.reports.figures import qualitative, qualitative_data as data
    from thematica.reports.figures.render import figure_format, write_figure
    from thematica.themes.analysis import saturation
    from thematica.themes.data import load_material

    fmt = figure_format(out) if out is not None else None
    if kind is FigureKind.portrait and not document:
        raise ThematicaError("a portrait needs a document: 'thematica figure P portrait R1 --out r1.svg'")
    if kind is not FigureKind.portrait and document:
        raise ThematicaError("only the portrait takes a document")
    if fmt is None and kind in (FigureKind.saturation, FigureKind.portrait):
        raise ThematicaError(f"the {kind.value} figure needs --out FILE.svg|.pdf|.png "
                             "(for the numbers: 'thematica saturation')")
    with open_existing(project) as opened:
        if kind is FigureKind.frequencies:
            matrix = data.frequencies(opened, [coder] if coder else None)
        else:
            material = load_material(opened, coder)
            if not material.segments:
                raise ThematicaError("no coded segments yet")
            if kind is FigureKind.matrix:
                matrix = data.framework(material, by.value, data.case_attributes(opened), group_by)
            elif kind is FigureKind.cooccurrence:
                matrix = data.cooccurrence_matrix(material, measure.value, basis.value)
            elif kind is FigureKind.saturation:
                assert fmt is not None and out is not None
                write_figure(out, qualitative.saturation_curve(saturation(material), fmt, material.coding))
                typer.echo(f"wrote {out}")
                return
            else:
                assert fmt is not None and out is not None and document is not None
                write_figure(out, qualitative.portrait_plot(data.portrait(material, document), fmt))
                typer.echo(f"wrote {out}")
                return
    if (fmt is None or out is None) and kind is FigureKind.cooccurrence:
        print_numbered_matrix(matrix)
        return
    if fmt is None or out is None:
        table = Table(title=matrix.title, title_justify="left")
        table.add_column("")
        for column in matrix.columns:
            table.add_column(column, justify="right")
        jaccard = matrix.unit == "Jaccard similarity"
        for name, row in zip(matrix.rows, matrix.values):
            table.add_row(name, *[(f"{v:.2f}" if jaccard else str(int(v))) for v in row])
        console.print(table)
        return
    draw = qualitative.frequency_bars if kind is FigureKind.frequencies else qualitative.heatmap
    write_figure(out, draw(matrix, fmt))
    typer.echo(f"wrote {out}")


def numbered_matrix_tables(matrix: Matrix, width: int) -> list[Table]:
    """A square code × code matrix as tables no wider than ``width``: rows and columns numbered 1..n
    (the key below the tables gives the full names, as the workbench's co-occurrence view does), the
    columns split into blocks that fit side by side, each block repeating the row numbers."""
    jaccard = matrix.unit == "Jaccard similarity"
    cells = [[f"{v:.2f}" if jaccard else str(int(v)) for v in row] for row in matrix.values]
    numbers = [str(number) for number in range(1, len(matrix.rows) + 1)]
    cell = max((len(text) for text in [*numbers, *(c for row in cells for c in row)]), default=1)
    label = max((len(n) for n in numbers), default=1)
    per_block = max(1, (width - label - 3) // (cell + 3))  # a column: its text, a space each side, a rule
    tables = []
    for first in range(0, len(numbers), per_block):
        block = range(first, min(first + per_block, len(numbers)))
        table = Table(box=box.SQUARE, show_edge=False, pad_edge=True)
        table.add_column("", justify="right", no_wrap=True)
        for index in block:
            table.add_column(numbers[index], justify="right", no_wrap=True, min_width=cell)
        for number, row in zip(numbers, cells):
            table.add_row(number, *[row[index] for index in block])
        tables.append(table)
    return tables


def print_numbered_matrix(matrix: Matrix) -> None:
    """The co-occurrence matrix in the terminal: its title, the numbered tables, then the key."""
    from rich.text import Text

    from thematica.safe_text import terminal_safe

    console.print(Text(terminal_safe(matrix.title)))
    for table in numbered_matrix_tables(matrix, console.width):
        console.print(table)
    for number, name in enumerate(matrix.rows, start=1):
        console.print(Text(f"{number:>{len(str(len(matrix.rows)))}}  {terminal_safe(name)}"))


def register(app: typer.Typer) -> None:
    app.command()(figure)
