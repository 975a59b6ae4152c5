"""The PRISMA 2020 flow counts (Page et al. 2021, BMJ 372:n71, Figure 1: databases only), from the data.

identified (per database) → duplicates removed → screened → excluded at title/abstract →
sought for retrieval → not retrieved → assessed for eligibility → excluded with reasons → included.
Records still undecided at a stage are counted and reported, never silently put in a box.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from thematica.review.screening import stage_outcomes
from thematica.vocabulary import ReviewStage
from thematica.store import review as review_store
from thematica.store.project import Project


@dataclass(frozen=True)
class PrismaCounts:
    identified: tuple[tuple[str, int], ...]
    duplicates_removed: int
    screened: int
    excluded_screening: int
    undecided_screening: int
    sought: int
    not_retrieved: int
    assessed: int
    excluded_reasons: tuple[tuple[str, int], ...]
    undecided_fulltext: int
    included: int

    @property
    def identified_total(self) -> int:
        return sum(n for _, n in self.identified)

    @property
    def excluded_fulltext(self) -> int:
        return sum(n for _, n in self.excluded_reasons)

    def to_dict(self) -> dict[str, object]:
        return {"identified": dict(self.identified), "identified_total": self.identified_total,
                "duplicates_removed": self.duplicates_removed, "screened": self.screened,
                "excluded_screening": self.excluded_screening, "undecided_screening": self.undecided_screening,
                "sought_for_retrieval": self.sought, "not_retrieved": self.not_retrieved,
                "assessed_for_eligibility": self.assessed, "excluded_fulltext": dict(self.excluded_reasons),
                "undecided_fulltext": self.undecided_fulltext, "included": self.included}


def prisma_counts(project: Project) -> PrismaCounts:
    with project.reading() as session:
        records = review_store.all_records(session)
        title = stage_outcomes(session, ReviewStage.TITLE_ABSTRACT)
        fulltext = stage_outcomes(session, ReviewStage.FULLTEXT)
    by_id = {r.id: r for r in records}
    identified = Counter(r.database or "unknown" for r in records)
    sought = [rid for rid in title.eligible if title.outcomes[rid].decision == "include"]
    not_retrieved = sum(1 for rid in sought if by_id[rid].not_retrieved)
    reasons: Counter[str] = Counter()
    for rid in fulltext.eligible:
        outcome = fulltext.outcomes[rid]
        if outcome.decision == "exclude":
            reasons[outcome.reason or "no reason given"] += 1
    return PrismaCounts(
        identified=tuple(sorted(identified.items())),
        duplicates_removed=sum(1 for r in records if r.duplicate_of is not None),
        screened=len(title.eligible), excluded_screening=title.count("exclude"),
        undecided_screening=title.undecided, sought=len(sought), not_retrieved=not_retrieved,
        assessed=len(fulltext.eligible), excluded_reasons=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        undecided_fulltext=fulltext.undecided, included=fulltext.count("include"))
