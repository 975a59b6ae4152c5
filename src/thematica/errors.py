"""The one exception type services raise for the user's eyes.

Front ends (``cli``, ``tui``) turn it into exit code 2 and one line, or a notification.
The message names the file (and row) and the reason; it never carries a traceback.
"""

from __future__ import annotations


class ThematicaError(Exception):
    """A user-facing error: bad input, a refused action, a project that cannot be opened."""

    def __init__(self, message: str, *, path: str | None = None, row: int | None = None) -> None:
        self.path = path
        self.row = row
        self.reason = message
        super().__init__(self.format())

    def format(self) -> str:
        where = []
        if self.path:
            where.append(str(self.path))
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason
