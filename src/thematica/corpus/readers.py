"""Reading transcript files into normalised text: txt, md, docx, WebVTT and SRT.

Encoding: UTF-8 with BOM, UTF-8, else cp1252 (the Windows code page Dutch transcripts are often
typed in). Bytes that are neither (cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined), binary
files and empty files are refused with the position of the problem. The stored form is ``\\n`` newlines and Unicode NFC; nothing else is
changed, because other tools' offsets refer to the text as written.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from thematica.corpus.formats import READERS as FORMAT_READERS, SUFFIXES as FORMAT_SUFFIXES
from thematica.errors import ThematicaError

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".vtt": "vtt", ".srt": "srt"}
FORMATS.update(FORMAT_SUFFIXES)  # .pdf, .odt, .rtf, .html (corpus/formats)
MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class ReadText:
    text: str
    format: str
    encoding: str
    source_path: Path


def normalise(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; then Unicode NFC (so 'e' + combining diaeresis is 'ë')."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), else cp1252; refuse binary content."""
    if b"\x00" in raw[:65536]:
        raise ThematicaError("not a text file (binary content)", path=str(path))
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ThematicaError(
            f"neither valid UTF-8 nor cp1252 (byte 0x{raw[error.start]:02x} at position {error.start})", path=str(path)
        ) from None
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise ThematicaError("not a text file (control characters; is it binary?)", path=str(path))
    return text, "cp1252"


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> ReadText:
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ThematicaError(f"unsupported file type {path.suffix or '(none)'} "
                             "(use .txt, .md, .docx, .vtt, .srt, .pdf, .odt, .rtf or .html)", path=str(path))
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ThematicaError(f"cannot read ({error.strerror})", path=str(path)) from None
    if size > max_bytes:
        raise ThematicaError(f"file too large ({size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB)",
                             path=str(path))
    if size == 0:
        raise ThematicaError("empty file", path=str(path))
    if kind == "docx":
        text, encoding = _read_docx(path), "docx"
    elif kind in FORMAT_READERS:
        text, encoding = FORMAT_READERS[kind](path), kind
    else:
        text, encoding = decode(path.read_bytes(), path)
        if kind == "vtt":
            text = _subtitles_to_turns(text, webvtt=True)
        elif kind == "srt":
            text = _subtitles_to_turns(text, webvtt=False)
    text = normalise(text)
    if not text.strip():
        raise ThematicaError("empty file (no text)", path=str(path))
    return ReadText(text, kind, encoding, path)


def _read_docx(path: Path) -> str:
    """Paragraphs of the body, tables included, in document order, one per line."""
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ThematicaError(f"not a readable .docx file ({type(error).__name__})", path=str(path)) from None
    except Exception as error:  # python-docx raises several package errors for damaged files
        raise ThematicaError(f"not a readable .docx file ({type(error).__name__})", path=str(path)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(lines) + "\n"


_TIMING = re.compile(r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}.*$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_LABEL = re.compile(r"^([^\W\d][\w.' -]{0,40}):\s*(.*)$")


def _subtitles_to_turns(text: str, *, webvtt: bool) -> str:
    """Cues become speaker turns: timestamps, cue numbers, headers and NOTE blocks dropped.

    ``<v Name>text</v>`` and ``Name: text`` keep the speaker; consecutive cues of one speaker are
    joined into one turn; turns are separated by a blank line.
    """
    blocks = re.split(r"\n\s*\n", normalise(text).strip())
    turns: list[tuple[str | None, str]] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if webvtt and (lines[0].startswith("WEBVTT") or lines[0].startswith(("NOTE", "STYLE", "REGION"))):
            continue
        while lines and not _TIMING.match(lines[0]):
            lines.pop(0)  # cue number or cue identifier
        if not lines:
            continue
        lines.pop(0)
        content = " ".join(lines)
        speaker = None
        voice = _VOICE.search(content)
        if voice:
            speaker = voice.group(1).strip()
        content = _TAG.sub("", content).strip()
        label = _LABEL.match(content)
        if speaker is None and label:
            speaker, content = label.group(1).strip(), label.group(2).strip()
        if not content:
            continue
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {content}")
        else:
            turns.append((speaker, content))
    return "\n\n".join(f"{speaker}: {content}" if speaker else content for speaker, content in turns) + "\n"
