"""Reading bibliographic exports: RIS (rispy), BibTeX (bibtexparser), PubMed/MEDLINE text and CSV.

Every file is read whole and checked before anything is stored: a record without a title, or a file
in none of the four formats, refuses the file (exit 2 naming the file and record), so a half-read
export never enters the review. The source database (PRISMA 2020 "records identified from each
database") comes from the record's own field (RIS ``DB``, CSV ``database``) or from ``--database``,
else from the file's name.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError

FORMATS = ("ris", "bibtex", "medline", "csv")
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_MEDLINE_LINE = re.compile(r"^([A-Z]{2,4})\s*-\s?(.*)$")

CSV_COLUMNS = {
    "title": ("title", "article title", "primary title", "ti"),
    "abstract": ("abstract", "ab"),
    "authors": ("authors", "author", "au"),
    "year": ("year", "publication year", "py"),
    "journal": ("journal", "source title", "journal/book", "source", "so"),
    "doi": ("doi", "do"),
    "database": ("database", "db"),
}


@dataclass(frozen=True)
class BibRecord:
    """One record as read, before it is stored; ``row`` is its position in the file (1-based)."""

    title: str
    abstract: str
    authors: tuple[str, ...]
    year: int | None
    journal: str
    doi: str
    database: str
    row: int

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""


def normalise_doi(text: str) -> str:
    """``https://doi.org/10.1/ABC`` and ``doi:10.1/abc`` are the same DOI: lower case, no prefix."""
    doi = _DOI_PREFIX.sub("", (text or "").strip()).strip().rstrip(".")
    return doi.lower() if doi.startswith("10.") else ""


def _year(text: str | int | None) -> int | None:
    if text is None:
        return None
    found = _YEAR.search(str(text))
    return int(found.group(1)) if found else None


def _clean(text: object) -> str:
    value = " ".join(str(text or "").split())
    return unicodedata.normalize("NFC", value)


def detect_format(path: Path, text: str) -> str:
    """The format from the content (the extension only breaks ties): RIS ``TY  -``, BibTeX ``@type{``,
    MEDLINE ``PMID-``, else CSV with a title column."""
    head = text.lstrip("\ufeff").lstrip()[:4000]
    if re.search(r"^TY  - ", head, re.MULTILINE):
        return "ris"
    if re.match(r"@\w+\s*[{(]", head):
        return "bibtex"
    if re.search(r"^PMID-", head, re.MULTILINE):
        return "medline"
    first_line = head.splitlines()[0] if head else ""
    try:
        header = next(csv.reader(io.StringIO(first_line)))
    except (csv.Error, StopIteration):
        header = []
    if any(name.strip().lower() in CSV_COLUMNS["title"] for name in header):
        return "csv"
    raise ThematicaError("not a RIS, BibTeX, MEDLINE or CSV export (no records recognised)", path=str(path))


def read_records(path: Path, *, database: str | None = None) -> list[BibRecord]:
    """All records of one export file; raises ``ThematicaError`` naming the record for a bad one."""
    path = Path(path)
    if path.is_dir():
        raise ThematicaError("is a folder, not an export file", path=str(path))
    text = read_text_file(path)
    kind = detect_format(path, text)
    readers = {"ris": _ris, "bibtex": _bibtex, "medline": _medline, "csv": _csv}
    records = readers[kind](path, text.lstrip("\ufeff"), database or "")
    if not records:
        raise ThematicaError(f"no records in this {kind} file", path=str(path))
    fallback = database or path.stem
    return [record if record.database else _with_database(record, fallback) for record in records]


def _with_database(record: BibRecord, database: str) -> BibRecord:
    return BibRecord(record.title, record.abstract, record.authors, record.year, record.journal, record.doi,
                     database, record.row)


def _require_title(path: Path, row: int, title: str) -> str:
    if not title:
        raise ThematicaError("record has no title", path=str(path), row=row)
    return title


