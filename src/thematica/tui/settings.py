"""Per-user workbench layout (code-tree and margin widths), remembered between sessions.

Kept in ``layout.json`` in the user's config folder (owner-only), per coder name, because it is
a person's preference, not part of the project.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from thematica.tui.keymap import config_folder


def _path() -> Path:
    return config_folder() / "layout.json"


def load_layout(coder: str) -> dict[str, int]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entry = data.get(coder, {}) if isinstance(data, dict) else {}
    return {key: int(value) for key, value in entry.items() if isinstance(value, int)}


def save_layout(coder: str, layout: dict[str, int]) -> None:
    """Write the coder's widths; a folder that cannot be written is not worth an error."""
    path = _path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[coder] = layout
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
    except OSError:
        pass
