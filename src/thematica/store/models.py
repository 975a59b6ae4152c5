"""The project schema: SQLAlchemy 2.0 typed ORM models.

One project is one database. Offsets are Unicode code points, half-open ``[start, end)``, into
``Document.text``, which never changes once the document exists (a changed file is refused at
import). Every change a user makes is also written to ``AuditEvent`` (who, when, what), the
append-only trail reviewers ask for.

The schema is created and upgraded only by the Alembic migrations in ``store/migrations``;
``tests/store/test_migrations.py`` checks that the migrations and these models agree.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship, validates

from thematica.names import check_stored_name

from thematica import vocabulary

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UNIT_KINDS = tuple(vocabulary.UnitKind)
DOCUMENT_STATUSES = tuple(vocabulary.DocumentStatus)
THEME_STATUSES = tuple(vocabulary.ThemeStatus)
ATTRIBUTE_TYPES = tuple(vocabulary.AttributeType)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProjectSetting(Base):
    """Key/value settings, e.g. ``blind_mode``, ``interviewer_labels``, ``language``."""

    __tablename__ = "project_setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Coder(Base):
    """A person who codes, or a meeting's consensus coding (``consensus:anouk+bas``).

    ``name`` is shown as first spelled; ``name_key`` (NFC, trimmed, case-folded) is what names are
    compared by, so ``'Carla '`` and ``carla`` are one coder.
    """

    __tablename__ = "coder"
    __table_args__ = (Index("ix_coder_name_key", "name_key", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_key: Mapped[str] = mapped_column(String(100), server_default="")
    guid: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)  # the REFI-QDA User GUID
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Case(Base):
    """A participant; documents belong to a case, attributes describe it (Table 1 of a study)."""

    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    values: Mapped[list[CaseValue]] = relationship(back_populates="case", cascade="all, delete-orphan")

    @validates("label")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "case")


class Attribute(Base):
    """A typed case attribute (variable); ``type`` is one of ``ATTRIBUTE_TYPES``."""

    __tablename__ = "attribute"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @validates("name")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "variable")


class CaseValue(Base):
    """One attribute value of one case, stored as text and read back by the attribute's type."""

    __tablename__ = "case_value"
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    case: Mapped[Case] = relationship(back_populates="values")
    attribute: Mapped[Attribute] = relationship()


class Document(Base):
    """A transcript. ``text`` is immutable and loaded only on demand (deferred)."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    text: Mapped[str] = deferred(mapped_column(Text))
    language: Mapped[str] = mapped_column(String(10), default="nl")
    sha256: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_format: Mapped[str | None] = mapped_column(String(20), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    length: Mapped[int] = mapped_column(Integer, default=0)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    case: Mapped[Case | None] = relationship()


class Unit(Base):
    """A sentence, speaker turn or paragraph of a document: the units of unit-based agreement."""

    __tablename__ = "unit"
    __table_args__ = (
        Index("ix_unit_document_kind_start", "document_id", "kind", "start"),
        CheckConstraint("start < \"end\"", name="unit_span"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Code(Base):
    """A code in the codebook; ``parent_id`` builds the hierarchy, shown as ``Parent/Child`` paths."""

    __tablename__ = "code"
    __table_args__ = (Index("ix_code_parent_name", "parent_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"), nullable=True)
    color: Mapped[str] = mapped_column(String(9), default="#808080")
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    guid: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)
    # False: a category that organises codes but cannot be applied (REFI-QDA isCodable="false")
    is_codable: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"), nullable=True)

    @validates("name")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "code")


class Segment(Base):
    """A coder's application of a code to ``[start, end)`` of a document.

    The unique constraint makes merges and concurrent writers idempotent: the same coder cannot
    hold the same code on the same span twice.
    """

    __tablename__ = "segment"
    __table_args__ = (
        UniqueConstraint("document_id", "coder_id", "code_id", "start", "end"),
        Index("ix_segment_document_coder", "document_id", "coder_id"),
        Index("ix_segment_code", "code_id"),
        CheckConstraint("start >= 0 AND start < \"end\"", name="segment_span"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str] = mapped_column(Text, default="")
    guid: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)
    document: Mapped[Document] = relationship()
    code: Mapped[Code] = relationship()
    coder: Mapped[Coder] = relationship()


class DocumentStatus(Base):
    """A coder's own progress mark on a document: not_started / in_progress / done."""

    __tablename__ = "document_status"
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


class Theme(Base):
    """A theme (Braun & Clarke phases 3–5); ``parent_id`` makes subthemes."""

    __tablename__ = "theme"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), nullable=True)
    definition: Mapped[str] = mapped_column(Text, default="")
    story: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="candidate")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    @validates("name")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "theme")


class ThemeCode(Base):
    __tablename__ = "theme_code"
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), primary_key=True)


class ThemeLink(Base):
    """A labelled relation between two themes ("precondition for", "tension with")."""

    __tablename__ = "theme_link"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300), default="")