def _ris(path: Path, text: str, database: str) -> list[BibRecord]:
    import rispy

    try:
        entries = rispy.loads(text)
    except (ValueError, IOError, KeyError) as error:
        raise ThematicaError(f"not a valid RIS file ({type(error).__name__})", path=str(path)) from None
    records = []
    for number, entry in enumerate(entries, start=1):
        title = _clean(entry.get("title") or entry.get("primary_title") or entry.get("translated_title") or "")
        authors = tuple(_clean(a) for a in (entry.get("authors") or entry.get("first_authors") or []) if _clean(a))
        journal = _clean(entry.get("journal_name") or entry.get("secondary_title") or entry.get("alternate_title3")
                         or entry.get("alternate_title1") or "")
        records.append(BibRecord(
            _require_title(path, number, title), _clean(entry.get("abstract") or entry.get("notes_abstract") or ""),
            authors, _year(entry.get("year") or entry.get("publication_year") or entry.get("date")), journal,
            normalise_doi(str(entry.get("doi") or "")), database or _clean(entry.get("name_of_database") or ""),
            number))
    return records


def _bibtex_authors(text: str) -> tuple[str, ...]:
    return tuple(_clean(name) for name in re.split(r"\s+and\s+", text.strip().strip("{}")) if _clean(name))


def _strip_braces(text: str) -> str:
    return _clean(str(text).replace("{", "").replace("}", ""))


def _bibtex(path: Path, text: str, database: str) -> list[BibRecord]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        line = getattr(block, "start_line", None)
        raise ThematicaError("malformed BibTeX entry", path=str(path), row=None if line is None else line + 1)
    records = []
    for number, entry in enumerate(library.entries, start=1):
        fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
        title = _strip_braces(fields.get("title", ""))
        records.append(BibRecord(
            _require_title(path, number, title), _strip_braces(fields.get("abstract", "")),
            tuple(_strip_braces(a) for a in _bibtex_authors(str(fields.get("author", "")))),
            _year(fields.get("year")), _strip_braces(fields.get("journal", fields.get("booktitle", ""))),
            normalise_doi(_strip_braces(fields.get("doi", ""))), database, number))
    return records


def _medline(path: Path, text: str, database: str) -> list[BibRecord]:
    """PubMed's MEDLINE format: ``TAG - value`` lines, continuations indented by six spaces, records
    separated by blank lines; DOI from ``LID``/``AID`` values marked ``[doi]``."""
    blocks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        match = _MEDLINE_LINE.match(line)
        if match:
            current.append((match.group(1), match.group(2).strip()))
        elif line.startswith("      ") and current:
            tag, value = current[-1]
            current[-1] = (tag, f"{value} {line.strip()}")
    if current:
        blocks.append(current)
    records = []
    for number, block in enumerate(blocks, start=1):
        tags: dict[str, list[str]] = {}
        for tag, value in block:
            tags.setdefault(tag, []).append(value)
        if "PMID" not in tags:
            raise ThematicaError("MEDLINE record without PMID", path=str(path), row=number)
        doi = ""
        for value in tags.get("LID", []) + tags.get("AID", []):
            if value.endswith("[doi]"):
                doi = normalise_doi(value[: -len("[doi]")])
                break
        title = _clean(" ".join(tags.get("TI", [])))
        records.append(BibRecord(
            _require_title(path, number, title), _clean(" ".join(tags.get("AB", []))),
            tuple(_clean(a) for a in tags.get("FAU", tags.get("AU", []))), _year(" ".join(tags.get("DP", []))),
            _clean(" ".join(tags.get("JT", tags.get("TA", [])))), doi, database or "PubMed", number))
    return records


def _csv(path: Path, text: str, database: str) -> list[BibRecord]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    column: dict[str, str | None] = {}
    for key, aliases in CSV_COLUMNS.items():
        column[key] = next((original for original, lowered in zip(reader.fieldnames or [], fields)
                            if lowered in aliases), None)
    records = []
    try:
        for number, row in enumerate(reader, start=2):
            def value(key: str) -> str:
                name = column[key]
                return _clean(row.get(name) or "") if name else ""

            authors = tuple(_clean(a) for a in re.split(r";|\s+and\s+", value("authors")) if _clean(a))
            records.append(BibRecord(
                _require_title(path, number, value("title")), value("abstract"), authors, _year(value("year")),
                value("journal"), normalise_doi(value("doi")), database or value("database"), number))
    except csv.Error as error:
        raise ThematicaError(f"malformed CSV ({error})", path=str(path), row=reader.line_num) from None
    return records
