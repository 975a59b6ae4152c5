"""The words Thematica's layers exchange, defined once as string enums.

A member *is* its string (``UnitKind.SENTENCE == "sentence"``), so the database columns, the json
output and the command-line choices all carry the plain value, while the code names the member and
a type checker catches a misspelt one. The store keeps these values in ``String`` columns (no
database enum type, so adding a member needs no migration).
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    """The units a document is segmented into (``corpus.segmentation``)."""

    SENTENCE = "sentence"
    TURN = "turn"
    PARAGRAPH = "paragraph"


class AgreementMethod(StrEnum):
    """How ``thematica agreement`` compares coders: per unit, per segment (MAXQDA), per character,
    or Krippendorff's unitizing alphas."""

    UNIT = "unit"
    SEGMENT = "segment"
    CHARACTER = "character"
    UNITIZING = "unitizing"


class MeasurementLevel(StrEnum):
    """Krippendorff's alpha metrics (the ``krippendorff`` package's ``level_of_measurement``)."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


class DocumentStatus(StrEnum):
    """One coder's progress on one document; agreement compares only documents ``done`` by all."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ThemeStatus(StrEnum):
    CANDIDATE = "candidate"
    REVIEWED = "reviewed"
    FINAL = "final"


class ConsensusDecision(StrEnum):
    """What the meeting decided for a disagreeing passage: A's codes, B's, both, none, or recoded."""

    KEEP_A = "keep_a"
    KEEP_B = "keep_b"
    BOTH = "both"
    NEITHER = "neither"
    RECODE = "recode"


class DisagreementKind(StrEnum):
    """How two coders differ on a passage: one coded it and the other not, they gave different
    codes, or the same codes over different characters."""

    PRESENT_ABSENT = "present/absent"
    DIFFERENT_CODE = "different code"
    BOUNDARY = "boundary"


class EffectMeasure(StrEnum):
    """Effect measures of meta-analysis: risk ratio, odds ratio, risk difference, standardised and
    raw mean difference."""

    RR = "RR"
    OR = "OR"
    RD = "RD"
    SMD = "SMD"
    MD = "MD"


class PoolingMethod(StrEnum):
    """Fixed effect (inverse variance), DerSimonian–Laird, restricted maximum likelihood."""

    FE = "FE"
    DL = "DL"
    REML = "REML"


class AttributeType(StrEnum):
    """The inferred type of a case attribute column."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"


class ReviewStage(StrEnum):
    """Title/abstract screening, then full-text eligibility (PRISMA 2020 'screened' and 'assessed')."""

    TITLE_ABSTRACT = "title"
    FULLTEXT = "fulltext"


class ReviewDecision(StrEnum):
    """A reviewer's screening decision on a record."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"


class BiasTool(StrEnum):
    """Cochrane's risk-of-bias tools (domains and judgements in ``review.terms``)."""

    ROB1 = "rob1"
    ROB2 = "rob2"


def choices(vocabulary: type[StrEnum]) -> str:
    """'a, b or c' for an error message."""
    values = [member.value for member in vocabulary]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]
