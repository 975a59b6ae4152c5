"""Command-line interface: ``thematica``. One module per command group; each is thin (parse, call, render)."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> None:
    """Console entry point: the typer app (``cli.app.main``). ``thematica code PROJECT --coder NAME``
    first tries the quick start (``tui.launch.run_workbench_quickly``), which draws the workbench
    before typer and SQLAlchemy are imported; when it cannot, the typer app runs the command."""
    from thematica.cli.quick_start import quick_code_arguments

    quick = quick_code_arguments(sys.argv[1:] if argv is None else argv)
    if quick is not None:
        # No cyclic collection while Textual and the first frame are built (about 30 ms of a 300-ms
        # start): the workbench freezes what exists and turns it back on once its session is open.
        gc.disable()
        from thematica.tui.launch import run_workbench_quickly

        if run_workbench_quickly(*quick):
            sys.exit(0)
        gc.enable()
    from thematica.cli.app import main as typer_main

    typer_main(argv)


__all__ = ["main"]
