"""Segments: a coder's code on ``[start, end)`` of a document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica.store.models import Coder, Document, DocumentStatus, Segment


def segments_of_document(
    session: Session, document_id: int, coder_ids: Sequence[int] | None = None
) -> Sequence[Segment]:
    """The document's segments in reading order, restricted to ``coder_ids`` when given."""
    query = select(Segment).where(Segment.document_id == document_id).order_by(Segment.start, Segment.end, Segment.id)
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(coder_ids))
    return session.scalars(query).all()


def segment_tuples_of_document(
    session: Session, document_id: int, coder_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, int, int, int, str]]:
    """``(id, document_id, code_id, coder_id, start, end, memo)`` rows — no ORM objects, for fast views."""
    query = (select(Segment.id, Segment.document_id, Segment.code_id, Segment.coder_id, Segment.start, Segment.end,
                    Segment.memo)
             .where(Segment.document_id == document_id).order_by(Segment.start, Segment.end, Segment.id))
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(coder_ids))
    return [tuple(row) for row in session.execute(query).all()]


def segments_of_code(session: Session, code_ids: Sequence[int], coder_ids: Sequence[int] | None = None) -> Sequence[Segment]:
    query = (
        select(Segment).join(Document, Document.id == Segment.document_id)
        .where(Segment.code_id.in_(code_ids))
        .order_by(Document.position, Segment.start, Segment.id)
    )
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(coder_ids))
    return session.scalars(query).all()


def find_segment(session: Session, document_id: int, coder_id: int, code_id: int, start: int, end: int) -> Segment | None:
    return session.scalars(
        select(Segment).where(
            Segment.document_id == document_id, Segment.coder_id == coder_id, Segment.code_id == code_id,
            Segment.start == start, Segment.end == end,
        )
    ).first()


def insert_segment_once(
    session: Session, *, document_id: int, coder_id: int, code_id: int, start: int, end: int, memo: str = ""
) -> tuple[Segment, bool]:
    """Insert a segment unless the same coder already has it; returns ``(segment, inserted)``.

    Two writers adding the same segment at the same moment both succeed: the unique constraint
    stops the second insert inside a savepoint, and it returns the first writer's row instead.
    """
    existing = find_segment(session, document_id, coder_id, code_id, start, end)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            segment = Segment(document_id=document_id, code_id=code_id, coder_id=coder_id, start=start, end=end,
                              memo=memo)
            session.add(segment)
        return segment, True
    except IntegrityError:
        existing = find_segment(session, document_id, coder_id, code_id, start, end)
        if existing is None:
            raise
        return existing, False


def coding_rows(session: Session, coder_ids: Sequence[int] | None = None) -> list[tuple[str, int, int, int, str, str]]:
    """``(document name, start, end, code id, coder name, memo)`` for export, in reading order."""
    query = (
        select(Document.name, Segment.start, Segment.end, Segment.code_id, Coder.name, Segment.memo)
        .join(Document, Document.id == Segment.document_id)
        .join(Coder, Coder.id == Segment.coder_id)
        .order_by(Document.position, Document.name, Coder.name, Segment.start, Segment.end, Segment.code_id)
    )
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(coder_ids))
    return [tuple(row) for row in session.execute(query).all()]


def segment_counts_by_coder(session: Session) -> dict[int, int]:
    return dict(session.execute(select(Segment.coder_id, func.count()).group_by(Segment.coder_id)).all())


def coded_spans(session: Session, document_id: int, coder_id: int) -> list[tuple[int, int]]:
    return [tuple(row) for row in session.execute(
        select(Segment.start, Segment.end).where(Segment.document_id == document_id, Segment.coder_id == coder_id)
    ).all()]


def coded_spans_by_document(session: Session, coder_id: int) -> dict[int, list[tuple[int, int]]]:
    """``{document id: [(start, end), ...]}`` of one coder, in one query (not one per document)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.execute(
            select(Segment.document_id, Segment.start, Segment.end).where(Segment.coder_id == coder_id)):
        found.setdefault(document_id, []).append((start, end))
    return found


def document_statuses(session: Session, coder_id: int) -> dict[int, str]:
    rows = session.execute(select(DocumentStatus.document_id, DocumentStatus.status).where(DocumentStatus.coder_id == coder_id))
    return dict(rows.all())


def all_document_statuses(session: Session) -> dict[tuple[int, int], str]:
    rows = session.execute(select(DocumentStatus.document_id, DocumentStatus.coder_id, DocumentStatus.status))
    return {(document_id, coder_id): status for document_id, coder_id, status in rows}


def set_document_status(session: Session, document_id: int, coder_id: int, status: str) -> None:
    row = session.get(DocumentStatus, (document_id, coder_id))
    if row is None:
        session.add(DocumentStatus(document_id=document_id, coder_id=coder_id, status=status))
    else:
        row.status = status


def codes_used_by(session: Session, coder_ids: Iterable[int]) -> set[int]:
    return set(session.scalars(select(Segment.code_id).where(Segment.coder_id.in_(list(coder_ids))).distinct()).all())





def segment_guid_exists(session: Session, guid: str) -> bool:
    return session.scalar(select(func.count()).select_from(Segment).where(Segment.guid == guid)) > 0


def segment_rows_of_coder(session: Session, coder_id: int) -> dict[int, list[tuple[int, int, int]]]:
    """``{document id: [(start, end, code id), ...]}`` of one coder, in reading order, in one query."""
    found: dict[int, list[tuple[int, int, int]]] = {}
    for document_id, start, end, code_id in session.execute(
            select(Segment.document_id, Segment.start, Segment.end, Segment.code_id)
            .where(Segment.coder_id == coder_id).order_by(Segment.document_id, Segment.start, Segment.end, Segment.id)):
        found.setdefault(document_id, []).append((start, end, code_id))
    return found
