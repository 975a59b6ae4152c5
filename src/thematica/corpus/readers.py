"""Reading transcript files into normalised text: txt, md, docx, WebVTT and SRT.

Encoding: decided per file and strictly by ``thematica.corpus.decoding`` (UTF-8 with or without
BOM, UTF-16 with BOM, cp1252 only for a file with no UTF-8 in it); stray bytes, control
characters and binary content are refused with their position. Archives (.docx) are checked by
``thematica.corpus.archives`` before anything is extracted. The stored form is ``\\n`` newlines and Unicode NFC; nothing else is
changed, because other tools' offsets refer to the text as written.
"""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from thematica.corpus.formats import READERS as FORMAT_READERS, SUFFIXES as FORMAT_SUFFIXES
from thematica.corpus.archives import check_archive
from thematica.corpus.decoding import check_controls, check_script, decode_table, decode_transcript
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
    controls_removed: int = 0


def normalise(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; then Unicode NFC (so 'e' + combining diaeresis is 'ë')."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode a small text file (a list, a table) strictly; see ``thematica.corpus.decoding``."""
    decoded = decode_table(raw, path)
    return decoded.text, decoded.encoding


def read_document(path: Path, *, max_bytes: int = MAX_BYTES, language: str = "nl",
                  strip_controls: bool = False) -> ReadText:
    """One transcript file -> its stored text; refused (``ThematicaError``) rather than guessed."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ThematicaError(f"unsupported file type {path.suffix or '(none)'} "
                             "(use .txt, .md, .docx, .vtt, .srt, .pdf, .odt, .rtf or .html)", path=str(path))
    try:
        status = path.stat()
    except OSError as error:
        raise ThematicaError(f"cannot read ({error.strerror})", path=str(path)) from None
    if stat.S_ISDIR(status.st_mode):
        raise ThematicaError("is a folder, not a transcript file", path=str(path))
    if not stat.S_ISREG(status.st_mode):
        raise ThematicaError("not a regular file (a device, pipe or socket)", path=str(path))
    size = status.st_size
    if size > max_bytes:
        raise ThematicaError(f"file too large ({size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB)",
                             path=str(path))
    if size == 0:
        raise ThematicaError("empty file", path=str(path))
    removed = 0
    if kind == "docx" or kind in FORMAT_READERS:
        if kind in ("docx", "odt"):  # zip archives: bounded before anything is extracted
            check_archive(path, max_bytes=max_bytes, kind=f"readable .{kind} file")
        text, encoding = (_read_docx(path), "docx") if kind == "docx" else (FORMAT_READERS[kind](path), kind)
        check_script(text, path, language)
        text, removed = check_controls(text, path, strip=strip_controls)
    else:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise ThematicaError(f"cannot read ({error.strerror})", path=str(path)) from None
        subtitles = kind in ("vtt", "srt")
        decoded = decode_transcript(raw, path, language=language, strip_controls=strip_controls, script=not subtitles)
        text, encoding, removed = decoded.text, decoded.encoding, decoded.controls_removed
        if subtitles:
            text = _subtitles_to_turns(text, webvtt=kind == "vtt")
            check_script(text, path, language)
    text = normalise(text)
    if not text.strip():
        raise ThematicaError("empty file (no text)", path=str(path))
    return ReadText(text, kind, encoding, path, removed)


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