class Exemplar(Base):
    """A segment marked as an exemplar quote, for a theme or (theme_id NULL) for its code."""

    __tablename__ = "exemplar"
    __table_args__ = (UniqueConstraint("segment_id", "theme_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Memo(Base):
    """A free memo, attached to the project, a document, a code, a theme or a case.

    With ``document_id`` and ``start``/``end`` set it is an annotation: a note on that span of
    the document (a REFI-QDA selection that carries a note, coded or not).
    """

    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"), nullable=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), nullable=True)
    code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), nullable=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=True)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    guid: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


class ConsensusMeeting(Base):
    """A consensus meeting of two coders: who opened it, when, and the coding it decides.

    Each meeting owns its consensus coding (a coder row named ``consensus:A+B``), so two meetings
    over different pairs never write into each other. One meeting per pair; opening it again resumes.
    """

    __tablename__ = "consensus_meeting"
    __table_args__ = (UniqueConstraint("coder_a_id", "coder_b_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    coder_a_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    coder_b_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    consensus_coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), unique=True)
    unit: Mapped[str] = mapped_column(String(20), default="sentence")
    include_unfinished: Mapped[bool] = mapped_column(default=False)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


DECISION_CODE_SIDES = ("a", "b", "decided")
class CodeGroup(Base):
    """A named group of codes across the hierarchy (a REFI-QDA Set kept as a set, not made a theme)."""

    __tablename__ = "code_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    guid: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)


class CodeGroupMember(Base):
    __tablename__ = "code_group_member"
    group_id: Mapped[int] = mapped_column(ForeignKey("code_group.id", ondelete="CASCADE"), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), primary_key=True)


class CodeLink(Base):
    """A labelled relation between two codes (a REFI-QDA Link between codes)."""

    __tablename__ = "code_link"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300), default="")


class ConsensusDecision(Base):
    """One decision of a meeting about one passage; append-only.

    Deciding a passage again adds a row whose ``supersedes_id`` names the decision it replaces; the
    old row is never changed. Coders, codes and documents are referenced by id, so the log shows
    current names after a rename or merge.
    """

    __tablename__ = "consensus_decision"
    __table_args__ = (Index("ix_consensus_decision_meeting_passage", "meeting_id", "document_id", "start", "end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("consensus_meeting.id", ondelete="RESTRICT"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("consensus_decision.id", ondelete="RESTRICT"),
                                                      nullable=True, unique=True)


class ConsensusDecisionCode(Base):
    """The codes of a decision by id: A's (``a``), B's (``b``) and the decided ones (``decided``)."""

    __tablename__ = "consensus_decision_code"
    decision_id: Mapped[int] = mapped_column(ForeignKey("consensus_decision.id", ondelete="CASCADE"), primary_key=True)
    side: Mapped[str] = mapped_column(String(10), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"), primary_key=True)


class CodebookSnapshot(Base):
    """A frozen copy of the codebook (json) at the end of a coding round, for ``codebook diff``."""

    __tablename__ = "codebook_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class AuditEvent(Base):
    """Append-only log of every change: who (coder or system user), when, what (action + json detail)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class TrialParticipant(Base):
    """A trial participant, optionally linked to the qualitative case of the same person."""

    __tablename__ = "trial_participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant: Mapped[str] = mapped_column(String(200), unique=True)
    arm: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), nullable=True)

    @validates("participant", "arm")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "trial")


class TrialVariable(Base):
    """A trial variable with its type: continuous, binary or categorical (``levels`` as json)."""

    __tablename__ = "trial_variable"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    levels: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[int] = mapped_column(Integer, default=0)

    @validates("name")
    def _check_name(self, _key: str, value: str) -> str | None:
        return check_stored_name(value, "variable")


class TrialValue(Base):
    """One observation: participant × timepoint × variable, numeric or text (long format)."""

    __tablename__ = "trial_value"
    __table_args__ = (UniqueConstraint("participant_id", "timepoint", "variable_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participant.id", ondelete="CASCADE"))
    timepoint: Mapped[str] = mapped_column(String(100), default="")
    variable_id: Mapped[int] = mapped_column(ForeignKey("trial_variable.id", ondelete="CASCADE"))
    number: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)




# The systematic-review tables live in their own module; importing it here registers them on Base.
from thematica.store import review_models as _review_models  # noqa: E402,F401


def _sqlite_autoincrement() -> None:
    """Every table with one integer key gets SQLite's AUTOINCREMENT: an id is never handed out twice,
    so the audit log's "segment 332" always means one segment (without it SQLite reuses the largest
    id after a delete)."""
    for table in Base.metadata.tables.values():
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer):
            table.dialect_options["sqlite"]["autoincrement"] = True


_sqlite_autoincrement()

AUTOINCREMENT_TABLES = tuple(sorted(name for name, table in Base.metadata.tables.items()
                                    if table.dialect_options["sqlite"]["autoincrement"]))
