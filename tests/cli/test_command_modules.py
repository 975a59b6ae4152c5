"""A fresh ``thematica COMMAND`` imports only the module of COMMAND: the table that says which
module that is must be what the modules register, and the command must behave as with all loaded."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer

from thematica.cli.app import COMMAND_MODULES, MODULES


def registered_names(module_name: str) -> list[str]:
    scratch = typer.Typer()
    importlib.import_module(f"thematica.cli.{module_name}").register(scratch)
    names = [command.name or command.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
             for command in scratch.registered_commands]
    return names + [str(group.name) for group in scratch.registered_groups]


def test_the_table_names_every_command_of_every_module_and_nothing_else():
    expected = {name: module for module in MODULES for name in registered_names(module)}
    assert COMMAND_MODULES == expected


FRESH = """
import sys
from thematica.cli import main
sys.argv = ["thematica", *sys.argv[1:]]
try:
    main()
except SystemExit as exit_:
    loaded = sorted(m for m in sys.modules if m.startswith("thematica.cli.") and m.endswith("_commands"))
    print("LOADED", *loaded, "EXIT", exit_.code, file=sys.stderr)
"""
WHOLE = FRESH.replace("from thematica.cli import main", "from thematica.cli.app import _register_commands, main\n"
                      "_register_commands()")


def run(script: str, arguments: list[str], environment: dict[str, str]) -> tuple[str, str]:
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True,
                            env={**environment, "COLUMNS": "100"}, check=False)
    help_text = "\n".join(line for line in result.stdout.splitlines() if "Usage:" not in line)
    return help_text, result.stderr.rsplit("LOADED", 1)[-1]


@pytest.mark.parametrize("command", ["agreement", "review"])  # one command, and a group of subcommands
def test_a_command_alone_behaves_as_among_all(command, child_environment):
    """The same help and exit code from a fresh process that registers only the command's module
    as from the whole app; and that process imported no other command module."""
    alone, alone_loaded = run(FRESH, [command, "--help"], child_environment)
    whole, whole_loaded = run(WHOLE, [command, "--help"], child_environment)
    assert alone == whole and alone.strip()
    assert alone_loaded.split("EXIT")[0].split() == [f"thematica.cli.{COMMAND_MODULES[command]}"]
    assert alone_loaded.split("EXIT")[1].strip() == whole_loaded.split("EXIT")[1].strip() == "0"


def test_a_typo_is_answered_with_every_command_to_suggest_from(child_environment):
    _, loaded = run(FRESH, ["agreemnt"], child_environment)
    assert set(loaded.split("EXIT")[0].split()) >= {f"thematica.cli.{module}" for module in MODULES}
    assert loaded.split("EXIT")[1].strip() == "2"
