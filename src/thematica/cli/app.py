"""The root typer app and the one place user errors become exit code 2 and one line."""

from __future__ import annotations

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


@app.callback()
def _root() -> None:
    """A group even when a fresh process registered one command (typer would make it the whole app)."""


MODULES = ("project_commands", "tui_commands", "workbench_commands", "team_commands", "agreement_commands",
           "consensus_commands", "theme_commands", "figure_commands", "transcript_commands", "exchange_commands",
           "trial_commands", "meta_commands", "review_commands", "privacy_commands", "admin_commands")
"""The command modules in the order of ``--help``; each adds its commands with ``register(app)``."""

COMMAND_MODULES = {
    **dict.fromkeys(("init", "import", "info", "show", "demo", "cases", "codings"), "project_commands"),
    **dict.fromkeys(("code", "tui", "serve"), "tui_commands"),
    **dict.fromkeys(("keys", "retrieve"), "workbench_commands"),
    **dict.fromkeys(("blind", "lead", "team"), "team_commands"),
    "agreement": "agreement_commands",
    **dict.fromkeys(("disagreements", "consensus"), "consensus_commands"),
    **dict.fromkeys(("themes", "map", "cooccurrence", "framework", "suggest-themes", "saturation", "code-map",
                     "report", "theme"), "theme_commands"),
    "figure": "figure_commands", "transcript": "transcript_commands",
    **dict.fromkeys(("export", "import-qdpx", "merge", "codebook", "survey"), "exchange_commands"),
    "trial": "trial_commands", **dict.fromkeys(("nma", "meta"), "meta_commands"), "review": "review_commands",
    "pseudonymise": "privacy_commands", **dict.fromkeys(("migrate", "backup", "restore", "log"), "admin_commands"),
}
"""Which module adds each top-level command or group (``tests/cli/test_cli_manners.py`` holds it to
what the modules register), so that ``thematica agreement ...`` imports only the agreement commands."""

_registered: list[str] = []  # the modules whose commands ``app`` has, in order
_partial = False  # ``app`` has only the command a fresh process was asked for


def _register(module_name: str) -> None:
    if module_name not in _registered:
        import importlib

        importlib.import_module(f"thematica.cli.{module_name}").register(app)
        _registered.append(module_name)


def _register_commands(arguments: list[str] | None = None) -> None:
    """Add the commands to ``app``, each module once per process. For the command line of a fresh
    process (``arguments``) that starts with a command, only that command's module: importing all
    of them (NumPy, pandas, SciPy, the report builders) took most of a second before any command
    ran. Otherwise — help, a typo, a later call in the same process — all, in the order of ``--help``."""
    global _partial
    if not _registered and arguments and arguments[0] in COMMAND_MODULES:
        _register(COMMAND_MODULES[arguments[0]])
        _partial = True
        return
    if _partial:  # start again, so that ``--help`` keeps its order
        app.registered_commands.clear()
        app.registered_groups.clear()
        _registered.clear()
        _partial = False
    for module_name in MODULES:
        _register(module_name)


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
    """Console entry point: runs the app, mapping ThematicaError and bad usage to exit code 2. From
    the shell (``argv`` None) only the named command's module is imported; called with ``argv`` (the
    tests, the demo) every command is there."""
    _register_commands(sys.argv[1:] if argv is None else None)
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
