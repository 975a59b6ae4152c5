"""Documents (immutable texts) and their units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, undefer

from thematica.store.models import Document, Unit


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
        session.connection().execute(insert(Unit.__table__), rows)  # Core executemany: no ORM bookkeeping
    return len(rows)


def units_of(session: Session, document_id: int, kind: str) -> Sequence[Unit]:
    return session.scalars(
        select(Unit).where(Unit.document_id == document_id, Unit.kind == kind).order_by(Unit.start)
    ).all()


def unit_counts(session: Session) -> dict[tuple[int, str], int]:
    rows = session.execute(select(Unit.document_id, Unit.kind, func.count()).group_by(Unit.document_id, Unit.kind))
    return {(document_id, kind): count for document_id, kind, count in rows}


def unit_spans_by_document(session: Session, kind: str) -> dict[int, list[tuple[int, int]]]:
    """``{document id: [(start, end), ...]}`` of one unit kind for every document, in one query."""
    found: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.execute(select(Unit.document_id, Unit.start, Unit.end)
                                                   .where(Unit.kind == kind).order_by(Unit.document_id, Unit.start)):
        found.setdefault(document_id, []).append((start, end))
    return found
