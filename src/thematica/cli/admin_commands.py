"""Administration: migrate between databases, backup and restore, the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import ProjectArgument, TableOrJson, console, emit, open_existing, to_json
from thematica.coding.audit_trail import read_log
from thematica.store import transfer


def migrate(
    source: str = typer.Argument(..., help="Project to copy (file or URL)."),
    target: str = typer.Argument(..., help="New project file, or an empty database URL."),
) -> None:
    """Copy a project between SQLite and PostgreSQL, verified by row counts and checksums."""
    report = transfer.migrate(source, target)
    typer.echo(f"copied {report.rows} rows in {len(report.tables)} tables; row counts and checksums verified")


def backup(project: str = ProjectArgument, destination: Path = typer.Argument(..., help="New SQLite backup file.")) -> None:
    """Back up a project to a new SQLite file, safely while coders are working."""
    with open_existing(project) as opened:
        report = transfer.backup(opened, destination)
    typer.echo(f"backed up {report.rows} rows in {len(report.tables)} tables to {destination}; "
               "integrity, schema and row counts checked against the source snapshot; manifest written")


def restore(
    backup_file: Path = typer.Argument(..., help="A backup made with 'thematica backup'."),
    target: str = typer.Argument(..., help="New project file or empty database URL to restore into."),
) -> None:
    """Restore a backup into a new project, after checking it against its manifest."""
    report = transfer.restore(backup_file, target)
    typer.echo(f"restored {report.rows} rows in {len(report.tables)} tables into {target}; "
               "verified: the backup matches its manifest and the copy matches the backup (counts and checksums)")


def log(
    project: str = ProjectArgument,
    coder: str | None = typer.Option(None, "--coder", help="Only this coder's changes."),
    limit: int | None = typer.Option(None, "--limit", min=1, max=10**9),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
) -> None:
    """The audit log: who changed what, and when."""
    with open_existing(project) as opened:
        entries = read_log(opened, actor=coder, limit=limit)
    if format is TableOrJson.json:
        emit(to_json([entry.to_dict() for entry in entries]), None)
        return
    table = Table(title="Audit log")
    for column in ("when", "who", "action", "what"):
        table.add_column(column)
    for entry in entries:
        what = f"{entry.entity} {entry.entity_id or ''} {json.dumps(entry.detail, ensure_ascii=False)}"
        table.add_row(entry.at, entry.actor, entry.action, what.strip())
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(backup)
    app.command()(restore)
    app.command()(log)
