"""The root typer app and the one place user errors become exit code 2 and one line."""

from __future__ import annotations

import functools
import os
import re
import sys
import traceback

import click
import typer
from typer._click import exceptions as _typer_click

from thematica.errors import ThematicaError

app = typer.Typer(
    name="thematica",
    help="Thematica: team thematic analysis in the terminal (coding, agreement, consensus, themes, trial data).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@functools.cache
def _register_commands() -> None:
    """Each command module adds its commands to ``app`` (once per process, however often ``main`` runs);
    the order is the order of ``--help``."""
    from thematica.cli import (admin_commands, agreement_commands, consensus_commands, exchange_commands,
                               figure_commands, meta_commands, privacy_commands, project_commands, review_commands,
                               team_commands, theme_commands, transcript_commands, trial_commands, tui_commands,
                               workbench_commands)

    for module in (project_commands, tui_commands, workbench_commands, team_commands, agreement_commands,
                   consensus_commands, theme_commands, figure_commands, transcript_commands, exchange_commands,
                   trial_commands, meta_commands, review_commands, privacy_commands, admin_commands):
        module.register(app)


# Typer ships its own copy of click's exceptions; commands and the parser raise those, so both
# families are caught (the real click's for anything built on click directly).
EXITS = (click.exceptions.Exit, typer.Exit)
ABORTS = (click.exceptions.Abort, typer.Abort)
NO_ARGUMENTS = (click.exceptions.NoArgsIsHelpError, _typer_click.NoArgsIsHelpError)
USAGE = (click.UsageError, _typer_click.UsageError)
USAGE_ERRORS = (click.ClickException, _typer_click.ClickException)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str) -> str:
    """A message made safe for one terminal line: control characters and line breaks escaped."""
    return _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], message)


def fail(message: str) -> "typer.Exit":
    """Print one line to stderr and return the exit (code 2) for the caller to raise."""
    typer.echo(f"thematica: {one_line(message)}", err=True)
    return typer.Exit(code=2)


def internal_error_summary(error: BaseException) -> str:
    """The exception's type and the innermost Thematica frame (module:line, function) where it
    happened. Never the exception's message: it may quote document text (a transcript, a name)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if f"{os.sep}thematica{os.sep}" in frame.filename] or frames
    if not ours:
        return type(error).__name__
    frame = ours[-1]
    marker = f"{os.sep}thematica{os.sep}"
    module = frame.filename.split(marker, 1)[-1] if marker in frame.filename else os.path.basename(frame.filename)
    return f"{type(error).__name__} in thematica/{module}:{frame.lineno}, {frame.name}"


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the app, mapping ThematicaError and bad usage to exit code 2."""
    _register_commands()
    try:
        app(args=argv, standalone_mode=False)
    except ThematicaError as error:
        typer.echo(f"thematica: {one_line(error.format())}", err=True)
        sys.exit(2)
    except OSError as error:  # the file system said no (permissions, a full disk, a name too long): not a bug
        where = f"{error.filename}: " if error.filename else ""
        typer.echo(f"thematica: {one_line(where + (error.strerror or type(error).__name__))}", err=True)
        sys.exit(2)
    except EXITS as exit_:
        sys.exit(exit_.exit_code)
    except NO_ARGUMENTS as asked:  # 'thematica' or 'thematica trial' alone: the help is the answer
        typer.echo(asked.ctx.get_help())
        sys.exit(0)
    except USAGE_ERRORS as error:  # parse errors and BadParameter raised by a command: one line, exit 2
        hint = " (see --help)" if isinstance(error, USAGE) else ""
        typer.echo(f"thematica: {one_line(error.format_message())}{hint}", err=True)
        sys.exit(2)
    except ABORTS:
        typer.echo("thematica: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: one line, exit 1; THEMATICA_DEBUG=1 shows the traceback
        if os.environ.get("THEMATICA_DEBUG"):
            raise
        typer.echo(f"thematica: internal error ({internal_error_summary(error)}); "
                   "rerun with THEMATICA_DEBUG=1 and report it", err=True)
        sys.exit(1)
    sys.exit(0)
