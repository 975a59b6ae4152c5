"""Mapping positions in a text as another tool wrote it to positions in the stored text.

Thematica stores ``\\n`` newlines and Unicode NFC; a file from another tool may have CRLF, lone CR
and decomposed characters (Hangul jamo, Bengali vowel signs, ``e`` + U+0308), and the tool may
count in units other than code points (NVivo: UTF-16 code units; ATLAS.ti: a CRLF as one). Two
steps take a written position to a stored one:

1. *counting* (``Counting``): the tool's unit position → a code-point index into the text as
   written, through the cumulative unit widths ``cum[i]`` (``cum[0] = 0``, ``cum[i+1] = cum[i] +
   width(text[i])``). A start goes to the largest ``i`` with ``cum[i] <= q``, an end to the
   smallest ``i`` with ``cum[i] >= q`` (a position inside a surrogate pair widens to the whole
   character, never cuts it).
2. *normalisation* (``PositionMap``): the written text is cut into chunks at the positions where
   NFC is known not to reach across (UAX #15: before a character with canonical combining class
   0 that is NFC_Quick_Check=Yes and composes with nothing before it), and at newlines; each chunk
   is normalised on its own, so ``stored = "".join(NFC(chunk))``. A boundary between chunks maps
   exactly; a boundary inside a chunk that normalisation changed moves outward to the chunk's
   edges (a start to its first stored character, an end past its last), unless normalising the two
   halves apart gives the same text (then it maps exactly), so a coding always covers the same
   characters it covered in the source, never a neighbour's.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import dataclass
from enum import Enum

from thematica.errors import ThematicaError

_HANGUL_VOWELS = range(0x1161, 0x1176)
_HANGUL_TRAILS = range(0x11A8, 0x11C3)


@functools.cache
def _composes_backward() -> frozenset[str]:
    """Characters that can be the second half of a primary composite (NFC_Quick_Check=Maybe)."""
    found = {chr(cp) for cp in (*_HANGUL_VOWELS, *_HANGUL_TRAILS)}
    for cp in range(0x110000):
        char = chr(cp)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2 and unicodedata.normalize("NFC", char) == char:
                found.add(chr(int(parts[1], 16)))
    return frozenset(found)


def _stable(char: str) -> bool:
    """True when NFC never reaches back across the boundary before ``char``."""
    return (unicodedata.combining(char) == 0 and char not in _composes_backward()
            and unicodedata.normalize("NFC", char) == char)


@dataclass(frozen=True)
class PositionMap:
    """Written positions ``0..len(written)`` → stored positions, one table for starts, one for ends."""

    stored: str
    written_length: int
    starts: tuple[int, ...] | None  # None: the written text was already stored form (identity)
    ends: tuple[int, ...] | None

    def start(self, position: int) -> int:
        return position if self.starts is None else self.starts[position]

    def end(self, position: int) -> int:
        return position if self.ends is None else self.ends[position]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), self.end(end)


def build_position_map(written: str) -> PositionMap:
    """The stored form of ``written`` and the map of every position into it (see the module docstring)."""
    if "\r" not in written and unicodedata.is_normalized("NFC", written):
        return PositionMap(written, len(written), None, None)
    starts = [0] * (len(written) + 1)
    ends = [0] * (len(written) + 1)
    pieces: list[str] = []
    stored = 0
    index = 0
    length = len(written)
    while index < length:
        if written[index] == "\r":
            chunk_end = index + 2 if written.startswith("\r\n", index) else index + 1
            normalised = "\n"
        else:
            chunk_end = index + 1
            while chunk_end < length and written[chunk_end] not in "\r\n" and not _stable(written[chunk_end]):
                chunk_end += 1
            normalised = unicodedata.normalize("NFC", written[index:chunk_end])
        chunk = written[index:chunk_end]
        if normalised == chunk:
            for offset in range(len(chunk)):
                starts[index + offset] = ends[index + offset] = stored + offset
        else:
            cuts = _safe_cuts(chunk, normalised)
            for offset in range(len(chunk)):
                below = max(cut for cut in cuts if cut <= offset)
                above = min(cut for cut in cuts if cut >= offset)
                starts[index + offset] = stored + cuts[below]
                ends[index + offset] = stored + cuts[above]
        pieces.append(normalised)
        stored += len(normalised)
        index = chunk_end
    starts[length] = ends[length] = stored
    return PositionMap("".join(pieces), length, tuple(starts), tuple(ends))


def _safe_cuts(chunk: str, normalised: str) -> dict[int, int]:
    """Offsets inside a chunk where normalising the two halves apart gives the same text, with the
    stored offset each maps to (the chunk's ends always included)."""
    cuts = {0: 0, len(chunk): len(normalised)}
    for offset in range(1, len(chunk)):
        head = unicodedata.normalize("NFC", chunk[:offset])
        if head + unicodedata.normalize("NFC", chunk[offset:]) == normalised:
            cuts[offset] = len(head)
    return cuts


class Counting(str, Enum):
    """How a tool counts positions in a text source."""

    codepoints = "codepoints"  # the REFI-QDA standard (§10.2): Unicode code points from 0
    utf16 = "utf16"  # NVivo: UTF-16 code units (a character outside the BMP counts two)
    crlf_as_one = "codepoints-crlf-as-one"  # ATLAS.ti: code points, but a CRLF line break counts one


@dataclass(frozen=True)
class UnitIndex:
    """Unit positions of one counting over one written text, and their code-point indices."""

    counting: Counting
    cumulative: tuple[int, ...] | None  # None: units are code points

    def start(self, units: int) -> int:
        if self.cumulative is None:
            return units
        return bisect.bisect_right(self.cumulative, units) - 1

    def end(self, units: int) -> int:
        if self.cumulative is None:
            return units
        return bisect.bisect_left(self.cumulative, units)


def unit_index(written: str, counting: Counting) -> tuple[UnitIndex, int]:
    """The index for ``counting`` over ``written`` and the text's length in those units."""
    if counting is Counting.codepoints:
        return UnitIndex(counting, None), len(written)
    if counting is Counting.utf16:
        if all(ord(char) < 0x10000 for char in written):
            return UnitIndex(counting, None), len(written)
        widths = [2 if ord(char) >= 0x10000 else 1 for char in written]
    else:
        if "\r\n" not in written:
            return UnitIndex(counting, None), len(written)
        widths = [0 if char == "\n" and index and written[index - 1] == "\r" else 1
                  for index, char in enumerate(written)]
    cumulative = [0]
    for width in widths:
        cumulative.append(cumulative[-1] + width)
    return UnitIndex(counting, tuple(cumulative)), cumulative[-1]


def written_span(index: UnitIndex, total: int, start: int, end: int, where: str) -> tuple[int, int]:
    """A selection ``[start, end)`` in units → code-point indices into the written text (checked)."""
    if not 0 <= start <= end <= total:
        raise ThematicaError(f"selection [{start}, {end}) outside the source (length {total} in {index.counting.value})",
                             path=where)
    return index.start(start), index.end(end)


def utf16_offsets(text: str) -> list[int]:
    """For each code-point position ``0..len(text)``, the UTF-16 code-unit position (for NVivo)."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) >= 0x10000 else 1))
    return offsets
