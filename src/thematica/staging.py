"""Private staging: temporary folders and files beside the project, never in the shared system temp.

Anything Thematica unpacks or stages (a .qdpx's sources during a merge, a backup being written)
goes to an owner-only (0700 folder, 0600 file) entry named ``.thematica-staging-<pid>-<token>``
in the folder of the project or of the target. It is removed on success and on failure; a
SIGTERM is turned into ``SystemExit`` while staging so the same clean-up runs; and what a SIGKILL
left behind (its pid is no longer running) is removed the next time a project in that folder is
opened (``clean_stale_staging``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from thematica.errors import ThematicaError

PREFIX = ".thematica-staging-"


def _name(suffix: str = "") -> str:
    return f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}{suffix}"


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """While inside, SIGTERM raises ``SystemExit(143)`` so ``finally`` blocks (the clean-up) run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def private_file(folder: Path, suffix: str = "") -> Path:
    """Create an empty staging file in ``folder``, 0600 from its first byte whatever the umask."""
    path = folder / _name(suffix)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as error:
        raise ThematicaError(f"cannot create a temporary file here ({error.strerror})", path=str(folder)) from None
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)
    return path


@contextmanager
def staging_folder(beside: Path) -> Iterator[Path]:
    """A private (0700) folder in ``beside``, removed on success, failure and SIGTERM."""
    folder = Path(beside) / _name()
    try:
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)
    except OSError as error:
        raise ThematicaError(f"cannot create a private staging folder ({error.strerror})", path=str(beside)) from None
    try:
        with terminate_cleanly():
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(folder: Path) -> list[Path]:
    """Remove staging entries in ``folder`` whose process is gone (a kill left them); returns them."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        pid_text = entry.name[len(PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(entry)
    return removed
