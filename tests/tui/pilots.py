"""Steps the workbench's Pilot tests share: waiting until the app is settled and putting the code
tree's cursor on a code."""

from __future__ import annotations

from typing import Any

from thematica.tui.widgets.code_tree import CodeTree


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
