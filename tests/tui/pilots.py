"""What the workbench's Pilot tests share: two short answers to code quotes in, waiting until the
app is settled, and putting the code tree's cursor on a code."""

from __future__ import annotations

from typing import Any

from thematica.coding.segments import apply_code
from thematica.tui.widgets.code_tree import CodeTree

R1 = "I: Hoe was de groep?\nR: De groep hielp mij. Ik durfde meer. Thuis ging het beter.\n"
R2 = "I: En later?\nR: Later was de groep eng. De therapeut luisterde.\n"


def code_quote(project: Any, document: int, text: str, coder: str, quote: str, path: str) -> None:
    """``coder`` codes the first occurrence of ``quote`` in document ``document`` (whose text is ``text``)."""
    start = text.index(quote)
    apply_code(project, document, coder, start, start + len(quote), code_path=path)


async def settle(pilot: Any) -> None:
    """Until the workers (writes, document opening, totals) are done and their results are on screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def node_line(tree: CodeTree, path: str) -> int:
    """The line of the code tree that shows the code ``path`` (its parents expanded)."""
    return next(line for line in range(tree.last_line + 1)
                if tree.get_node_at_line(line).data and tree.get_node_at_line(line).data.path == path)


async def highlight(pilot: Any, path: str) -> CodeTree:
    """Focus the code tree, expand it and put its cursor on the code ``path``."""
    tree = pilot.app.screen.query_one(CodeTree)
    tree.focus()
    tree.root.expand_all()
    await pilot.pause()
    tree.cursor_line = node_line(tree, path)
    await pilot.pause()
    return tree
