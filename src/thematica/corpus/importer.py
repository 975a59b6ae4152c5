"""Importing transcripts into a project: read, normalise, segment, store — one transaction per file.

A file whose name is already in the project is skipped when its text is identical (same sha256)
and refused when it differs: document text is immutable once imported, so offsets never drift.
All files are read and checked before the first one is stored, so a bad file changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from thematica.corpus.readers import read_document
from thematica.corpus.segmentation import UnitSpan, numbered, segment_text
from thematica.corpus.turns import parse_turns
from thematica.errors import ThematicaError
from thematica.store import audit, cases as case_store, documents as document_store
from thematica.store.models import Document
from thematica.store.project import Project

SUPPORTED_LANGUAGES = ("nl", "en", "de", "fr")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class ImportResult:
    name: str
    status: str  # "imported" or "unchanged"
    words: int
    units: dict[str, int]
    controls_removed: int = 0


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_files(
    project: Project, paths: Sequence[Path], *, language: str = "nl", case: str | None = None,
    actor: str = "system", names: Sequence[str] | None = None, strip_controls: bool = False,
) -> list[ImportResult]:
    """Import transcripts; each document is stored with its units in its own transaction.

    With ``strip_controls`` control characters and escape sequences are removed (and counted in
    the result) instead of refused."""
    if language not in SUPPORTED_LANGUAGES:
        raise ThematicaError(f"unsupported language {language!r} (choose from {', '.join(SUPPORTED_LANGUAGES)})")
    names = list(names) if names is not None else [Path(path).stem for path in paths]
    if len(set(names)) != len(names):
        raise ThematicaError("two files would get the same document name")
    texts = [read_document(Path(path), language=language, strip_controls=strip_controls) for path in paths]
    with project.reading() as session:
        for name, read, path in zip(names, texts, paths):
            existing = document_store.document_by_name(session, name)
            if existing is not None and existing.sha256 != sha256_text(read.text):
                raise ThematicaError(
                    f"document {name!r} is already in the project with a different text; "
                    "texts are immutable once imported — import the new version under another name",
                    path=str(path),
                )
    results = []
    for name, read in zip(names, texts):
        result = store_text(project, name, read.text, language=language, case=case, actor=actor,
                            source_path=str(read.source_path), source_format=read.format, encoding=read.encoding)
        results.append(replace(result, controls_removed=read.controls_removed))
    return results


def normalise_text(text: str) -> str:
    """The stored form of any text: ``\n`` newlines and Unicode NFC (offsets refer to this form)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def store_text(
    project: Project, name: str, text: str, *, language: str = "nl", case: str | None = None, actor: str = "system",
    source_path: str | None = None, source_format: str = "text", encoding: str = "utf-8",
) -> ImportResult:
    """Store one document with its units in one transaction (the text is normalised first).

    The text is segmented *before* the transaction opens: spaCy takes seconds on a long transcript, and
    the write lock is held only while the rows are written, so other coders are never kept waiting."""
    text = normalise_text(text)
    units = segment_text(text, language, parse_turns(text)) if text.strip() else []
    with project.transaction() as session:
        return add_document(session, name, text, language=language, case=case, actor=actor,
                            source_path=source_path, source_format=source_format, encoding=encoding, units=units)


def add_document(
    session,  # the caller's transaction (a SQLAlchemy Session; services do not import sqlalchemy)
    name: str, text: str, *, language: str = "nl", case: str | None = None, actor: str = "system",
    source_path: str | None = None, source_format: str = "text", encoding: str = "utf-8",
    units: Sequence[UnitSpan] | None = None,
) -> ImportResult:
    """Store one document with its units inside the caller's transaction (for imports that are one action);
    ``units`` when the caller segmented the text already (outside its transaction)."""
    text = normalise_text(text)
    if not text.strip():
        raise ThematicaError(f"document {name!r} is empty", path=source_path)
    digest = sha256_text(text)
    existing = document_store.document_by_name(session, name)
    if existing is not None:
        if existing.sha256 != digest:
            raise ThematicaError(f"document {name!r} is already in the project with a different text", path=source_path)
        return ImportResult(name, "unchanged", existing.word_count, {})
    case_row = case_store.get_or_create_case(session, case) if case else None
    if units is None:
        units = segment_text(text, language, parse_turns(text))
    document = Document(
        name=name, text=text, language=language, sha256=digest, source_path=source_path,
        source_format=source_format, case_id=case_row.id if case_row else None,
        position=document_store.next_position(session), length=len(text), word_count=count_words(text),
    )
    session.add(document)
    session.flush()
    document_store.add_units(session, document.id, numbered(units))
    audit.record(session, actor, "document.import", "document", document.id, name=name, sha256=digest,
                 encoding=encoding, format=source_format)
    return ImportResult(name, "imported", document.word_count, dict(Counter(unit.kind for unit in units)))
