"""Text that cannot hurt its reader: CSV/XLSX cells that a spreadsheet would run as a formula,
characters XML (DOCX) cannot hold, and control characters that would drive a terminal.

* Formula injection (OWASP "CSV injection"): a cell starting with ``=``, ``+``, ``-``, ``@``, tab
  or carriage return is read by Excel/LibreOffice as a formula; such cells get a leading ``'``,
  which both programs show as text and do not print. Numbers (int/float) are left alone, so
  ``-0.5`` stays a number.
* XML 1.0 allows only tab, newline, carriage return and U+0020 and above (minus surrogates and
  U+FFFE/U+FFFF); the other C0 controls, DEL and the C1 controls are shown as their Unicode
  "control pictures" (U+2400 + code, e.g. ESC → ␛) or U+FFFD, so nothing is lost silently.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def csv_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will read it without running it (numbers and None pass unchanged).

    Text that already starts with quotes before a formula character gets one more, so that
    :func:`csv_uncell` gives back exactly what was written (Thematica re-imports its own CSV)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def csv_uncell(text: str) -> str:
    """The inverse of :func:`csv_cell` for a cell read back from a Thematica CSV export."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through :func:`csv_cell`."""

    def __init__(self, handle: io.TextIOBase | Any, **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` whose every value passes through :func:`csv_cell`."""

    def __init__(self, handle: io.TextIOBase | Any, fieldnames: Iterable[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        self._writer = csv.DictWriter(handle, fieldnames=list(fieldnames), **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: dict[str, Any]) -> Any:
        return self._writer.writerow({key: csv_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text, every cell neutralised."""
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows(rows)
    return buffer.getvalue()


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by a visible stand-in."""
    return _CONTROLS.sub(_picture, text)


def terminal_safe(text: str) -> str:
    """``text`` for a terminal: newlines and tabs kept, every other control character (ESC
    sequences, carriage return, backspace, bell, C1 controls) shown as a visible picture."""
    return _TERMINAL_CONTROLS.sub(_picture, text)
