"""Queries for the consensus meeting: decisions and the passages' segments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.store.models import ConsensusDecision, Document


def decisions(session: Session, coder_a: str, coder_b: str) -> Sequence[ConsensusDecision]:
    return session.scalars(
        select(ConsensusDecision)
        .join(Document, Document.id == ConsensusDecision.document_id)
        .where(ConsensusDecision.coder_a == coder_a, ConsensusDecision.coder_b == coder_b)
        .order_by(Document.position, ConsensusDecision.start)
    ).all()


def decision_at(session: Session, document_id: int, start: int, end: int, coder_a: str, coder_b: str) -> ConsensusDecision | None:
    return session.scalars(
        select(ConsensusDecision).where(
            ConsensusDecision.document_id == document_id, ConsensusDecision.start == start,
            ConsensusDecision.end == end, ConsensusDecision.coder_a == coder_a, ConsensusDecision.coder_b == coder_b,
        )
    ).first()


def all_decisions(session: Session) -> Sequence[ConsensusDecision]:
    return session.scalars(
        select(ConsensusDecision).join(Document, Document.id == ConsensusDecision.document_id)
        .order_by(Document.position, ConsensusDecision.start, ConsensusDecision.id)
    ).all()
