"""Codebook as CSV: ``code,color,definition,inclusion,exclusion,example`` with ``Parent/Child`` paths.

Import merges by path: a new path is created; an existing code keeps its values, and every field
where the file says something else is reported as a conflict (never silently overwritten).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from thematica.coding.codebook import EDITABLE_FIELDS, ensure_code_path, find_code, split_path
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.safe_text import csv_uncell
from thematica.store import audit
from thematica.store.project import Project

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class CodebookEntry:
    path: str
    fields: dict[str, str]
    codable: bool = True  # False: a category that cannot be applied (REFI-QDA isCodable="false")


@dataclass
class CodebookImport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)  # path, field, project, file


def parse_codebook_csv(path: Path) -> list[CodebookEntry]:
    reader = ([csv_uncell(cell) for cell in cells] for cells in csv.reader(io.StringIO(read_text_file(path))))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise ThematicaError("empty file: expected a header with a 'code' column", path=str(path)) from None
    if "code" not in header:
        raise ThematicaError("no 'code' column in the header", path=str(path))
    entries, seen = [], set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        record = dict(zip(header, (cell.strip() for cell in cells)))
        code = record.get("code", "")
        try:
            parts = split_path(code)
        except ThematicaError as error:
            raise ThematicaError(error.reason, path=str(path), row=number) from None
        normalised = "/".join(parts)
        if normalised in seen:
            raise ThematicaError(f"code {normalised!r} appears twice", path=str(path), row=number)
        seen.add(normalised)
        color = record.get("color", "")
        if color and not _COLOR.match(color):
            raise ThematicaError(f"colour {color!r} is not #RRGGBB", path=str(path), row=number)
        entries.append(CodebookEntry(normalised, {k: record[k] for k in EDITABLE_FIELDS if record.get(k)}))
    return entries


def merge_entries(project: Project, entries: list[CodebookEntry], actor: str, source: str) -> CodebookImport:
    report = CodebookImport()
    with project.transaction() as session:
        for entry in entries:
            existing = find_code(session, entry.path)
            if existing is None:
                created = ensure_code_path(session, entry.path, actor, **entry.fields)
                created.is_codable = entry.codable
                report.created.append(entry.path)
                continue
            clashes = [(entry.path, key, getattr(existing, key) or "", value) for key, value in entry.fields.items()
                       if (getattr(existing, key) or "") not in ("", value) and not (key == "color" and value.lower() == existing.color.lower())]
            for key, value in entry.fields.items():
                if not getattr(existing, key) and key != "color":
                    setattr(existing, key, value)
            report.conflicts.extend(clashes)
            if not clashes:
                report.unchanged.append(entry.path)
        audit.record(session, actor, "codebook.import", "code", None, source=source, created=len(report.created),
                     conflicts=len(report.conflicts))
    return report


def import_codebook_csv(project: Project, path: Path, actor: str = "system") -> CodebookImport:
    return merge_entries(project, parse_codebook_csv(path), actor, str(path))
