"""Rich Text Format (.rtf) through striprtf; ``\\'xx`` escapes in the file's ANSI code page, ``\\uN`` as Unicode."""

from __future__ import annotations

import re
from pathlib import Path

from thematica.errors import ThematicaError

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf(path: Path) -> str:
    from striprtf.striprtf import rtf_to_text

    raw = path.read_bytes()
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ThematicaError("not an RTF file (no {\\rtf header)", path=str(path))
    found = _CODEPAGE.search(raw[:2048])
    encoding = f"cp{found.group(1).decode()}" if found else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(raw.decode("latin-1"), encoding=encoding, errors="strict")
    except UnicodeDecodeError as error:
        raise ThematicaError(f"RTF text is not valid {encoding} ({error.reason})", path=str(path)) from None
    # RTF writes a character outside the BMP as two \\uN escapes (a UTF-16 surrogate pair): join them;
    # a lone surrogate becomes U+FFFD rather than an unstorable string
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
