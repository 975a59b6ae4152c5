"""Who sees whom and who leads: ``thematica blind``, ``thematica lead``, and the team server (``team``)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import ProjectArgument, TableOrJson, console, emit, open_existing, to_json
from thematica.coding.team import acting_as
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
            set_blind_mode(opened, switch is Switch.on, acting_as(opened, actor), reason)
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
        chosen = set_lead(opened, name, acting_as(opened, actor))
    typer.echo(f"lead: {chosen}")


team_app = typer.Typer(help="A project on a PostgreSQL server: coder roles and row-level security.",
                       no_args_is_help=True)


def team_init(
    url: str = typer.Argument(..., help="postgresql+psycopg://OWNER@host/db (run as the database owner)."),
    lead: str = typer.Option(..., "--lead", help="The project lead."),
) -> None:
    """Create the schema, the project's group role and the row-level-security policies."""
    from thematica.coding.team import init_team

    setup = init_team(url, lead)
    typer.echo(f"team project {setup.location}: group role {setup.group_role}, lead {setup.lead}; "
               "add coders with 'thematica team add-coder'")


def team_add_coder(
    url: str = typer.Argument(..., help="postgresql+psycopg://OWNER@host/db"),
    name: str = typer.Argument(..., help="The coder; the login role is named after them."),
    password_file: Path | None = typer.Option(None, "--password-file",
                                              help="File whose first line is the password (else you are asked)."),
) -> None:
    """Create a login role for a coder and grant it the project's role (the password is never an argument)."""
    from thematica.coding.team import add_team_coder, role_of

    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ThematicaError(f"cannot read the password file ({error.strerror})", path=str(password_file)) from None
        password = lines[0] if lines else ""
    else:
        password = typer.prompt(f"Password for {name.strip()}", hide_input=True, confirmation_prompt=True)
    coder = add_team_coder(url, name, password)
    typer.echo(f"coder {coder}: connect as postgresql+psycopg://{role_of(coder)}@HOST/DB")


def register(app: typer.Typer) -> None:
    app.command()(blind)
    app.command()(lead)
    team_app.command("init")(team_init)
    team_app.command("add-coder")(team_add_coder)
    app.add_typer(team_app, name="team")
