"""Markdown text and tables whose content cannot break them; every Markdown file Thematica writes
escapes through here.

* Raw HTML: ``&``, ``<`` and ``>`` become entities, so a ``<script>`` in a participant's words or
  a code name is shown, never run.
* Line structure: a line break inside a name or a quote would start a heading, a list or a
  quote; runs of whitespace become one space (a no-break space stays), and a line-opening ``#``, ``>``, ``-``, ``+``,
  ``*``, ``=`` or "1." is backslash-escaped.
* Inline markup: ``\\``, ``*``, ``_``, `````, ``[``, ``]`` and ``|`` are backslash-escaped (``|``
  would open a new table column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from thematica.safe_text import xml_safe

_SPACES = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x1c-\x1f\x85]+")  # not the no-break space
_INLINE = re.compile(r"([\\`*_\[\]|])")
_LINE_START = re.compile(r"^(#|>|-|\+|=|~|(\d+)[.)])")


def _inline(value: object) -> str:
    text = xml_safe(_SPACES.sub(" ", str(value)).strip(" "))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", text)


def md_text(value: object) -> str:
    """Any text as one line of literal Markdown (a paragraph, a heading, a list item)."""
    text = _inline(value)
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if not m.group(2) else m.group(2) + "\\" + m.group(1)[-1],
                           text)


def md_cell(value: object) -> str:
    """A table cell: never opens a line, so only inline markup and HTML are escaped."""
    return _inline(value)


def md_row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(md_cell(cell) for cell in cells) + " |"


_SEPARATORS = {"left": "---", "right": "--:", "center": ":-:"}


def md_table(headers: list[str], rows: Iterable[Iterable[object]], align: Iterable[str] | None = None) -> list[str]:
    """The header, the separator (``--:`` for right-aligned columns) and one line per row."""
    kinds = list(align) if align is not None else ["left"] * len(headers)
    kinds += ["left"] * (len(headers) - len(kinds))
    return [md_row(headers), "|" + "|".join(_SEPARATORS[kind] for kind in kinds[:len(headers)]) + "|",
            *(md_row(row) for row in rows)]
