"""The systematic-review tables: records, screening decisions, resolutions, extraction and risk of bias.

Reviewers are coders (the ``coder`` table), so the same identity and blind rule govern interview
coding and screening. Every judgement table is append-only: a reviewer who changes their mind adds a
row and the earlier one is marked ``superseded_by``; nothing is updated in place or deleted, so the
record of who decided what, and when, can be audited (PRISMA 2020 item 8, Cochrane Handbook §4.6).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from thematica.store.models import Base, utc_now


class ReviewRecord(Base):
    """One bibliographic record as imported from one database export (duplicates are kept, linked)."""

    __tablename__ = "review_record"
    __table_args__ = (Index("ix_review_record_doi", "doi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    abstract: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    journal: Mapped[str] = mapped_column(Text, default="")
    doi: Mapped[str] = mapped_column(String(300), default="")
    database: Mapped[str] = mapped_column(String(200), default="")
    source_file: Mapped[str] = mapped_column(Text, default="")
    source_row: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("review_record.id", ondelete="SET NULL"),
                                                     nullable=True)
    not_retrieved: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ScreeningDecision(Base):
    """A reviewer's include / exclude / maybe for a record at the title-abstract or full-text stage."""

    __tablename__ = "screening_decision"
    __table_args__ = (Index("ix_screening_decision_record_stage", "record_id", "stage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("review_record.id", ondelete="RESTRICT"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("screening_decision.id", ondelete="RESTRICT"),
                                                      nullable=True)


class ScreeningResolution(Base):
    """The outcome of a conflict meeting for one record and stage, with decider and rationale."""

    __tablename__ = "screening_resolution"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("review_record.id", ondelete="RESTRICT"))
    stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("screening_resolution.id", ondelete="RESTRICT"),
                                                      nullable=True)


class ExtractionValue(Base):
    """One cell of a reviewer's data extraction: study × outcome × timepoint × arm × field.

    ``reviewer_id`` NULL marks the agreed (consensus) value, written only by a resolution.
    """

    __tablename__ = "extraction_value"
    __table_args__ = (Index("ix_extraction_value_study", "study"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), nullable=True)
    study: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(300), default="")
    timepoint: Mapped[str] = mapped_column(String(100), default="")
    arm: Mapped[str] = mapped_column(String(300), default="")
    field: Mapped[str] = mapped_column(String(100))
    number: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("extraction_value.id", ondelete="RESTRICT"),
                                                      nullable=True)


class BiasJudgement(Base):
    """A reviewer's risk-of-bias judgement of one study in one domain (``reviewer_id`` NULL: agreed)."""

    __tablename__ = "bias_judgement"
    id: Mapped[int] = mapped_column(primary_key=True)
    tool: Mapped[str] = mapped_column(String(20))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), nullable=True)
    study: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str] = mapped_column(String(100))
    judgement: Mapped[str] = mapped_column(String(30))
    support: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("bias_judgement.id", ondelete="RESTRICT"),
                                                      nullable=True)
