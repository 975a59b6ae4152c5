"""Names people give things — codes, coders, cases, themes, groups (trial arms), variables.

A name is stored NFC-normalised and trimmed, at most ``MAX_NAME_LENGTH`` characters, without
control characters (C0, C1, DEL), line or paragraph separators, or bidirectional overrides: such
names break one-line messages, terminal tables, DOCX exports and PostgreSQL (NUL). A code path
(``Parent/Child``) has at most ``MAX_CODE_DEPTH`` levels. ``clean_name`` normalises and checks at
an entry point; ``check_stored_name`` (used by the store's models as the last safety net) refuses
a name that was not cleaned.
"""

from __future__ import annotations

import re
import unicodedata

from thematica.errors import ThematicaError

MAX_NAME_LENGTH = 200
MAX_CODE_DEPTH = 10
PATH_SEPARATOR = "/"
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def shown(value: str, limit: int = 40) -> str:
    """A name as quoted in a message: escaped (one line, no terminal codes) and shortened."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)


def _problem(value: str) -> str | None:
    found = _FORBIDDEN.search(value)
    if found:
        character = found.group()
        if character in "\n\r\u2028\u2029\x85":
            what = "a line break"
        elif character in "\x1b\x9b":
            what = "an escape sequence (U+001B)" if character == "\x1b" else "an escape sequence (U+009B)"
        elif character == "\x00":
            what = "a NUL character"
        else:
            what = f"a control character (U+{ord(character):04X})"
        return f"contains {what} at position {found.start() + 1}"
    if len(value) > MAX_NAME_LENGTH:
        return f"is {len(value)} characters long (at most {MAX_NAME_LENGTH})"
    return None


def clean_name(value: object, kind: str = "name", *, path: str | None = None, row: int | None = None) -> str:
    """NFC, trimmed, checked; raises ``ThematicaError`` naming the ``kind`` (code, case, theme...)."""
    if not isinstance(value, str):
        raise ThematicaError(f"{kind} name must be text", path=path, row=row)
    name = unicodedata.normalize("NFC", value).strip()
    if not name:
        raise ThematicaError(f"{kind} name is empty", path=path, row=row)
    problem = _problem(name)
    if problem:
        raise ThematicaError(f"{kind} name {shown(name)} {problem}", path=path, row=row)
    return name


def clean_code_path(value: object, *, path: str | None = None, row: int | None = None) -> list[str]:
    """A code path split into its cleaned names; at most ``MAX_CODE_DEPTH`` levels, none empty."""
    if not isinstance(value, str) or not value.strip():
        raise ThematicaError("invalid code path (empty)", path=path, row=row)
    parts = value.split(PATH_SEPARATOR)
    if len(parts) > MAX_CODE_DEPTH:
        raise ThematicaError(f"code path has {len(parts)} levels (at most {MAX_CODE_DEPTH})", path=path, row=row)
    cleaned = []
    for part in parts:
        if not part.strip():
            raise ThematicaError(f"invalid code path {shown(value)} (an empty level)", path=path, row=row)
        cleaned.append(clean_name(part, "code", path=path, row=row))
    return cleaned


def check_stored_name(value: str | None, kind: str) -> str | None:
    """The models' safety net: a name reaching the database must already be clean."""
    if value is None:
        return value
    if not isinstance(value, str):
        raise ThematicaError(f"{kind} name must be text")
    problem = _problem(value)
    if problem is None and (not value.strip() or value != value.strip()
                            or unicodedata.normalize("NFC", value) != value):
        problem = "is empty, not trimmed or not NFC-normalised"
    if problem:
        raise ThematicaError(f"{kind} name {shown(value)} {problem}")
    return value
