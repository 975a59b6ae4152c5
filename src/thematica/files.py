"""Writing output files owner-only (0600): exports carry interview data, which is sensitive."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from thematica.errors import ThematicaError


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` atomically to ``path`` with mode 0600 (a partial file never replaces a good one)."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(path)) from None
    return target


def private_path(path: str | os.PathLike[str]) -> Path:
    """Create (or truncate) an owner-only file for a library that writes by path (matplotlib, python-docx)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(descriptor)
        os.chmod(target, 0o600)
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(path)) from None
    return target
