"""Open-ended survey responses: one case per respondent, one document per answer.

A survey table (.csv, or the first sheet of an .xlsx) has one row per respondent: an identifier
column, one or more open-question columns, and attribute columns (age, group, …). Each respondent
becomes a case with the attributes (types inferred as for ``cases import``); each non-empty answer
becomes a document named ``<respondent> × <question>``, linked to the respondent's case. The
documents are ordered by question, then by row, so the answers to one question sit together in
every document list. An answer's own line breaks are joined with a space, so the whole answer is
one paragraph: the workbench and unit-based agreement treat each answer as one unit.

The file is read and checked completely before anything is written, and the whole import is one
transaction written in bulk (10,000 respondents are one action, not 30,000); a second import of
the same file adds nothing, and an answer whose text changed since is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from thematica.corpus.cases import infer_type, read_text_file
from thematica.corpus.importer import SUPPORTED_LANGUAGES, count_words, normalise_text, sha256_text
from thematica.corpus.segmentation import numbered, segment_text
from thematica.corpus.turns import parse_turns
from thematica.errors import ThematicaError
from thematica.store import audit, cases as case_store, interchange as exchange_store
from thematica.store.project import Project

SEPARATOR = " × "
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")


@dataclass(frozen=True)
class SurveyImport:
    respondents: int
    questions: tuple[str, ...]
    answers: int
    empty_answers: int
    documents_added: int
    attributes: dict[str, str]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_table(path: Path) -> list[list[str]]:
    """All rows of a .csv (UTF-8 with or without BOM, else cp1252; , ; or tab) or an .xlsx's first sheet."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import zipfile

        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ThematicaError(f"not a readable .xlsx file ({type(error).__name__})", path=str(path)) from None
        try:
            sheet = workbook.worksheets[0]
            return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    if suffix in (".csv", ".tsv", ".txt"):
        text = read_text_file(path)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return list(csv.reader(io.StringIO(text), dialect))
    raise ThematicaError("survey files are .csv or .xlsx", path=str(path))


def _columns(header: list[str], names: list[str], what: str, path: Path) -> list[int]:
    found = []
    for name in names:
        if name not in header:
            raise ThematicaError(f"no {what} column {name!r} in the header (columns: {', '.join(header)})",
                                 path=str(path))
        found.append(header.index(name))
    return found


def import_survey(project: Project, path: Path, *, id_column: str, text_columns: list[str],
                  attribute_columns: list[str] | None = None, language: str = "nl",
                  actor: str = "system") -> SurveyImport:
    """Import open answers as documents and respondents as cases (see the module docstring)."""
    path = Path(path)
    if language not in SUPPORTED_LANGUAGES:
        raise ThematicaError(f"unsupported language {language!r} (choose from {', '.join(SUPPORTED_LANGUAGES)})")
    if not text_columns:
        raise ThematicaError("name at least one --text column")
    rows = read_table(path)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ThematicaError("empty file: expected a header row", path=str(path))
    header = [cell.strip() for cell in rows[0]]
    if len(set(name for name in header if name)) != len([name for name in header if name]):
        raise ThematicaError("duplicate column names in the header", path=str(path))
    (id_index,) = _columns(header, [id_column], "--id", path)
    text_indices = _columns(header, text_columns, "--text", path)
    attribute_names = attribute_columns or []
    attribute_indices = _columns(header, attribute_names, "--attributes", path)
    overlap = set(text_indices) & (set(attribute_indices) | {id_index})
    if overlap:
        raise ThematicaError(f"column {header[min(overlap)]!r} is both a text and an id or attribute column",
                             path=str(path))
    respondents: list[tuple[str, list[str]]] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        respondent = cells[id_index].strip()
        if not respondent:
            raise ThematicaError(f"empty respondent id in column {id_column!r}", path=str(path), row=number)
        if SEPARATOR.strip() in respondent:
            raise ThematicaError(f"respondent id {respondent!r} contains {SEPARATOR.strip()!r}", path=str(path),
                                 row=number)
        if respondent in seen:
            raise ThematicaError(f"respondent {respondent!r} appears twice (first in row {seen[respondent]})",
                                 path=str(path), row=number)
        seen[respondent] = number
        respondents.append((respondent, cells))
    types = {header[i]: infer_type([cells[i] for _, cells in respondents]) for i in attribute_indices}
    answers = empty = 0
    documents: list[dict[str, object]] = []
    units: dict[str, list[tuple[str, int, int, int, str | None]]] = {}
    with project.transaction() as session:
        cases = exchange_store.case_ids(session, [respondent for respondent, _ in respondents])
        attributes = {header[i]: case_store.get_or_create_attribute(session, header[i], types[header[i]]).id
                      for i in attribute_indices}
        exchange_store.replace_case_values(session, list(attributes.values()), [
            (cases[respondent], attributes[header[i]], cells[i].strip() or None)
            for respondent, cells in respondents for i in attribute_indices])
        digests = exchange_store.document_digests(session)
        for index, question in zip(text_indices, text_columns):
            for respondent, cells in respondents:
                answer = normalise_text(_LINE_BREAKS.sub(" ", cells[index]).strip())
                if not answer:
                    empty += 1
                    continue
                answers += 1
                name = f"{respondent}{SEPARATOR}{question}"
                digest = sha256_text(answer)
                if name in digests:
                    if digests[name] != digest:
                        raise ThematicaError(f"document {name!r} is already in the project with a different text; "
                                             "texts are immutable once imported", path=str(path))
                    continue
                documents.append({"name": name, "text": answer, "language": language, "sha256": digest,
                                  "source_path": str(path), "source_format": "survey", "case_id": cases[respondent],
                                  "length": len(answer), "word_count": count_words(answer)})
                units[name] = numbered(segment_text(answer, language, parse_turns(answer)))
        exchange_store.insert_documents(session, documents, units)
        audit.record(session, actor, "survey.import", "document", None, file=str(path), respondents=len(respondents),
                     questions=list(text_columns), answers=answers, documents_added=len(documents))
    return SurveyImport(len(respondents), tuple(text_columns), answers, empty, len(documents), types)
