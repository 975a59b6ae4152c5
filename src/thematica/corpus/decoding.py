"""Strict, per-file decoding of transcript bytes: the text comes in exactly, or it is refused.

The order of decisions, per file (never per line, never "whatever decodes"):

1. A byte-order mark decides: UTF-8 (``EF BB BF``) or UTF-16 (``FF FE`` / ``FE FF``), decoded strictly.
2. Without one, bytes that only binary files have (C0 controls other than tab, newlines, form
   feed and ESC) making up more than 5 % of the file (and more than 8 bytes) mean "not a
   transcript (binary?)"; fewer are refused one by one, with their position, in step 5.
3. Valid UTF-8 is UTF-8. A file with any valid multi-byte UTF-8 sequence but some invalid bytes is
   refused with the line and column of the first invalid byte (one stray cp1252 byte must not turn
   every ë of a UTF-8 file into "Ã«"). Only a file with no valid multi-byte sequence is cp1252;
   its five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are refused with their position.
4. Letters must be mostly in the script of the chosen language: for the Latin-script languages at
   least half of the letters are a–z and letters are at least 40 % of the visible characters;
   otherwise "not a transcript (binary?)" (random high bytes decode as cp1252 to Latin-1 letters
   and symbols, not to words).
5. NUL, other C0 controls (tab and newlines allowed), DEL, C1 controls and terminal escape
   sequences are refused with their line and column, or with ``strip_controls`` removed and
   counted (an escape sequence counts once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ThematicaError

LATIN_LANGUAGES = frozenset({"nl", "en", "de", "fr", "es", "it", "pt", "da", "sv", "no", "fi", "pl", "cs"})
BINARY_SHARE = 0.05
BINARY_MINIMUM = 8
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")
# ESC [ ... final (CSI), ESC ] ... BEL or ESC \ (OSC), ESC + one byte (other escapes), C1 CSI.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_ESCAPE = re.compile(f"{_ESCAPE.pattern}|{_CONTROL.pattern}")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_VISIBLE = re.compile(r"\S")
SCRIPT_SAMPLE = 1_000_000


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read in, and how many control characters were removed."""

    text: str
    encoding: str
    controls_removed: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"encoding": self.encoding, "controls_removed": self.controls_removed, "length": len(self.text)}


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``text[index]``; ``\\r\\n`` and ``\\r`` end lines."""
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    prefix = raw[:offset].decode("utf-8", errors="replace")
    return line_and_column(prefix + " ", len(prefix))


def _strict(raw: bytes, encoding: str, path: Path, skip: int = 0) -> str:
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw[skip:], error.start)
        raise ThematicaError(f"not valid {encoding.upper()} (byte 0x{raw[skip + error.start]:02x} at line {line}, "
                             f"column {column})", path=str(path)) from None


def decode_bytes(raw: bytes, path: Path, what: str = "a transcript") -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 for a file with no UTF-8
    in it; binary content and broken UTF-8 are refused (``what`` names the file kind in the message)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw, "utf-8", path, skip=3), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ThematicaError(f"not valid UTF-16 (at byte {error.start})", path=str(path)) from None
    if len(_BINARY_BYTES.findall(raw)) > max(BINARY_MINIMUM, BINARY_SHARE * len(raw)):
        raise ThematicaError(f"not {what} (binary content?)", path=str(path))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        first_bad = error.start
    escaped = raw.decode("utf-8", errors="surrogateescape")
    if _MULTIBYTE.search(escaped):
        line, column = _byte_position(raw, first_bad)
        bad = len(_UNDECODABLE.findall(escaped))
        raise ThematicaError(
            f"not valid UTF-8: byte 0x{raw[first_bad]:02x} at line {line}, column {column} "
            f"({bad} invalid byte{'s' if bad != 1 else ''} in a UTF-8 file; fix or re-save the file as UTF-8)",
            path=str(path))
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        raise ThematicaError(f"neither valid UTF-8 nor cp1252 (byte 0x{raw[error.start]:02x} at line {line}, "
                             f"column {column})", path=str(path)) from None


def check_script(text: str, path: Path, language: str = "nl") -> None:
    """Refuse text whose letters are not mostly in the language's script (see the module doc)."""
    sample = _CONTROL_OR_ESCAPE.sub("", text[:SCRIPT_SAMPLE])
    letters = len(_LETTER.findall(sample))
    visible = len(_VISIBLE.findall(sample))
    if visible == 0:
        return
    if letters == 0 or (visible >= 200 and letters < 0.4 * visible):
        raise ThematicaError("not a transcript (binary?): too few letters", path=str(path))
    if language in LATIN_LANGUAGES and letters >= 20 and len(_ASCII_LETTER.findall(sample)) < 0.5 * letters:
        raise ThematicaError("not a transcript (binary?): the letters are not mostly Latin script", path=str(path))


def describe_control(character: str) -> str:
    return "NUL byte" if character == "\x00" else (
        "terminal escape sequence" if character in "\x1b\x9b" else f"control character U+{ord(character):04X}")


def check_controls(text: str, path: Path, *, strip: bool = False, hint: str = "; remove it, or import with --strip-controls",
                   ) -> tuple[str, int]:
    """Refuse (or with ``strip`` remove and count) NUL, C0/C1 controls and escape sequences."""
    found = _CONTROL_OR_ESCAPE.search(text)
    if found is None:
        return text, 0
    if not strip:
        line, column = line_and_column(text, found.start())
        total = len(_CONTROL_OR_ESCAPE.findall(text))
        more = f" ({total} in the file)" if total > 1 else ""
        raise ThematicaError(f"{describe_control(found.group()[0])} at line {line}, column {column}{more}{hint}",
                             path=str(path))
    return _CONTROL_OR_ESCAPE.subn("", text)


def decode_transcript(raw: bytes, path: Path, *, language: str = "nl", strip_controls: bool = False,
                      script: bool = True) -> Decoded:
    """Bytes of one transcript -> its text, by the rules in the module docstring (``script=False``
    leaves step 4 to the caller, for formats whose markup is not text: subtitles)."""
    text, encoding = decode_bytes(raw, path)
    if script:
        check_script(text, path, language)
    text, removed = check_controls(text, path, strip=strip_controls)
    return Decoded(text, encoding, removed)


def decode_table(raw: bytes, path: Path) -> Decoded:
    """Bytes of a small table or list (CSV, names list): strict encoding and no control characters
    (tabs and newlines are fine), without the transcript's script check."""
    text, encoding = decode_bytes(raw, path, "a text file")
    text, _ = check_controls(text, path, hint="")
    return Decoded(text, encoding)


def decode_utf8(raw: bytes, path: Path, *, strip_controls: bool = False) -> Decoded:
    """Bytes that a format defines as UTF-8 (a REFI-QDA source): strictly UTF-8, BOM allowed, no
    controls; the first invalid byte is named by line and column."""
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(raw, "utf-8", path, skip=3), "utf-8-sig"
    else:
        text, encoding = _strict(raw, "utf-8", path), "utf-8"
    text, removed = check_controls(text, path, strip=strip_controls, hint="")
    return Decoded(text, encoding, removed)
