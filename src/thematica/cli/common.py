"""Shared CLI pieces: opening a project from an argument, output choices, writing results."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from thematica.files import write_private
from thematica.jsonsafe import dumps
from thematica.output import is_standard_output
from thematica.store.project import Project, open_project

console = Console(highlight=False)

ProjectArgument = typer.Argument(..., help="Project file (SQLite) or SQLAlchemy URL (postgresql+psycopg://...).")


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


def open_existing(location: str) -> Project:
    return open_project(location, create=False)


def to_json(data: Any) -> str:
    """Full precision; NaN and infinities as null."""
    return dumps(data)


def emit(text: str, out: Path | None) -> None:
    """Print ``text`` or write it owner-only to ``out``."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_private(out, text if text.endswith("\n") else text + "\n")
        if not is_standard_output(out):
            typer.echo(f"wrote {out}", err=True)


LanguageOption = typer.Option(None, "--language", help="Report language: nl or en (default: the project's, "
                                                       "set with 'thematica init --language').")


def print_tables(tables: list[Any]) -> None:
    """The document model's tables in the terminal: numbers right-aligned, no word broken, columns
    that do not fit in blocks under each other (``cli.fitted_tables``), the note below."""
    from thematica.cli.fitted_tables import print_fitted_tables

    print_fitted_tables(console, tables)


def write_report(document: Any, fmt: str, out: Path | None) -> None:
    """Markdown to standard output when there is no ``--out``; HTML and DOCX need a file."""
    from thematica.errors import ThematicaError
    from thematica.reports.writers import markdown, write_document

    if out is None:
        if fmt != "md":
            raise ThematicaError(f"--format {fmt} needs --out FILE.{fmt}")
        text, _ = markdown.render(document)
        sys.stdout.write(text)
        return
    write_document(document, out, fmt)
    typer.echo(f"wrote {out}", err=True)
