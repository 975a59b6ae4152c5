"""Queries of the systematic-review tables (records, screening, extraction, risk of bias).

Judgement rows are append-only: ``supersede`` links an earlier row to the row that replaces it and
the "current" queries read only rows whose ``superseded_by`` is NULL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from thematica.store.models import Coder
from thematica.store.review_models import (
    BiasJudgement,
    ExtractionValue,
    ReviewRecord,
    ScreeningDecision,
    ScreeningResolution,
)


def add_records(session: Session, records: Iterable[ReviewRecord]) -> int:
    added = 0
    for record in records:
        session.add(record)
        added += 1
    session.flush()
    return added


def all_records(session: Session) -> Sequence[ReviewRecord]:
    return session.scalars(select(ReviewRecord).order_by(ReviewRecord.id)).all()


def record_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ReviewRecord)) or 0


def records_by_id(session: Session, ids: Iterable[int]) -> dict[int, ReviewRecord]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.scalars(select(ReviewRecord).where(ReviewRecord.id.in_(wanted))).all()
    return {row.id: row for row in rows}


def first_record_with_doi(session: Session, doi: str) -> int | None:
    """The record a DOI names: the first-imported one that is not a confirmed duplicate, else the first."""
    kept = session.scalar(select(func.min(ReviewRecord.id)).where(ReviewRecord.doi == doi,
                                                                  ReviewRecord.duplicate_of.is_(None)))
    return kept if kept is not None else session.scalar(select(func.min(ReviewRecord.id)).where(ReviewRecord.doi == doi))


def current_decisions(session: Session, stage: str, reviewer_ids: Sequence[int] | None = None
                      ) -> Sequence[ScreeningDecision]:
    query = select(ScreeningDecision).where(ScreeningDecision.stage == stage,
                                            ScreeningDecision.superseded_by.is_(None))
    if reviewer_ids is not None:
        query = query.where(ScreeningDecision.reviewer_id.in_(list(reviewer_ids)))
    return session.scalars(query.order_by(ScreeningDecision.record_id, ScreeningDecision.reviewer_id)).all()


def current_decision(session: Session, record_id: int, reviewer_id: int, stage: str) -> ScreeningDecision | None:
    return session.scalars(select(ScreeningDecision).where(
        ScreeningDecision.record_id == record_id, ScreeningDecision.reviewer_id == reviewer_id,
        ScreeningDecision.stage == stage, ScreeningDecision.superseded_by.is_(None))).first()


def add_decision(session: Session, decision: ScreeningDecision) -> ScreeningDecision:
    """Append ``decision``; the reviewer's earlier decision on the record at that stage is superseded."""
    earlier = current_decision(session, decision.record_id, decision.reviewer_id, decision.stage)
    session.add(decision)
    session.flush()
    if earlier is not None:
        earlier.superseded_by = decision.id
    return decision


def record_decisions(session: Session, record_id: int, stage: str) -> Sequence[ScreeningDecision]:
    return session.scalars(select(ScreeningDecision).where(
        ScreeningDecision.record_id == record_id, ScreeningDecision.stage == stage,
        ScreeningDecision.superseded_by.is_(None))).all()


def stage_reviewer_ids(session: Session, stage: str) -> Sequence[int]:
    return session.scalars(select(ScreeningDecision.reviewer_id).where(
        ScreeningDecision.stage == stage, ScreeningDecision.superseded_by.is_(None)).distinct()).all()


def record_resolution(session: Session, record_id: int, stage: str) -> ScreeningResolution | None:
    return session.scalars(select(ScreeningResolution).where(
        ScreeningResolution.record_id == record_id, ScreeningResolution.stage == stage,
        ScreeningResolution.superseded_by.is_(None))).first()


def current_resolutions(session: Session, stage: str) -> Sequence[ScreeningResolution]:
    return session.scalars(select(ScreeningResolution).where(
        ScreeningResolution.stage == stage, ScreeningResolution.superseded_by.is_(None))).all()


def all_resolutions(session: Session) -> Sequence[ScreeningResolution]:
    return session.scalars(select(ScreeningResolution).order_by(ScreeningResolution.id)).all()


def add_resolution(session: Session, resolution: ScreeningResolution) -> ScreeningResolution:
    earlier = session.scalars(select(ScreeningResolution).where(
        ScreeningResolution.record_id == resolution.record_id, ScreeningResolution.stage == resolution.stage,
        ScreeningResolution.superseded_by.is_(None))).first()
    session.add(resolution)
    session.flush()
    if earlier is not None:
        earlier.superseded_by = resolution.id
    return resolution


def reviewer_names(session: Session) -> dict[int, str]:
    return {coder_id: name for coder_id, name in session.execute(select(Coder.id, Coder.name))}


def _reviewers_condition(column, reviewer_ids: Sequence[int | None]) -> ColumnElement[bool]:
    """``column`` is one of the reviewers; ``None`` among them stands for the agreed (consensus) rows."""
    people = [r for r in reviewer_ids if r is not None]
    condition: ColumnElement[bool] = column.in_(people)
    if None in reviewer_ids:
        condition = condition | column.is_(None)
    return condition


def current_extraction(session: Session, reviewer_ids: Sequence[int | None] | None = None
                       ) -> Sequence[ExtractionValue]:
    query = select(ExtractionValue).where(ExtractionValue.superseded_by.is_(None))
    if reviewer_ids is not None:
        query = query.where(_reviewers_condition(ExtractionValue.reviewer_id, reviewer_ids))
    return session.scalars(query.order_by(ExtractionValue.id)).all()


def add_extraction(session: Session, values: Iterable[ExtractionValue]) -> int:
    """Append values; each replaces (supersedes) the same reviewer's current value of the same cell."""
    count = 0
    for value in values:
        earlier = session.scalars(select(ExtractionValue).where(
            ExtractionValue.reviewer_id.is_(None) if value.reviewer_id is None
            else ExtractionValue.reviewer_id == value.reviewer_id,
            ExtractionValue.study == value.study, ExtractionValue.outcome == value.outcome,
            ExtractionValue.timepoint == value.timepoint, ExtractionValue.arm == value.arm,
            ExtractionValue.field == value.field, ExtractionValue.superseded_by.is_(None))).first()
        session.add(value)
        session.flush()
        if earlier is not None:
            earlier.superseded_by = value.id
        count += 1
    return count


def current_bias(session: Session, tool: str, reviewer_ids: Sequence[int | None] | None = None
                 ) -> Sequence[BiasJudgement]:
    query = select(BiasJudgement).where(BiasJudgement.tool == tool, BiasJudgement.superseded_by.is_(None))
    if reviewer_ids is not None:
        query = query.where(_reviewers_condition(BiasJudgement.reviewer_id, reviewer_ids))
    return session.scalars(query.order_by(BiasJudgement.id)).all()


def add_bias(session: Session, judgements: Iterable[BiasJudgement]) -> int:
    count = 0
    for judgement in judgements:
        earlier = session.scalars(select(BiasJudgement).where(
            BiasJudgement.tool == judgement.tool,
            BiasJudgement.reviewer_id.is_(None) if judgement.reviewer_id is None
            else BiasJudgement.reviewer_id == judgement.reviewer_id,
            BiasJudgement.study == judgement.study, BiasJudgement.domain == judgement.domain,
            BiasJudgement.superseded_by.is_(None))).first()
        session.add(judgement)
        session.flush()
        if earlier is not None:
            earlier.superseded_by = judgement.id
        count += 1
    return count
