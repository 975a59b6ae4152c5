"""The workbench's keymap (``thematica keys``) and a code's retrieval from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from thematica.cli.common import ProjectArgument, emit, open_existing


def keys() -> None:
    """Print the active key map of the coding workbench and where the keymap file lives."""
    from thematica.tui.keymap import active_keys, keymap_table

    emit(keymap_table(active_keys()), None)


def retrieve(project: str = ProjectArgument, code: str = typer.Argument(..., help="Code path, e.g. Groep/Veiligheid."),
             coder: str = typer.Option(..., "--coder", help="Whose view: what this coder may see."),
             attribute: str | None = typer.Option(None, "--attribute", help="Only cases with NAME=VALUE (gender=vrouw)."),
             no_children: bool = typer.Option(False, "--no-children", help="Leave out the code's child codes."),
             out: Path | None = typer.Option(None, "--out", help=".md, .docx or .csv; default: Markdown to the terminal.")
             ) -> None:
    """All segments of CODE (and its children) with the sentence before and after, case, speaker, memo."""
    from thematica.coding.codebook import require_code
    from thematica.coding.retrieval import retrieve as retrieve_code
    from thematica.coding.session import CodingSession
    from thematica.errors import ThematicaError
    from thematica.reports.retrieval_report import render_markdown, write_retrieval

    selected: tuple[str, str] | None = None
    if attribute is not None:
        name, equals, value = attribute.partition("=")
        if not equals or not name.strip():
            raise ThematicaError(f"--attribute must be NAME=VALUE, not {attribute!r}")
        selected = (name.strip(), value.strip())
    with open_existing(project) as opened:
        with opened.reading() as session:
            code_id = require_code(session, code).id
        coding = CodingSession(opened, coder)
        coding.load(totals=False)
        try:
            found = retrieve_code(opened, coding, code_id, children=not no_children, attribute=selected)
        finally:
            coding.close()
        title = coding.codes[code_id].path + (f" · {selected[0]} = {selected[1]}" if selected else "")
    if out is None:
        emit(render_markdown(title, found), None)
    else:
        write_retrieval(title, found, out)
        typer.echo(f"{len(found)} segments written to {out}")


def register(app: typer.Typer) -> None:
    app.command()(keys)
    app.command()(retrieve)
