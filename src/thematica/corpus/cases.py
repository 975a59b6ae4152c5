"""Case attributes from CSV: one row per case, a ``case`` (or ``label``) column, typed attributes.

Types are inferred per column over all its non-empty values: integer, float, boolean (ja/nee,
yes/no, true/false), date (ISO ``YYYY-MM-DD``), else text. A column that mixes numbers with text
is text, never silently coerced.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.names import clean_name
from thematica.store import audit, cases as case_store, documents as document_store
from thematica.store.project import Project

LABEL_COLUMNS = ("case", "label", "id", "participant")
_BOOLEAN = {"ja", "nee", "yes", "no", "true", "false", "j", "n", "y"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CaseImport:
    cases: int
    attributes: dict[str, str]
    linked_documents: int
    unmatched: tuple[str, ...] = ()  # imported cases that no document belongs to (a typo, a missing transcript)

    def to_dict(self) -> dict[str, object]:
        return {"cases": self.cases, "attributes": dict(self.attributes), "linked_documents": self.linked_documents,
                "unmatched": list(self.unmatched)}


def read_text_file(path: Path) -> str:
    """Read a small text file (CSV) as UTF-8 (with or without BOM), else cp1252."""
    if path.is_dir():
        raise ThematicaError("is a folder, not a file", path=str(path))
    if path.exists() and not path.is_file():
        raise ThematicaError("not a regular file (a device, pipe or socket)", path=str(path))
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ThematicaError(f"cannot read ({error.strerror})", path=str(path)) from None
    from thematica.corpus.readers import decode

    return decode(raw, path)[0]


def infer_type(values: list[str]) -> str:
    present = [value.strip() for value in values if value.strip()]
    if not present:
        return "text"
    if all(re.fullmatch(r"[-+]?\d+", value) for value in present):
        return "integer"
    if all(re.fullmatch(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?", value) for value in present):
        return "float"
    if all(value.lower() in _BOOLEAN for value in present):
        return "boolean"
    if all(_DATE.match(value) for value in present):
        return "date"
    return "text"


def import_cases_csv(project: Project, path: Path, actor: str = "system") -> CaseImport:
    """Create or update cases and their attributes; link documents named like a case to it."""
    text = read_text_file(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ThematicaError("empty file: expected a header row with a 'case' column", path=str(path))
    header = [clean_name(cell, "variable", path=str(path), row=1) if cell.strip() else "" for cell in rows[0]]
    label_index = next((i for i, name in enumerate(header) if name.lower() in LABEL_COLUMNS), None)
    if label_index is None:
        raise ThematicaError(f"no case column (one of {', '.join(LABEL_COLUMNS)}) in the header", path=str(path))
    if len(set(header)) != len(header):
        raise ThematicaError("duplicate column names in the header", path=str(path))
    body = rows[1:]
    labels: set[str] = set()
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ThematicaError(f"{len(row)} fields, header has {len(header)}", path=str(path), row=number)
        if not row[label_index].strip():
            raise ThematicaError("empty case label", path=str(path), row=number)
        label = clean_name(row[label_index], "case", path=str(path), row=number)
        if label in labels:
            raise ThematicaError(f"case {label!r} appears twice", path=str(path), row=number)
        labels.add(label)
    columns = [i for i in range(len(header)) if i != label_index]
    types = {header[i]: infer_type([row[i] for row in body]) for i in columns}
    linked = 0
    imported: list[tuple[int, str]] = []
    with project.transaction() as session:
        attributes = {header[i]: case_store.get_or_create_attribute(session, header[i], types[header[i]]) for i in columns}
        for row in body:
            case = case_store.get_or_create_case(session, clean_name(row[label_index], "case"))
            for i in columns:
                value = row[i].strip()
                case_store.set_case_value(session, case, attributes[header[i]], value or None)
            document = document_store.document_by_name(session, case.label)
            if document is not None and document.case_id is None:
                document.case_id = case.id
                linked += 1
            imported.append((case.id, case.label))
        with_documents = {document.case_id for document in document_store.all_documents(session)}
        unmatched = tuple(label for case_id, label in imported if case_id not in with_documents)
        audit.record(session, actor, "cases.import", "case", None, file=str(path), cases=len(body))
    return CaseImport(len(body), types, linked, unmatched)
