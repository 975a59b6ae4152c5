"""Writing outputs: to a regular file atomically and owner-only, to standard output, or in place.

* ``-`` and ``/dev/stdout`` (and ``/dev/fd/1``, ``/proc/self/fd/1``) mean standard output: the
  bytes are written there, nothing is created or renamed.
* An existing ``--out`` that is not a regular file (a character device such as ``/dev/null``, a
  named pipe, a terminal) is written in place, never replaced by a renamed temporary file; a
  folder or a socket is refused.
* A symbolic link is followed: its target is written (atomically), the link itself is kept.
* A regular file is written to a 0600 temporary file in the same folder, fsynced and renamed over
  the target, so a partial file never replaces a good one.
* Folders Thematica creates for outputs are 0700 (interview data is sensitive), whatever the umask.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from thematica.errors import ThematicaError

STANDARD_OUTPUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def is_standard_output(path: str | os.PathLike[str]) -> bool:
    return str(path) in STANDARD_OUTPUT_NAMES


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents with mode 0700 (existing folders are left alone)."""
    missing: list[Path] = []
    current = Path(folder)
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    try:
        for entry in reversed(missing):
            os.mkdir(entry, 0o700)
            os.chmod(entry, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise ThematicaError(f"cannot create the folder ({error.strerror})", path=str(folder)) from None
    if not Path(folder).is_dir():
        raise ThematicaError("not a folder", path=str(folder))


def _checked(path: str | os.PathLike[str]) -> Path:
    if "\x00" in str(path):
        raise ThematicaError("an output path cannot contain a NUL character", path=repr(str(path)))
    if len(os.fsencode(Path(path).name)) > 255:
        raise ThematicaError("the output file name is too long", path=str(path)[:200])
    return Path(path)


def check_output(path: str | os.PathLike[str]) -> None:
    """Refuse, before any work, an output path that cannot be written (a folder, a socket, a NUL)."""
    if is_standard_output(path):
        return
    target, kind = _resolve(path)
    if kind in ("folder", "socket"):
        raise ThematicaError(f"cannot write the output: it is a {kind}", path=str(path))


def _resolve(path: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """The file to write and what it is: a regular (or new) file behind any symbolic link, or the
    path itself when it leads to a special file (``/dev/stdout`` resolves to a pipe's pseudo-name,
    which must never be created as a file)."""
    target = _checked(path)
    kind = _special_kind(target)
    if kind is None and target.is_symlink():
        target = target.resolve()
    if str(Path(os.path.abspath(target))).startswith(("/dev/", "/proc/", "/sys/")):
        if kind is None and not os.path.lexists(target):
            raise ThematicaError("will not create a file among the system's devices", path=str(path))
        return Path(path), kind or "special"  # a device or a /proc link: written in place, never replaced
    return target, kind


def _special_kind(target: Path) -> str | None:
    """None for a missing or regular file; else what it is (links followed)."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(target)) from None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special"


def _write_in_place(target: Path, payload: bytes) -> None:
    try:
        with open(target, "wb", buffering=0) as handle:  # no O_CREAT surprises: the file exists
            handle.write(payload)
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(target)) from None


def write_output(path: str | os.PathLike[str], data: str | bytes) -> Path | None:
    """Write ``data`` as described in the module docstring; returns the file written, or None for
    standard output."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_standard_output(path):
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (a test harness): text is written as text
            sys.stdout.write(payload.decode("utf-8", errors="replace"))
        else:
            buffer.write(payload)
            buffer.flush()
        return None
    target, kind = _resolve(path)
    if kind in ("folder", "socket"):
        raise ThematicaError(f"cannot write the output: it is a {kind}", path=str(path))
    if kind == "special":
        _write_in_place(target, payload)
        return target
    make_private_folders(target.parent)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(path)) from None
    return target


def output_path(path: str | os.PathLike[str]) -> Path:
    """A path for a library that writes by name (matplotlib, python-docx): standard output becomes
    ``/dev/stdout``; a special file is returned as it is (written in place); a regular file is
    created (or truncated) owner-only first, in 0700 folders if they are new."""
    if is_standard_output(path):
        sys.stdout.flush()
        return Path("/dev/stdout")
    target, kind = _resolve(path)
    if kind in ("folder", "socket"):
        raise ThematicaError(f"cannot write the output: it is a {kind}", path=str(path))
    if kind == "special":
        return target
    make_private_folders(target.parent)
    try:
        descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.fchmod(descriptor, 0o600)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise ThematicaError(f"cannot write ({error.strerror})", path=str(path)) from None
    return target
