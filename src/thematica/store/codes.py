"""The codebook: codes in a hierarchy, addressed by ``Parent/Child`` paths."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from thematica.store.rows import PATH_SEPARATOR, CodeNode, CodeRow, code_paths  # noqa: F401 (re-exported)
from thematica.store.models import Code, ConsensusDecisionCode, Segment


def all_codes(session: Session) -> Sequence[Code]:
    return session.scalars(select(Code).order_by(Code.position, Code.name)).all()


def code_rows(session: Session) -> list[CodeRow]:
    """All codes as read-only rows, in the order of ``all_codes``; a tuple query, several times
    faster than entities, for the workbench's reload after every action."""
    columns = (Code.id, Code.parent_id, Code.name, Code.color, Code.definition, Code.inclusion, Code.exclusion,
               Code.example)
    return [CodeRow(*row) for row in session.execute(select(*columns).order_by(Code.position, Code.name))]


CODEBOOK_LOCK_KEY = 7411
"""PostgreSQL advisory-lock key of codebook creation: any bigint, unique among Thematica's locks."""


def lock_codebook(session: Session) -> None:
    """Serialise codebook creation between concurrent writers for this transaction.

    SQLite writers already hold the database's write lock (BEGIN IMMEDIATE); on PostgreSQL a
    transaction-scoped advisory lock stops two coders creating the same code path twice.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({CODEBOOK_LOCK_KEY:d})"))  # a constant, no input


def child_by_name(session: Session, parent_id: int | None, name: str) -> Code | None:
    query = select(Code).where(Code.name == name)
    query = query.where(Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id)
    return session.scalars(query).first()


def children(session: Session, parent_id: int | None) -> Sequence[Code]:
    query = select(Code).order_by(Code.position, Code.name)
    query = query.where(Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id)
    return session.scalars(query).all()


def next_code_position(session: Session) -> int:
    return (session.scalar(select(func.max(Code.position))) or 0) + 1


def segment_counts_by_code(session: Session, coder_ids: Sequence[int] | None = None,
                           code_ids: Sequence[int] | None = None) -> dict[int, int]:
    """``{code id: segments}`` of the given coders (all when None), of the given codes only when
    ``code_ids`` is given (the code index: proportional to those codes, not to the project)."""
    query = select(Segment.code_id, func.count()).group_by(Segment.code_id)
    if coder_ids is not None:
        query = query.where(Segment.coder_id.in_(coder_ids))
    if code_ids is not None:
        query = query.where(Segment.code_id.in_(list(code_ids)))
    return dict(session.execute(query).all())


def code_in_use(session: Session, code_id: int) -> bool:
    """Segments carry the code, or a consensus decision names it (the log must keep showing it)."""
    return bool(session.scalar(select(select(Segment.id).where(Segment.code_id == code_id).exists()))
                or session.scalar(select(select(ConsensusDecisionCode.decision_id)
                                         .where(ConsensusDecisionCode.code_id == code_id).exists())))
