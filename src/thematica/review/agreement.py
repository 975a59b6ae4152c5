"""Agreement between two reviewers' screening decisions, with the agreement module's 2×2 statistics.

Each record both reviewers decided is one unit; the category is *include* (at title/abstract a *maybe*
counts as include, as it sends the record to the full text) or *exclude*. Cohen's kappa, PABAK, Gwet's
AC1 and percent agreement come from ``thematica.maths.two_by_two.TwoByTwo``, the same functions
that report coding agreement. At the full-text stage a *maybe* is its own category, so the 2×2 table
counts only records both reviewers included or excluded and the maybes are reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.maths.two_by_two import TwoByTwo
from thematica.errors import ThematicaError
from thematica.review.screening import category_of, reviewer_id_of
from thematica.vocabulary import ReviewDecision, ReviewStage
from thematica.store import review as review_store
from thematica.store.project import Project


@dataclass(frozen=True)
class ScreeningAgreement:
    stage: ReviewStage
    reviewers: tuple[str, str]
    table: TwoByTwo  # both include / only first includes / only second includes / both exclude
    kappa: float | None
    kappa_note: str | None
    ac1: float | None
    pabak: float | None
    percent: float | None
    maybes: int
    only_one_decided: int

    def to_dict(self) -> dict[str, object]:
        return {"stage": self.stage.value, "reviewers": list(self.reviewers), "table": self.table.to_dict(),
                "n": self.table.n, "kappa": self.kappa, "kappa_note": self.kappa_note, "ac1": self.ac1,
                "pabak": self.pabak, "percent_agreement": self.percent, "maybes_left_out": self.maybes,
                "decided_by_one_only": self.only_one_decided}


def screening_agreement(project: Project, stage: ReviewStage, first: str, second: str) -> ScreeningAgreement:
    """Counts only: the statistics reveal no single decision, so any reviewer may ask for them."""
    with project.reading() as session:
        a, b = reviewer_id_of(session, first), reviewer_id_of(session, second)
        if a == b:
            raise ThematicaError("agreement needs two different reviewers")
        duplicates = {r.id for r in review_store.all_records(session) if r.duplicate_of is not None}
        given: dict[int, dict[int, str]] = {}
        for d in review_store.current_decisions(session, stage.value, [a, b]):
            if d.record_id not in duplicates:
                given.setdefault(d.record_id, {})[d.reviewer_id] = category_of(stage, d.decision)
    both = a_only = b_only = neither = maybes = single = 0
    for decisions in given.values():
        if len(decisions) < 2:
            single += 1
            continue
        x, y = decisions[a], decisions[b]
        if ReviewDecision.MAYBE.value in (x, y):
            maybes += 1
            continue
        include_a, include_b = x == ReviewDecision.INCLUDE.value, y == ReviewDecision.INCLUDE.value
        both += include_a and include_b
        a_only += include_a and not include_b
        b_only += include_b and not include_a
        neither += not include_a and not include_b
    table = TwoByTwo(both, a_only, b_only, neither)
    kappa, note = table.kappa()
    ac1, _ = table.ac1()
    return ScreeningAgreement(stage, (first, second), table, kappa, note, ac1, table.diagnostics()["pabak"],
                              table.percent_agreement, maybes, single)
