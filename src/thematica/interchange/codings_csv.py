"""Codings as CSV — the contract other tools and our tests use.

Columns ``document,start,end,code,coder,memo``: 0-based code-point offsets into the stored text,
end exclusive; code paths use ``/`` between parent and child; unknown codes and coders are
created. Every row is checked before anything is written, and the whole file is one transaction,
so a bad row leaves the project unchanged. ``export(import(x))`` reproduces ``x`` up to row order.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from thematica.coding.codebook import ensure_code_path, split_path
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.store import audit, coders as coder_store, codes as code_store, documents as document_store
from thematica.store import segments as segment_store
from thematica.store.models import Document, Segment
from thematica.store.project import Project

COLUMNS = ("document", "start", "end", "code", "coder", "memo")
REQUIRED = ("document", "start", "end", "code", "coder")


@dataclass(frozen=True)
class CodingRow:
    document: str
    start: int
    end: int
    code: str
    coder: str
    memo: str = ""


@dataclass(frozen=True)
class CodingsImport:
    rows: int
    added: int
    already_present: int
    codes_created: int
    coders: tuple[str, ...]


def parse_codings_csv(path: Path) -> list[CodingRow]:
    text = read_text_file(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise ThematicaError(f"empty file: expected the header {','.join(COLUMNS)}", path=str(path)) from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ThematicaError(f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}", path=str(path))
    index = {column: header.index(column) for column in COLUMNS if column in header}
    rows: list[CodingRow] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            raise ThematicaError(f"{len(cells)} fields, header has {len(header)}", path=str(path), row=number)
        try:
            start, end = int(cells[index["start"]]), int(cells[index["end"]])
        except ValueError:
            raise ThematicaError("start and end must be whole numbers", path=str(path), row=number) from None
        if start < 0 or start >= end:
            raise ThematicaError(f"invalid span [{start}, {end}): need 0 <= start < end", path=str(path), row=number)
        row = CodingRow(
            document=cells[index["document"]].strip(), start=start, end=end, code=cells[index["code"]].strip(),
            coder=cells[index["coder"]].strip(), memo=cells[index["memo"]] if "memo" in index else "",
        )
        if not row.document or not row.coder:
            raise ThematicaError("empty document or coder", path=str(path), row=number)
        try:
            split_path(row.code)
        except ThematicaError as error:
            raise ThematicaError(error.reason, path=str(path), row=number) from None
        key = (row.document, row.start, row.end, row.code, row.coder)
        if key in seen:
            raise ThematicaError(f"duplicate of row {seen[key]}", path=str(path), row=number)
        seen[key] = number
        rows.append(row)
    return rows


def import_codings(project: Project, path: Path, actor: str = "system") -> CodingsImport:
    """Import a codings CSV all-or-nothing; segments already in the project are not doubled."""
    rows = parse_codings_csv(path)
    with project.transaction() as session:
        documents: dict[str, Document] = {}
        for number, row in enumerate(rows, start=2):
            document = documents.get(row.document) or document_store.document_by_name(session, row.document)
            if document is None:
                raise ThematicaError(f"unknown document {row.document!r}", path=str(path), row=number)
            if row.end > document.length:
                raise ThematicaError(
                    f"span [{row.start}, {row.end}) is outside document {row.document!r} (length {document.length})",
                    path=str(path), row=number,
                )
            documents[row.document] = document
        codes_before = len(code_store.all_codes(session))
        coders = {name: coder_store.get_or_create_coder(session, name) for name in sorted({r.coder for r in rows})}
        code_ids: dict[str, int] = {}
        added = present = 0
        for row in rows:
            if row.code not in code_ids:
                code_ids[row.code] = ensure_code_path(session, row.code, actor).id
            document, coder = documents[row.document], coders[row.coder]
            if segment_store.find_segment(session, document.id, coder.id, code_ids[row.code], row.start, row.end):
                present += 1
                continue
            session.add(Segment(document_id=document.id, code_id=code_ids[row.code], coder_id=coder.id,
                                start=row.start, end=row.end, memo=row.memo))
            added += 1
        session.flush()
        codes_created = len(code_store.all_codes(session)) - codes_before
        audit.record(session, actor, "codings.import", "segment", None, file=str(path), added=added,
                     already_present=present)
    return CodingsImport(len(rows), added, present, codes_created, tuple(coders))


def export_rows(project: Project, coders: list[str] | None = None) -> list[CodingRow]:
    with project.reading() as session:
        coder_ids = None
        if coders:
            coder_ids = []
            for name in coders:
                coder = coder_store.coder_by_name(session, name)
                if coder is None:
                    raise ThematicaError(f"no coder {name!r} in the project")
                coder_ids.append(coder.id)
        paths = code_store.code_paths(code_store.all_codes(session))
        return [CodingRow(document, start, end, paths[code_id], coder, memo)
                for document, start, end, code_id, coder, memo in segment_store.coding_rows(session, coder_ids)]


def write_codings_csv(rows: list[CodingRow], handle: io.TextIOBase) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.document, row.start, row.end, row.code, row.coder, row.memo])
