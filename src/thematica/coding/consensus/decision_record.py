"""One consensus decision as the meeting's audit trail shows it (``thematica consensus log``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from thematica.vocabulary import ConsensusDecision


@dataclass(frozen=True)
class DecisionRecord:
    """Decision ``id`` of ``meeting`` (its consensus coding, ``consensus:A+B``) on passage ``[start, end)``
    of ``document``: each coder's codes ("; "-joined, current names), what was decided (the codes written to
    the consensus coding), why, by whom and when (ISO 8601, seconds, UTC); ``supersedes`` and
    ``superseded_by`` link a re-decided passage's decisions (who replaced it and when)."""

    id: int
    meeting: str
    document: str
    start: int
    end: int
    passage: str
    coder_a: str
    codes_a: str
    coder_b: str
    codes_b: str
    decision: ConsensusDecision
    codes_decided: str
    rationale: str
    decided_by: str
    decided_at: str
    supersedes: int | None = None
    superseded_by: int | None = None
    superseded_by_who: str | None = None
    superseded_at: str | None = None

    def to_dict(self) -> dict[str, str | int | None]:
        row: dict[str, str | int | None] = asdict(self)
        row["decision"] = self.decision.value
        return row
