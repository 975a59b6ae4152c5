"""Importing record exports into the review and confirming the duplicates the matcher proposes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.review.duplicates import Candidate, DuplicatePair, find_duplicates
from thematica.review.records import BibRecord, read_records
from thematica.store import audit, review as review_store, settings
from thematica.store.project import Project
from thematica.store.review_models import ReviewRecord

REJECTED_SETTING = "review_not_duplicates"


@dataclass(frozen=True)
class ImportSummary:
    files: tuple[tuple[str, int], ...]
    by_database: tuple[tuple[str, int], ...]
    total: int
    candidates: int

    def to_dict(self) -> dict[str, object]:
        return {"files": [{"file": f, "records": n} for f, n in self.files],
                "by_database": dict(self.by_database), "total": self.total, "duplicate_candidates": self.candidates}


def import_records(project: Project, paths: Sequence[Path], *, database: str | None, actor: str) -> ImportSummary:
    """Read every file first (any bad file or record refuses them all), then store them in one transaction."""
    read: list[tuple[Path, list[BibRecord]]] = [(Path(p), read_records(Path(p), database=database)) for p in paths]
    counts: Counter[str] = Counter()
    with project.transaction() as session:
        for path, records in read:
            review_store.add_records(session, (
                ReviewRecord(title=r.title, abstract=r.abstract, authors="; ".join(r.authors), year=r.year,
                             journal=r.journal, doi=r.doi, database=r.database, source_file=path.name,
                             source_row=r.row) for r in records))
            counts.update(r.database for r in records)
            audit.record(session, actor, "review.import", "review_record", None, file=path.name,
                         records=len(records))
    return ImportSummary(tuple((p.name, len(r)) for p, r in read), tuple(sorted(counts.items())),
                         sum(len(r) for _, r in read), len(duplicate_candidates(project)))


def _rejected(session) -> frozenset[tuple[int, int]]:
    return frozenset((int(a), int(b)) for a, b in settings.get_setting(session, REJECTED_SETTING, []))


def duplicate_candidates(project: Project) -> list[DuplicatePair]:
    """Proposed duplicates among records not yet marked (each pair: keep, duplicate, reason, score)."""
    with project.reading() as session:
        records = [r for r in review_store.all_records(session) if r.duplicate_of is None]
        rejected = _rejected(session)
    candidates = [Candidate(r.id, r.title, r.year, r.authors.split(";")[0].strip(), r.doi) for r in records]
    return find_duplicates(candidates, rejected=rejected)


def confirm_duplicates(project: Project, duplicate_ids: Sequence[int] | None, *, actor: str) -> int:
    """Mark the proposed duplicates (all of them, or those listed) as duplicates of their kept record."""
    pairs = duplicate_candidates(project)
    chosen = pairs if duplicate_ids is None else [p for p in pairs if p.duplicate in set(duplicate_ids)]
    if duplicate_ids is not None:
        missing = sorted(set(duplicate_ids) - {p.duplicate for p in chosen})
        if missing:
            raise ThematicaError(f"record {missing[0]} is not a proposed duplicate (see 'thematica review duplicates')")
    with project.transaction() as session:
        found = review_store.records_by_id(session, [p.duplicate for p in chosen])
        for pair in chosen:
            found[pair.duplicate].duplicate_of = pair.keep
            audit.record(session, actor, "review.duplicate.confirm", "review_record", pair.duplicate,
                         keep=pair.keep, reason=pair.reason, score=pair.score)
    return len(chosen)


def reject_duplicates(project: Project, duplicate_ids: Sequence[int], *, actor: str) -> int:
    """Record that proposed pairs are distinct studies, so they are not proposed again."""
    pairs = [p for p in duplicate_candidates(project) if p.duplicate in set(duplicate_ids)]
    if len(pairs) != len(set(duplicate_ids)):
        raise ThematicaError("only proposed duplicates can be rejected (see 'thematica review duplicates')")
    with project.transaction() as session:
        rejected = sorted(_rejected(session) | {(min(p.keep, p.duplicate), max(p.keep, p.duplicate)) for p in pairs})
        settings.set_setting(session, REJECTED_SETTING, [list(pair) for pair in rejected])
        for pair in pairs:
            audit.record(session, actor, "review.duplicate.reject", "review_record", pair.duplicate, keep=pair.keep)
    return len(pairs)


def record_titles(project: Project, ids: Sequence[int]) -> dict[int, str]:
    with project.reading() as session:
        return {record_id: record.title for record_id, record in review_store.records_by_id(session, ids).items()}
