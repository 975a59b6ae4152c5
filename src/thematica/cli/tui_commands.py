"""Opening the workbench: in the terminal as a named coder, asking who codes, or served to a browser."""

from __future__ import annotations

import typer

from thematica.cli.common import ProjectArgument, open_existing


def code(project: str = ProjectArgument,
         coder: str | None = typer.Option(None, "--coder", help="Your coder name (created on first use); on a team "
                                          "server the role you connect as.")) -> None:
    """Open the coding workbench as CODER."""
    from thematica.coding.team import resolve_coder
    from thematica.tui.launch import run_workbench

    with open_existing(project) as opened:
        coder = resolve_coder(opened, coder)
    run_workbench(project, coder)


def tui(project: str = ProjectArgument) -> None:
    """Open the workbench and choose who is coding."""
    from thematica.tui.launch import run_workbench

    open_existing(project).close()
    run_workbench(project, None)


def serve(project: str = ProjectArgument, port: int = typer.Option(8000, "--port", min=1024, max=65535),
          coder: str = typer.Option(..., "--coder", help="Who codes in the browser tab (fixed for the server's life)."),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only).")) -> None:
    """Serve the workbench to a browser tab: prints http://127.0.0.1:PORT/?token=...; requests without
    the token, or from another Origin or Host, are refused (403)."""
    from thematica.coding.team import resolve_coder
    from thematica.tui.launch import serve_workbench

    with open_existing(project) as opened:
        coder = resolve_coder(opened, coder)
    serve_workbench(project, port, coder, host)


def register(app: typer.Typer) -> None:
    app.command()(code)
    app.command()(tui)
    app.command()(serve)
