"""``thematica code PROJECT --coder NAME`` recognised before typer is imported.

Typer and click take about 50 ms to import and the command tree more; the workbench's start is
measured from the key press in the shell to the first transcript frame (target 300 ms), so the
one command that opens it is recognised here first, in its plain spellings only. Anything else —
help, another option, a typo — is None and goes to the typer app, which parses and reports it.
"""

from __future__ import annotations

from collections.abc import Sequence

CODER_OPTION = "--coder"


def quick_code_arguments(arguments: Sequence[str]) -> tuple[str, str] | None:
    """(project, coder) of ``code PROJECT --coder NAME`` (also ``--coder=NAME``, the option first), else None."""
    if not arguments or arguments[0] != "code":
        return None
    rest = list(arguments[1:])
    coder: str | None = None
    for index, argument in enumerate(rest):
        if argument.startswith(CODER_OPTION + "="):
            coder = argument[len(CODER_OPTION) + 1:]
            del rest[index]
            break
        if argument == CODER_OPTION and index + 1 < len(rest):
            coder = rest[index + 1]
            del rest[index:index + 2]
            break
    if coder is None or not coder.strip() or len(rest) != 1 or rest[0].startswith("-") or not rest[0]:
        return None
    return rest[0], coder
