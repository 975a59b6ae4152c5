"""CLI manners: --help everywhere, user errors are exit code 2 and one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _commands() -> list[list[str]]:
    from thematica.cli.app import _register_commands, app
    import typer.main

    _register_commands()
    group = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(command, prefix):
        found.append(prefix)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*prefix, name])

    walk(group, [])
    return found


def test_every_command_has_help(run_cli):
    """Every command and group answers --help through ``main`` with its own usage line (in this
    process; a real child process prints the help of the bare command and of a bare group in
    tests/hardening/test_bad_input.py). The walk reaches every top-level name of ``COMMAND_MODULES``."""
    import re

    from thematica.cli.app import COMMAND_MODULES

    commands = _commands()
    assert {command[0] for command in commands if command} == set(COMMAND_MODULES)
    assert len(commands) > len(COMMAND_MODULES)                   # and the groups' subcommands
    for command in commands:
        result = run_cli(*command, "--help")
        usage = re.compile(r"Usage: [^\n]*? " + re.escape(" ".join([*command, "[OPTIONS]"])))
        assert result.returncode == 0 and usage.search(result.stdout), (command, result.returncode, result.stdout[:200])


def _one_line_error(result) -> str:  # a CompletedProcess or the run_cli fixture's CliResult
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_user_errors_are_one_line_and_exit_2(tmp_path, child_environment, run_cli):
    """The first error from a real ``python -m thematica`` of the checkout under test (exit code, no
    traceback from a fresh interpreter); the others through ``main`` in this process."""
    missing = tmp_path / "nope.thematica"
    child = subprocess.run([sys.executable, "-m", "thematica", "info", str(missing)], capture_output=True, text=True,
                           timeout=120, env=child_environment)
    assert "no such project" in _one_line_error(child)
    not_db = tmp_path / "notes.thematica"
    not_db.write_text("geen database")
    assert "not a Thematica project" in _one_line_error(run_cli("info", str(not_db)))
    project = tmp_path / "p.thematica"
    assert run_cli("init", str(project)).returncode == 0
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    line = _one_line_error(run_cli("import", str(project), str(binary)))
    assert "binary.txt" in line


def test_import_info_show_and_codings_export(tmp_path, run_cli):
    """In process: what is under test is the commands' output, not an interpreter start."""
    run = run_cli
    project = tmp_path / "p.thematica"
    run("init", str(project))
    transcript = tmp_path / "R1.txt"
    transcript.write_bytes("I: Hoe gaat het?\r\n\r\nR: Goed. Ik heb ideeën.\r\n".encode("cp1252"))
    assert run("import", str(project), str(transcript), "--case", "R1").returncode == 0
    info = run("info", str(project), "--format", "json")
    assert '"case": "R1"' in info.stdout
    shown = run("show", str(project), "R1")
    assert shown.stdout == "I: Hoe gaat het?\n\nR: Goed. Ik heb ideeën.\n"
    units = run("show", str(project), "R1", "--units", "turn").stdout.splitlines()
    assert units[1].split("\t")[2:] == ["R", "R: Goed. Ik heb ideeën."]
    codings = tmp_path / "codings.csv"
    codings.write_text("document,start,end,code,coder,memo\nR1,21,26,Stemming,anouk,\n")
    assert run("codings", "import", str(project), str(codings)).returncode == 0
    exported = run("codings", "export", str(project))
    assert exported.stdout == "document,start,end,code,coder,memo\nR1,21,26,Stemming,anouk,\n"
