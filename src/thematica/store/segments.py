"""Segments: a coder's code on ``[start, end)`` of a document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica.errors import ThematicaError
from thematica.store.coders import clean_name, name_key
from thematica.store.models import Coder, Document, DocumentStatus, Segment, utc_now
from thematica.store.rows import SegmentRow

"""``(id, document_id, code_id, coder_id, start, end, memo)``."""


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
    return [tuple(row) for row in session.connection().execute(query).all()]  # type: ignore[misc]


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
    return [(str(a), int(b), int(c), int(d), str(e), str(f)) for a, b, c, d, e, f in session.execute(query)]


def segment_counts_by_coder(session: Session) -> dict[int, int]:
    return dict(session.execute(select(Segment.coder_id, func.count()).group_by(Segment.coder_id)).all())


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
    return (session.scalar(select(func.count()).select_from(Segment).where(Segment.guid == guid)) or 0) > 0


# ---- one-statement writes for the coding session (issue: one action = one short transaction) ----

def _insert(session: Session, table):
    """The dialect's INSERT that knows ``ON CONFLICT DO NOTHING`` (SQLite >= 3.24 and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def coder_id_for_writing(session: Session, name: str) -> int:
    """The coder's id, the coder created if new: two statements (insert-if-absent, select), no savepoint."""
    key = name_key(name)
    session.execute(_insert(session, Coder.__table__).values(name=clean_name(name), name_key=key, created_at=utc_now())
                    .on_conflict_do_nothing(index_elements=["name_key"]))
    return int(session.scalars(select(Coder.id).where(Coder.name_key == key)).one())


def add_segment(session: Session, *, document_id: int, coder_id: int, code_id: int, start: int, end: int,
                memo: str = "") -> int | None:
    """Insert a segment in one statement; its id, or None when the coder already has exactly it.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING id``: a concurrent writer adding the same segment
    is absorbed by the unique constraint without a savepoint or a second look-up.
    """
    now = utc_now()
    statement = (_insert(session, Segment.__table__)
                 .values(document_id=document_id, coder_id=coder_id, code_id=code_id, start=start, end=end,
                         memo=memo, created_at=now, updated_at=now)
                 .on_conflict_do_nothing().returning(Segment.id))
    try:
        found = session.execute(statement).scalar()
    except IntegrityError:  # a foreign key: the code or the document was deleted meanwhile
        raise ThematicaError("that code or document no longer exists") from None
    return None if found is None else int(found)


def delete_own_segment(session: Session, segment_id: int, coder_id: int) -> SegmentRow | None:
    """Delete a segment of this coder in one statement; the deleted row, or None when it is not theirs."""
    row = session.execute(
        delete(Segment).where(Segment.id == segment_id, Segment.coder_id == coder_id)
        .returning(Segment.id, Segment.document_id, Segment.code_id, Segment.coder_id, Segment.start, Segment.end,
                   Segment.memo)
    ).first()
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5]),
                                     str(row[6]))


def update_own_segment(session: Session, segment_id: int, coder_id: int, **values: object) -> SegmentRow | None:
    """Change ``code_id`` or ``memo`` of this coder's segment in one statement; the new row or None."""
    try:
        row = session.execute(
            update(Segment).where(Segment.id == segment_id, Segment.coder_id == coder_id)
            .values(**values, updated_at=utc_now())
            .returning(Segment.id, Segment.document_id, Segment.code_id, Segment.coder_id, Segment.start,
                       Segment.end, Segment.memo)
        ).first()
    except IntegrityError:  # the unique constraint: the coder already has that code on that span
        raise ThematicaError("this passage already carries that code") from None
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5]),
                                     str(row[6]))


def upsert_document_status(session: Session, document_id: int, coder_id: int, status: str) -> None:
    """One statement: insert the coder's status mark or replace it."""
    statement = _insert(session, DocumentStatus.__table__).values(document_id=document_id, coder_id=coder_id,
                                                                   status=status)
    session.execute(statement.on_conflict_do_update(index_elements=["document_id", "coder_id"],
                                                    set_={"status": status, "updated_at": utc_now()}))


def spans_by_document(session: Session, coder_id: int) -> dict[int, list[tuple[int, int]]]:
    """All of a coder's ``(start, end)`` per document in one query (progress of every document)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    rows = session.execute(select(Segment.document_id, Segment.start, Segment.end)
                           .where(Segment.coder_id == coder_id).order_by(Segment.document_id)).all()
    for document_id, start, end in rows:
        found = spans.get(document_id)
        if found is None:
            found = spans[document_id] = []
        found.append((start, end))
    return spans


def segment_rows_of_codes(session: Session, code_ids: Sequence[int],
                          coder_ids: Sequence[int] | None = None) -> list[SegmentRow]:
    """Rows of the segments of these codes, in reading order (document position, start), one query."""
    query = (select(Segment.id, Segment.document_id, Segment.code_id, Segment.coder_id, Segment.start, Segment.end,
                    Segment.memo)
             .join(Document, Document.id == Segment.document_id)
             .where(Segment.code_id.in_(list(code_ids)))
             .order_by(Document.position, Document.id, Segment.start, Segment.end, Segment.id))
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(list(coder_ids)))
    return [(int(a), int(b), int(c), int(d), int(e), int(f), str(g)) for a, b, c, d, e, f, g in session.execute(query)]


def segment_rows_of_coder(session: Session, coder_id: int) -> dict[int, list[tuple[int, int, int]]]:
    """``{document id: [(start, end, code id), ...]}`` of one coder, in reading order, in one query."""
    found: dict[int, list[tuple[int, int, int]]] = {}
    for document_id, start, end, code_id in session.execute(
            select(Segment.document_id, Segment.start, Segment.end, Segment.code_id)
            .where(Segment.coder_id == coder_id).order_by(Segment.document_id, Segment.start, Segment.end, Segment.id)):
        found.setdefault(document_id, []).append((start, end, code_id))
    return found
