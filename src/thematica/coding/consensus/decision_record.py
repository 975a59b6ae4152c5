"""One consensus decision as the meeting's audit trail shows it (``thematica consensus log``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from thematica.vocabulary import ConsensusDecision


@dataclass(frozen=True)
class DecisionRecord:
    """Passage ``[start, end)`` of ``document``, each coder's codes ("; "-joined), what was decided
    (the codes written to the consensus coding), why, by whom and when (ISO 8601, seconds, UTC)."""

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

    def to_dict(self) -> dict[str, str | int]:
        row: dict[str, str | int] = asdict(self)
        row["decision"] = self.decision.value
        return row
