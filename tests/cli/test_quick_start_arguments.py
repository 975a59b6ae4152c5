"""``thematica code`` is recognised before typer only in spellings typer reads the same way; every
other spelling is left to typer (None)."""

from __future__ import annotations

import pytest

from thematica.cli.quick_start import quick_code_arguments

TAKEN = [
    ["code", "studie.thematica", "--coder", "anouk"],
    ["code", "--coder", "anouk", "studie.thematica"],
    ["code", "studie.thematica", "--coder=anouk"],
    ["code", "--coder=Anouk ", "map met spatie/studie ë.thematica"],
]
LEFT_TO_TYPER = [
    [], ["code"], ["code", "studie.thematica"], ["code", "--coder", "anouk"], ["code", "-h"],
    ["code", "studie.thematica", "--coder"], ["code", "studie.thematica", "--coder", ""],
    ["code", "studie.thematica", "--coder", "anouk", "--help"], ["code", "a", "b", "--coder", "anouk"],
    ["code", "--help", "--coder", "anouk"], ["tui", "studie.thematica"], ["codes", "p", "--coder", "x"],
    ["code", "studie.thematica", "--coder=  "],
]


@pytest.mark.parametrize("arguments", TAKEN)
def test_the_plain_spellings_are_read_as_typer_reads_them(arguments, monkeypatch, make_project_with_text):
    """The same (project, coder) as typer hands the ``code`` command (run here with the workbench
    replaced by a recorder, the quick start declined)."""
    from thematica.cli.app import main as typer_main
    from thematica.tui import launch

    project = make_project_with_text({})
    path = arguments[[i for i, a in enumerate(arguments) if a.endswith(".thematica")][0]]
    seen: list[tuple[str, str | None]] = []
    monkeypatch.setattr(launch, "run_workbench", lambda location, coder=None: seen.append((location, coder)))
    monkeypatch.setattr("thematica.cli.tui_commands.open_existing", lambda location: project, raising=False)
    with pytest.raises(SystemExit) as exit_:
        typer_main(list(arguments))
    assert exit_.value.code == 0
    quick = quick_code_arguments(arguments)
    assert quick is not None
    assert seen == [(quick[0], quick[1].strip())] == [(path, quick[1].strip())]


@pytest.mark.parametrize("arguments", LEFT_TO_TYPER)
def test_every_other_spelling_is_left_to_typer(arguments):
    assert quick_code_arguments(arguments) is None


def test_without_a_terminal_the_quick_start_declines_and_code_ends_with_exit_2_and_one_line(
        run_cli, make_project_with_text, monkeypatch):
    """Both starts ask the same ``has_terminal``: under pytest standard input is no terminal, so the
    quick start does nothing and the ordinary start refuses in one line, the project unchanged."""
    from thematica.tui import launch

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    project = make_project_with_text({"T1": "I: Hoe was het?\nR: Goed, ë en ï.\n"})
    assert not launch.has_terminal()
    assert launch.run_workbench_quickly(project.location, "anouk") is False
    result = run_cli("code", project.location, "--coder", "anouk")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("the workbench needs a terminal (standard input and output are not one)")
    assert len(result.stderr.strip().splitlines()) == 1
