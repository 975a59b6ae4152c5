"""A headless screening session: one reviewer working through one stage's records.

The records, the reviewer's own decisions and the keywords are read once when the session opens; a
decision is one transaction (through ``screening.decide``) and updates the session in place, so moving
from record to record issues no query at any review size. Only the reviewer's own decisions are ever
loaded: the session cannot show what another reviewer decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thematica.errors import ThematicaError
from thematica.review import screening
from thematica.vocabulary import ReviewDecision, ReviewStage
from thematica.store import review as review_store
from thematica.store.project import Project


@dataclass(frozen=True)
class RecordView:
    id: int
    title: str
    abstract: str
    authors: str
    year: int | None
    journal: str
    doi: str
    database: str


class ScreeningSession:
    def __init__(self, project: Project, reviewer: str, stage: ReviewStage) -> None:
        self.project, self.reviewer, self.stage = project, reviewer, stage
        with project.reading() as session:
            reviewer_id = screening.reviewer_id_of(session, reviewer)
            outcomes = screening.stage_outcomes(session, stage)
            eligible = set(outcomes.eligible)
            self.records = [RecordView(r.id, r.title, r.abstract, r.authors, r.year, r.journal, r.doi, r.database)
                            for r in review_store.all_records(session) if r.id in eligible]
            self.decisions: dict[int, tuple[str, str]] = {
                d.record_id: (d.decision, d.reason)
                for d in review_store.current_decisions(session, stage.value, [reviewer_id])}
        self.keywords = screening.keywords(project)
        self.reasons = screening.exclusion_reasons(project)
        self.index = 0
        if not self.records:
            raise ThematicaError(f"no records to screen at the {stage.value} stage")
        self.next_undecided(from_start=True)

    @property
    def current(self) -> RecordView:
        return self.records[self.index]

    @property
    def decided(self) -> int:
        return sum(1 for r in self.records if r.id in self.decisions)

    def decision_of(self, record_id: int) -> tuple[str, str] | None:
        return self.decisions.get(record_id)

    def move(self, step: int) -> None:
        self.index = max(0, min(len(self.records) - 1, self.index + step))

    def next_undecided(self, *, from_start: bool = False) -> bool:
        """Go to the next record without a decision; False (and stay) when every record is decided."""
        start = 0 if from_start else self.index + 1
        for offset in range(len(self.records)):
            position = (start + offset) % len(self.records)
            if self.records[position].id not in self.decisions:
                self.index = position
                return True
        return False

    def decide(self, decision: ReviewDecision, reason: str = "", note: str = "") -> None:
        record = self.current
        screening.decide(self.project, self.reviewer, self.stage, str(record.id), decision, reason=reason, note=note)
        self.decisions[record.id] = (decision.value, reason)

    def keyword_pattern(self) -> re.Pattern[str] | None:
        words = [re.escape(k) for k in self.keywords if k]
        return re.compile("|".join(words), re.IGNORECASE) if words else None
