"""Who sees whom and who leads: ``thematica blind``, ``thematica lead``, and the team server (``team``)."""

from __future__ import annotations

from enum import Enum

import typer
from rich.table import Table

from thematica.cli.common import ProjectArgument, TableOrJson, console, emit, open_existing, to_json
from thematica.coding.visibility import set_blind_mode, set_lead, visibility_report
from thematica.errors import ThematicaError


class Switch(str, Enum):
    on = "on"
    off = "off"


def blind(
    project: str = ProjectArgument,
    switch: Switch | None = typer.Argument(None, help="on or off; without it: print who sees whom."),
    actor: str | None = typer.Option(None, "--as", help="Who switches (off: only the project lead)."),
    reason: str = typer.Option("", "--reason", help="Why, for the audit log."),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
) -> None:
    """Blind mode: print who sees whose codings, or switch it (off only by the lead; logged)."""
    with open_existing(project) as opened:
        if switch is not None:
            if not actor:
                raise ThematicaError(f"blind {switch.value}: say who switches it with --as NAME")
            set_blind_mode(opened, switch is Switch.on, actor, reason)
        report = visibility_report(opened)
    if format is TableOrJson.json:
        emit(to_json(report.to_dict()), None)
        return
    console.print(f"Blind mode: {'on' if report.blind else 'off'}    Lead: {report.lead or '(none)'}")
    table = Table(title="Who sees whose codings")
    table.add_column("coder")
    table.add_column("sees")
    for coder, seen in report.visibility.items():
        table.add_row(coder, ", ".join(seen))
    console.print(table)


def lead(
    project: str = ProjectArgument,
    name: str = typer.Argument(..., help="The new lead (a coder name)."),
    actor: str = typer.Option(..., "--as", help="Who hands the role on: the current lead (anyone while there is none)."),
) -> None:
    """Set the project lead, who alone may switch blind mode off (logged)."""
    with open_existing(project) as opened:
        chosen = set_lead(opened, name, actor)
    typer.echo(f"lead: {chosen}")


def register(app: typer.Typer) -> None:
    app.command()(blind)
    app.command()(lead)
