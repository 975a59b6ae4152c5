"""Documents (immutable texts) and their units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session, undefer

from thematica.store.models import Attribute, Case, CaseValue, Document, Memo, Unit, utc_now


def document_by_name(session: Session, name: str, *, with_text: bool = False) -> Document | None:
    query = select(Document).where(Document.name == name)
    if with_text:
        query = query.options(undefer(Document.text))
    return session.scalars(query).first()


def all_documents(session: Session) -> Sequence[Document]:
    return session.scalars(select(Document).order_by(Document.position, Document.id)).all()


def document_text(session: Session, document_id: int) -> str:
    return session.scalars(select(Document.text).where(Document.id == document_id)).one()


def next_position(session: Session) -> int:
    return (session.scalar(select(func.max(Document.position))) or 0) + 1


def add_units(session: Session, document_id: int, units: Iterable[tuple[str, int, int, int, str | None]]) -> int:
    """Bulk-insert ``(kind, ordinal, start, end, speaker)`` rows; returns how many."""
    rows = [
        {"document_id": document_id, "kind": kind, "ordinal": ordinal, "start": start, "end": end, "speaker": speaker}
        for kind, ordinal, start, end, speaker in units
    ]
    if rows:
        session.connection().execute(insert(cast(Table, Unit.__table__)), rows)  # Core executemany: no ORM bookkeeping
    return len(rows)


def units_of(session: Session, document_id: int, kind: str) -> Sequence[Unit]:
    return session.scalars(
        select(Unit).where(Unit.document_id == document_id, Unit.kind == kind).order_by(Unit.start)
    ).all()


def unit_counts(session: Session) -> dict[tuple[int, str], int]:
    rows = session.execute(select(Unit.document_id, Unit.kind, func.count()).group_by(Unit.document_id, Unit.kind))
    return {(document_id, kind): count for document_id, kind, count in rows}


DocumentRow = tuple[int, str, str | None, int, int]
"""``(id, name, case label, word count, length)``."""


def document_rows(session: Session) -> list[DocumentRow]:
    """Every document in reading order with its case label, in one query (no text, no ORM objects)."""
    query = (select(Document.id, Document.name, Case.label, Document.word_count, Document.length)
             .outerjoin(Case, Case.id == Document.case_id).order_by(Document.position, Document.id))
    return [(int(a), str(b), c, int(d), int(e)) for a, b, c, d, e in session.execute(query)]


def document_row(session: Session, document_id: int) -> tuple[DocumentRow, int | None, str] | None:
    """One document's row, its case id and its text, in one query."""
    row = session.execute(
        select(Document.id, Document.name, Case.label, Document.word_count, Document.length, Document.case_id,
               Document.text)
        .outerjoin(Case, Case.id == Document.case_id).where(Document.id == document_id)).first()
    if row is None:
        return None
    return (int(row[0]), str(row[1]), row[2], int(row[3]), int(row[4])), row[5], str(row[6])


def units_by_kind(session: Session, document_id: int) -> dict[str, list[tuple[int, int, str | None]]]:
    """All units of a document, ``{kind: [(start, end, speaker)]}`` in reading order, one query."""
    units: dict[str, list[tuple[int, int, str | None]]] = {"sentence": [], "turn": [], "paragraph": []}
    rows = session.connection().execute(  # Core rows: no ORM bookkeeping for ten thousand units
        select(Unit.kind, Unit.start, Unit.end, Unit.speaker).where(Unit.document_id == document_id)
        .order_by(Unit.kind, Unit.start, Unit.end)).all()
    for kind, start, end, speaker in rows:
        found = units.get(kind)
        if found is None:
            found = units[kind] = []
        found.append((start, end, speaker))
    return units


def texts_of(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    """Texts of several documents in one query (retrieval with context)."""
    ids = list(document_ids)
    if not ids:
        return {}
    return {int(i): str(t) for i, t in session.execute(select(Document.id, Document.text).where(Document.id.in_(ids)))}


def units_of_documents(session: Session, document_ids: Iterable[int],
                       kinds: Sequence[str]) -> dict[tuple[int, str], list[tuple[int, int, str | None]]]:
    """``{(document id, kind): [(start, end, speaker)]}`` for several documents, one query."""
    ids = list(document_ids)
    found: dict[tuple[int, str], list[tuple[int, int, str | None]]] = {}
    if not ids:
        return found
    for document_id, kind, start, end, speaker in session.execute(
            select(Unit.document_id, Unit.kind, Unit.start, Unit.end, Unit.speaker)
            .where(Unit.document_id.in_(ids), Unit.kind.in_(list(kinds))).order_by(Unit.start, Unit.end)):
        found.setdefault((int(document_id), str(kind)), []).append((int(start), int(end), speaker))
    return found


def case_attributes_of_documents(session: Session, document_ids: Iterable[int]) -> dict[int, dict[str, str | None]]:
    """``{document id: {attribute: value}}`` of the documents' cases, one query."""
    ids = list(document_ids)
    found: dict[int, dict[str, str | None]] = {}
    if not ids:
        return found
    for document_id, name, value in session.execute(
            select(Document.id, Attribute.name, CaseValue.value)
            .join(CaseValue, CaseValue.case_id == Document.case_id)
            .join(Attribute, Attribute.id == CaseValue.attribute_id)
            .where(Document.id.in_(ids)).order_by(Attribute.position, Attribute.name)):
        found.setdefault(int(document_id), {})[str(name)] = value
    return found

def unit_spans_by_document(session: Session, kind: str) -> dict[int, list[tuple[int, int]]]:
    """``{document id: [(start, end), ...]}`` of one unit kind for every document, in one query."""
    found: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.execute(select(Unit.document_id, Unit.start, Unit.end)
                                                   .where(Unit.kind == kind).order_by(Unit.document_id, Unit.start)):
        found.setdefault(document_id, []).append((start, end))
    return found

def coder_memos(session: Session, coder_id: int, document_id: int | None) -> dict[int | None, tuple[int, str]]:
    """The coder's memo on the document and their project memo (``None`` key), one query:
    ``{document id or None: (memo id, text)}``. Memos on codes, themes or cases are not these."""
    query = (select(Memo.id, Memo.document_id, Memo.text)
             .where(Memo.coder_id == coder_id, Memo.code_id.is_(None), Memo.theme_id.is_(None), Memo.case_id.is_(None))
             .where((Memo.document_id.is_(None)) | (Memo.document_id == document_id))
             .order_by(Memo.id))
    return {document: (int(memo_id), str(text)) for memo_id, document, text in session.execute(query)}


def save_memo(session: Session, memo_id: int | None, coder_id: int, document_id: int | None, title: str,
              text: str) -> int:
    """Update memo ``memo_id`` or add a new one; one statement either way; the memo's id."""
    if memo_id is not None:
        session.execute(update(Memo).where(Memo.id == memo_id, Memo.coder_id == coder_id)
                        .values(text=text, updated_at=utc_now()))
        return memo_id
    now = utc_now()
    found = session.execute(insert(Memo).values(title=title, text=text, coder_id=coder_id, document_id=document_id,
                                                created_at=now, updated_at=now).returning(Memo.id)).scalar_one()
    return int(found)

