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


async def until_exit(pilot: Any, seconds: float = 4.0) -> None:
    """Until the app has asked to exit (``return_code`` set), at most ``seconds``."""
    for _ in range(int(seconds / 0.02)):
        if pilot.app.return_code is not None:
            return
        await pilot.pause(0.02)


def run_in_terminal(arguments: list[str], environment: dict[str, str], *, size: tuple[int, int] = (110, 30),
                    until: bytes | None = None, keys: bytes = b"", after: float = 1.0,
                    seconds: float = 30.0) -> tuple[int, bytes]:
    """``python -m thematica ARGUMENTS`` on a pseudo-terminal of ``size`` (columns, lines): read what it
    draws until ``until`` appears (when given), then ``after`` seconds later send ``keys``, and keep
    reading until it ends (a terminal nobody reads would stop the app). (exit code, all it wrote)."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import subprocess
    import sys
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "thematica", *arguments], stdin=slave, stdout=slave,
                               stderr=slave, env=environment, start_new_session=True)
    os.close(slave)
    seen, deadline = b"", time.monotonic() + seconds
    try:
        while until is not None and until not in seen:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"{until!r} never reached the terminal: {seen[-400:]!r}"
            seen += os.read(master, 1 << 16)
        send_at = time.monotonic() + after
        while process.poll() is None and time.monotonic() < deadline:
            if keys and time.monotonic() >= send_at:
                os.write(master, keys)
                keys = b""
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(master, 1 << 16)
                except OSError:  # the app closed the terminal
                    break
        code = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return code, seen
