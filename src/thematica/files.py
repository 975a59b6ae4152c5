"""Writing output files owner-only (0600): exports carry interview data, which is sensitive.

The rules (standard output, special files, symbolic links, 0700 folders) live in
``thematica.output``; these two names are kept for the modules that write outputs.
"""

from __future__ import annotations

import os
from pathlib import Path

from thematica.output import output_path, write_output


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` (atomically, 0600), to standard output for ``-``, or in place."""
    written = write_output(path, data)
    return written if written is not None else Path("/dev/stdout")


def private_path(path: str | os.PathLike[str]) -> Path:
    """Create (or truncate) an owner-only file for a library that writes by path (matplotlib, python-docx)."""
    return output_path(path)
