"""Queries for consensus meetings and their append-only decision log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from thematica.store.models import ConsensusDecision, ConsensusDecisionCode, ConsensusMeeting, Document


def all_meetings(session: Session) -> Sequence[ConsensusMeeting]:
    return session.scalars(select(ConsensusMeeting).order_by(ConsensusMeeting.id)).all()


def meeting_of_pair(session: Session, coder_a_id: int, coder_b_id: int) -> ConsensusMeeting | None:
    """The meeting of two coders, in either order."""
    return session.scalars(select(ConsensusMeeting).where(or_(
        (ConsensusMeeting.coder_a_id == coder_a_id) & (ConsensusMeeting.coder_b_id == coder_b_id),
        (ConsensusMeeting.coder_a_id == coder_b_id) & (ConsensusMeeting.coder_b_id == coder_a_id),
    ))).first()


def add_meeting(session: Session, *, coder_a_id: int, coder_b_id: int, consensus_coder_id: int, unit: str,
                include_unfinished: bool, opened_by_id: int) -> ConsensusMeeting:
    meeting = ConsensusMeeting(coder_a_id=coder_a_id, coder_b_id=coder_b_id, consensus_coder_id=consensus_coder_id,
                               unit=unit, include_unfinished=include_unfinished, opened_by_id=opened_by_id)
    session.add(meeting)
    session.flush()
    return meeting


def consensus_coder_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ConsensusMeeting.consensus_coder_id)).all())


def decisions_of_meeting(session: Session, meeting_id: int) -> Sequence[ConsensusDecision]:
    """Every decision of the meeting (superseded ones included), in reading order, oldest first."""
    return session.scalars(
        select(ConsensusDecision).join(Document, Document.id == ConsensusDecision.document_id)
        .where(ConsensusDecision.meeting_id == meeting_id)
        .order_by(Document.position, ConsensusDecision.start, ConsensusDecision.end, ConsensusDecision.id)
    ).all()


def superseded_by(session: Session, decision_ids: Sequence[int] | None = None) -> dict[int, int]:
    """``{old decision id: id of the decision that superseded it}``."""
    query = select(ConsensusDecision.supersedes_id, ConsensusDecision.id).where(
        ConsensusDecision.supersedes_id.is_not(None))
    if decision_ids is not None:
        query = query.where(ConsensusDecision.supersedes_id.in_(decision_ids))
    return {int(old): int(new) for old, new in session.execute(query).all() if old is not None}


def current_decision_at(session: Session, meeting_id: int, document_id: int, start: int,
                        end: int) -> ConsensusDecision | None:
    """The decision in force on a passage: the newest, the one no other decision supersedes."""
    rows = session.scalars(select(ConsensusDecision).where(
        ConsensusDecision.meeting_id == meeting_id, ConsensusDecision.document_id == document_id,
        ConsensusDecision.start == start, ConsensusDecision.end == end).order_by(ConsensusDecision.id)).all()
    replaced = {row.supersedes_id for row in rows}
    current = [row for row in rows if row.id not in replaced]
    return current[-1] if current else None


def add_decision(session: Session, *, meeting_id: int, document_id: int, start: int, end: int, decision: str,
                 rationale: str, decided_by_id: int, supersedes_id: int | None,
                 codes: dict[str, Sequence[int]]) -> ConsensusDecision:
    row = ConsensusDecision(meeting_id=meeting_id, document_id=document_id, start=start, end=end, decision=decision,
                            rationale=rationale, decided_by_id=decided_by_id, supersedes_id=supersedes_id)
    session.add(row)
    session.flush()
    for side, code_ids in codes.items():
        for code_id in sorted(set(code_ids)):
            session.add(ConsensusDecisionCode(decision_id=row.id, side=side, code_id=code_id))
    session.flush()
    return row


def decision_codes(session: Session, decision_ids: Sequence[int]) -> dict[int, dict[str, list[int]]]:
    """``{decision id: {side: [code ids]}}`` for the sides ``a``, ``b`` and ``decided``."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"a": [], "b": [], "decided": []})
    if not decision_ids:
        return {}
    for row in session.scalars(select(ConsensusDecisionCode).where(
            ConsensusDecisionCode.decision_id.in_(decision_ids))).all():
        found[row.decision_id][row.side].append(row.code_id)
    return dict(found)
