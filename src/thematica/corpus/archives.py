"""Bounded archives: .docx, .odt, .xlsx and .qdpx are ZIP files, checked before anything is extracted.

A small ZIP can declare gigabytes (a "zip bomb": one highly compressed member, or many entries
sharing one compressed block). Before any member is read, the central directory is checked:

* at most ``MAX_MEMBERS`` members;
* total declared uncompressed size ≤ 10 × the file-size limit;
* compression ratio (uncompressed / compressed) ≤ ``MAX_RATIO`` for the archive as a whole and for
  every member larger than 1 MiB uncompressed (small XML parts legitimately compress well);
* member names relative, without ``..`` components, drive letters or NUL;
* no encrypted members.

Python's ``zipfile`` never returns more than a member's declared size (it stops there and checks
the CRC), so after this check memory stays bounded whoever reads the archive; ``read_member``
additionally streams a member in chunks against an explicit limit.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thematica.errors import ThematicaError

FILE_SIZE_LIMIT = 100 * 1024 * 1024
SIZE_FACTOR = 10
MAX_RATIO = 100
MAX_MEMBERS = 10_000
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveCheck:
    members: int
    compressed: int
    uncompressed: int

    def to_dict(self) -> dict[str, int]:
        return {"members": self.members, "compressed": self.compressed, "uncompressed": self.uncompressed}


def _unsafe_name(name: str) -> bool:
    if "\x00" in name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name.replace("\\", "/")).parts


def check_members(infos: list[zipfile.ZipInfo], path: Path, *, max_bytes: int = FILE_SIZE_LIMIT) -> ArchiveCheck:
    """The checks of the module docstring on a central directory (nothing is decompressed)."""
    if len(infos) > MAX_MEMBERS:
        raise ThematicaError(f"archive refused: {len(infos)} members (the limit is {MAX_MEMBERS})", path=str(path))
    total = compressed = 0
    for info in infos:
        if _unsafe_name(info.filename):
            raise ThematicaError("archive refused: a member name points outside the archive (.. or absolute path)",
                                 path=str(path))
        if info.flag_bits & 0x1:
            raise ThematicaError("archive refused: encrypted members", path=str(path))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ThematicaError(f"archive refused: a member expands {info.file_size // max(info.compress_size, 1)}"
                                 f"-fold (the limit is {MAX_RATIO}; a zip bomb?)", path=str(path))
        total += info.file_size
        compressed += info.compress_size
    limit = SIZE_FACTOR * max_bytes
    if total > limit:
        raise ThematicaError(f"archive refused: {total / 1e6:.0f} MB uncompressed (the limit is {limit / 1e6:.0f} MB)",
                             path=str(path))
    if total > RATIO_FLOOR and total > MAX_RATIO * max(compressed, 1):
        raise ThematicaError(f"archive refused: it expands {total // max(compressed, 1)}-fold "
                             f"(the limit is {MAX_RATIO}; a zip bomb?)", path=str(path))
    return ArchiveCheck(len(infos), compressed, total)


def open_archive(path: Path, *, max_bytes: int = FILE_SIZE_LIMIT, kind: str = "archive") -> zipfile.ZipFile:
    """Open and check a ZIP file; the caller closes it (``with open_archive(...) as archive``)."""
    path = Path(path)
    try:
        status = path.stat()
    except OSError as error:
        raise ThematicaError(f"cannot read ({error.strerror})", path=str(path)) from None
    if not stat.S_ISREG(status.st_mode):
        raise ThematicaError(f"not a {kind} (a folder or a special file)", path=str(path))
    if status.st_size > max_bytes:
        raise ThematicaError(f"file too large ({status.st_size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB)",
                             path=str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ThematicaError(f"not a {kind} (damaged ZIP: {type(error).__name__})",
                             path=str(path)) from None
    try:
        check_members(archive.infolist(), path, max_bytes=max_bytes)
    except BaseException:
        archive.close()
        raise
    return archive


def check_archive(path: Path, *, max_bytes: int = FILE_SIZE_LIMIT, kind: str = "archive") -> ArchiveCheck:
    """Check a ZIP-based file before a library (python-docx, odfpy, openpyxl) extracts it."""
    with open_archive(path, max_bytes=max_bytes, kind=kind) as archive:
        return check_members(archive.infolist(), path, max_bytes=max_bytes)


def read_member(archive: zipfile.ZipFile, name: str, path: Path, *, limit: int = FILE_SIZE_LIMIT) -> bytes:
    """One member's bytes, streamed in chunks and refused past ``limit`` or a bad CRC."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ThematicaError(f"archive member {name!r} is larger than {limit / 1e6:.0f} MB", path=str(path))
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ThematicaError(f"damaged archive member {name!r} ({type(error).__name__})", path=str(path)) from None
    return b"".join(chunks)
