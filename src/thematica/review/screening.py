"""Blind double screening: decisions, who may see them, conflict meetings and each record's outcome.

Visibility follows the coding work's rule: while the project is blind each reviewer sees only their own
decisions. Opening a conflict meeting for a stage (logged) lets the meeting's reviewers, and the third
reviewer named for it, see each other's decisions at that stage — nobody else.

A record's outcome at a stage is
* the current resolution of its conflict, if the meeting decided one; else
* the reviewers' common decision when at least two reviewers decided it (one, when only one reviewer
  screens at that stage) and all who decided it agree — a third reviewer who screens a few records does
  not hold up the others (at title/abstract a *maybe* counts as *include*: the record goes on to the full text, as the
  Cochrane Handbook §4.6.4 advises when in doubt); else
* undecided (a conflict or an incomplete screening).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from thematica.coding.coders import coder_for
from thematica.coding.visibility import is_blind
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.review.records import normalise_doi
from thematica.vocabulary import ReviewDecision, ReviewStage
from thematica.store import audit, coders as coder_store, review as review_store, settings
from thematica.store.project import Project
from thematica.store.review_models import ScreeningDecision, ScreeningResolution

REVIEWERS_SETTING = "review_reviewers"
REASONS_SETTING = "review_exclusion_reasons"
KEYWORDS_SETTING = "review_keywords"
DECISION_COLUMNS = ("record", "reviewer", "stage", "decision", "reason", "note")


MEETING_TOPICS = ("title", "fulltext", "extraction", "rob1", "rob2")


def meeting_key(topic: str) -> str:
    return f"review_meeting:{topic}"


@dataclass(frozen=True)
class Meeting:
    """A logged conflict meeting about one topic: a screening stage, the data extraction or a bias tool."""

    topic: str
    reviewers: tuple[int, ...]
    third: tuple[int, ...]
    opened_by: str
    opened_at: str

    @property
    def members(self) -> frozenset[int]:
        return frozenset(self.reviewers) | frozenset(self.third)


@dataclass(frozen=True)
class Conflict:
    record_id: int
    title: str
    decisions: tuple[tuple[str, str, str], ...]  # (reviewer, decision, reason)
    resolution: str | None

    def to_dict(self) -> dict[str, object]:
        return {"record": self.record_id, "title": self.title,
                "decisions": [{"reviewer": r, "decision": d, "reason": why} for r, d, why in self.decisions],
                "resolution": self.resolution}


@dataclass(frozen=True)
class Outcome:
    """The outcome of one record at one stage: include / exclude, or None while undecided."""

    decision: str | None
    reason: str = ""
    resolved: bool = False


@dataclass
class StageOutcomes:
    stage: ReviewStage
    eligible: list[int]
    outcomes: dict[int, Outcome] = field(default_factory=dict)

    def count(self, decision: str) -> int:
        return sum(1 for record in self.eligible if self.outcomes[record].decision == decision)

    @property
    def undecided(self) -> int:
        return sum(1 for record in self.eligible if self.outcomes[record].decision is None)


# --- reviewers, reasons, keywords -------------------------------------------------------------------------

def add_reviewers(project: Project, names: Sequence[str], *, actor: str) -> list[str]:
    with project.transaction() as session:
        ids = list(settings.get_setting(session, REVIEWERS_SETTING, []))
        added = []
        for name in names:
            coder = coder_for(session, name)  # the coders' name rules: NFC, trimmed, case-insensitive, not reserved
            if coder.id not in ids:
                ids.append(coder.id)
                added.append(coder.name)
        settings.set_setting(session, REVIEWERS_SETTING, ids)
        audit.record(session, actor, "review.reviewers.add", "review", None, added=added)
    return added


def _reviewer_ids(session) -> list[int]:
    return [int(i) for i in settings.get_setting(session, REVIEWERS_SETTING, [])]


def reviewer_id_of(session, name: str) -> int:
    """The id of a registered reviewer named ``name``; anyone else is refused."""
    coder = coder_store.coder_by_name(session, name)
    if coder is None or coder.id not in _reviewer_ids(session):
        raise ThematicaError(f"{name!r} is not a reviewer of this review (add with 'thematica review reviewers')")
    return coder.id


def set_reasons(project: Project, reasons: Sequence[str], *, actor: str) -> None:
    cleaned = [r.strip() for r in reasons if r.strip()]
    with project.transaction() as session:
        settings.set_setting(session, REASONS_SETTING, cleaned)
        audit.record(session, actor, "review.reasons.set", "review", None, reasons=cleaned)


def set_keywords(project: Project, keywords: Sequence[str], *, actor: str) -> None:
    cleaned = [k.strip() for k in keywords if k.strip()]
    with project.transaction() as session:
        settings.set_setting(session, KEYWORDS_SETTING, cleaned)
        audit.record(session, actor, "review.keywords.set", "review", None, keywords=cleaned)


def keywords(project: Project) -> list[str]:
    with project.reading() as session:
        return list(settings.get_setting(session, KEYWORDS_SETTING, []))


def exclusion_reasons(project: Project) -> list[str]:
    with project.reading() as session:
        return list(settings.get_setting(session, REASONS_SETTING, []))


# --- visibility and meetings ------------------------------------------------------------------------------

def current_meeting(session, topic: str) -> Meeting | None:
    stored = settings.get_setting(session, meeting_key(topic))
    if not stored:
        return None
    return Meeting(topic, tuple(stored["reviewers"]), tuple(stored.get("third", [])), stored["opened_by"],
                   stored["opened_at"])


def visible_reviewers(session, viewer_id: int, topic: str) -> frozenset[int] | None:
    """Reviewer ids whose judgements on ``topic`` the viewer may see (None: everyone's)."""
    if not is_blind(session):
        return None
    meeting = current_meeting(session, topic)
    if meeting is not None and viewer_id in meeting.members:
        return frozenset(meeting.reviewers) | {viewer_id}
    return frozenset({viewer_id})


def open_meeting(project: Project, topic: str, reviewers: Sequence[str], third: Sequence[str], *,
                 actor: str) -> Meeting:
    if topic not in MEETING_TOPICS:
        raise ThematicaError(f"a meeting is about one of {', '.join(MEETING_TOPICS)} (not {topic!r})")
    with project.transaction() as session:
        ids = tuple(reviewer_id_of(session, name) for name in reviewers)
        if len(set(ids)) < 2:
            raise ThematicaError("a conflict meeting needs two different reviewers")
        extra = tuple(reviewer_id_of(session, name) for name in third)
        opener = reviewer_id_of(session, actor)
        if opener not in set(ids) | set(extra):
            raise ThematicaError(f"{actor!r} is not one of the meeting's reviewers")
        opened_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        settings.set_setting(session, meeting_key(topic), {"reviewers": list(ids), "third": list(extra),
                                                           "opened_by": actor, "opened_at": opened_at})
        audit.record(session, actor, "review.meeting.open", "review", None, topic=topic,
                     reviewers=list(reviewers), third=list(third))
    return Meeting(topic, ids, extra, actor, opened_at)


# --- decisions --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordLookup:
    """Records by id and by DOI (the first-imported record of a DOI), read once per action."""

    ids: frozenset[int]
    dois: dict[str, int]

    @classmethod
    def load(cls, session) -> RecordLookup:
        records = review_store.all_records(session)
        dois: dict[str, int] = {}
        for record in sorted(records, key=lambda r: (r.duplicate_of is not None, r.id)):
            if record.doi:
                dois.setdefault(record.doi, record.id)
        return cls(frozenset(r.id for r in records), dois)

    def find(self, token: str, *, path: str | None = None, row: int | None = None) -> int:
        token = token.strip()
        if token.isdigit() and int(token) in self.ids:
            return int(token)
        doi = normalise_doi(token)
        if doi and doi in self.dois:
            return self.dois[doi]
        raise ThematicaError(f"unknown record {token!r}", path=path, row=row)


def _record_id(session, token: str) -> int:
    """A record named by its id or its DOI (the first-imported record with that DOI)."""
    token = token.strip()
    if token.isdigit() and review_store.records_by_id(session, [int(token)]):
        return int(token)
    doi = normalise_doi(token)
    found = review_store.first_record_with_doi(session, doi) if doi else None
    if found is None:
        raise ThematicaError(f"unknown record {token!r}")
    return found


def _check_decision(session, record_id: int, stage: ReviewStage, decision: ReviewDecision, reason: str,
                    path: str | None = None, row: int | None = None, title: StageOutcomes | None = None) -> None:
    record = review_store.records_by_id(session, [record_id])[record_id]
    if record.duplicate_of is not None:
        raise ThematicaError(f"record {record_id} is a duplicate of record {record.duplicate_of}", path=path, row=row)
    if stage is ReviewStage.FULLTEXT:
        outcome = (title.outcomes.get(record_id, Outcome(None)) if title is not None
                   else record_outcome(session, record_id, ReviewStage.TITLE_ABSTRACT))
        if record.not_retrieved:
            raise ThematicaError(f"record {record_id} is marked as not retrieved", path=path, row=row)
        if outcome.decision != "include":
            raise ThematicaError(f"record {record_id} was not included at title/abstract screening",
                                 path=path, row=row)
        if decision is ReviewDecision.EXCLUDE:
            reasons = settings.get_setting(session, REASONS_SETTING, [])
            if not reason:
                raise ThematicaError(f"record {record_id}: a full-text exclusion needs a reason", path=path, row=row)
            if reasons and reason not in reasons:
                raise ThematicaError(f"record {record_id}: reason {reason!r} is not in the review's list "
                                     f"({'; '.join(reasons)})", path=path, row=row)


def decide(project: Project, reviewer: str, stage: ReviewStage, record: str, decision: ReviewDecision, *, reason: str = "",
           note: str = "") -> int:
    """One reviewer's decision (a new decision supersedes the reviewer's earlier one; both are kept)."""
    with project.transaction() as session:
        reviewer_id = reviewer_id_of(session, reviewer)
        record_id = _record_id(session, record)
        _check_decision(session, record_id, stage, decision, reason.strip())
        row = review_store.add_decision(session, ScreeningDecision(
            record_id=record_id, reviewer_id=reviewer_id, stage=stage.value, decision=decision.value,
            reason=reason.strip(), note=note.strip()))
        audit.record(session, reviewer, "review.decide", "screening_decision", row.id, record=record_id,
                     stage=stage.value, decision=decision.value, reason=reason.strip())
        return row.id


def import_decisions(project: Project, path: Path, *, actor: str) -> int:
    """Decisions from ``record,reviewer,stage,decision,reason,note`` rows; every row is checked first."""
    text = read_text_file(Path(path))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in DECISION_COLUMNS[:4] if c not in header]
    if missing:
        raise ThematicaError(f"missing column {missing[0]!r} (need {','.join(DECISION_COLUMNS)})", path=str(path))
    rows = [{k.strip().lower(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    with project.transaction() as session:
        parsed = []
        lookup = RecordLookup.load(session)
        for number, row in enumerate(rows, start=2):
            try:
                stage = ReviewStage(row["stage"].lower())
            except ValueError:
                raise ThematicaError(f"stage {row['stage']!r} is not title or fulltext", path=str(path),
                                     row=number) from None
            try:
                decision = ReviewDecision(row["decision"].lower())
            except ValueError:
                raise ThematicaError(f"decision {row['decision']!r} is not include, exclude or maybe",
                                     path=str(path), row=number) from None
            try:
                reviewer_id = reviewer_id_of(session, row["reviewer"])
            except ThematicaError as error:
                raise ThematicaError(error.reason, path=str(path), row=number) from None
            parsed.append((number, lookup.find(row["record"], path=str(path), row=number), reviewer_id,
                           stage, decision, row.get("reason", ""), row.get("note", "")))
        # title decisions first, so full-text rows of the same file see the title outcomes
        title: StageOutcomes | None = None
        for number, record_id, reviewer_id, stage, decision, reason, note in sorted(
                parsed, key=lambda item: (item[3] is ReviewStage.FULLTEXT, item[0])):
            if stage is ReviewStage.FULLTEXT and title is None:
                session.flush()
                title = stage_outcomes(session, ReviewStage.TITLE_ABSTRACT)
            _check_decision(session, record_id, stage, decision, reason, str(path), number, title)
            review_store.add_decision(session, ScreeningDecision(
                record_id=record_id, reviewer_id=reviewer_id, stage=stage.value, decision=decision.value,
                reason=reason, note=note))
        audit.record(session, actor, "review.decisions.import", "review", None, file=Path(path).name,
                     decisions=len(parsed))
    return len(parsed)


def export_decisions(project: Project, viewer: str) -> str:
    """The decisions the viewer may see, as the CSV that ``import_decisions`` reads (record = DOI or id)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DECISION_COLUMNS)
    with project.reading() as session:
        viewer_id = reviewer_id_of(session, viewer)
        names = review_store.reviewer_names(session)
        records = {r.id: r for r in review_store.all_records(session)}
        for stage in ReviewStage:
            visible = visible_reviewers(session, viewer_id, stage.value)
            for decision in review_store.current_decisions(session, stage.value, None if visible is None
                                                           else sorted(visible)):
                record = records[decision.record_id]
                writer.writerow([record.doi or record.id, names[decision.reviewer_id], stage.value,
                                 decision.decision, decision.reason, decision.note])
    return out.getvalue()


# --- outcomes, conflicts, resolutions --------------------------------------------------------------------

def category_of(stage: ReviewStage, decision: str) -> str:
    if stage is ReviewStage.TITLE_ABSTRACT and decision == ReviewDecision.MAYBE:
        return ReviewDecision.INCLUDE.value
    return decision


def outcome_of(stage: ReviewStage, given: dict[int, ScreeningDecision], reviewers: set[int],
               resolution: ScreeningResolution | None) -> Outcome:
    """One record's outcome from its current decisions (by reviewer) and its current resolution."""
    if resolution is not None:
        return Outcome(resolution.decision, resolution.reason, True)
    categories = {category_of(stage, d.decision) for d in given.values()}
    needed = min(2, len(reviewers))  # double screening: two reviewers (one when only one screens at this stage)
    if needed and len(given) >= needed and len(categories) == 1 and ReviewDecision.MAYBE.value not in categories:
        reasons = sorted({d.reason for d in given.values() if d.reason})
        return Outcome(categories.pop(), reasons[0] if len(reasons) == 1 else "; ".join(reasons))
    return Outcome(None)


def record_outcome(session, record_id: int, stage: ReviewStage) -> Outcome:
    """The outcome of one record (three small queries, for a single decision's checks)."""
    given = {d.reviewer_id: d for d in review_store.record_decisions(session, record_id, stage.value)}
    return outcome_of(stage, given, set(review_store.stage_reviewer_ids(session, stage.value)),
                      review_store.record_resolution(session, record_id, stage.value))


def stage_outcomes(session, stage: ReviewStage) -> StageOutcomes:
    records = [r for r in review_store.all_records(session) if r.duplicate_of is None]
    if stage is ReviewStage.FULLTEXT:
        title = stage_outcomes(session, ReviewStage.TITLE_ABSTRACT)
        eligible = [r.id for r in records if title.outcomes[r.id].decision == "include" and not r.not_retrieved]
    else:
        eligible = [r.id for r in records]
    decisions = review_store.current_decisions(session, stage.value)
    reviewers = {d.reviewer_id for d in decisions}
    by_record: dict[int, dict[int, ScreeningDecision]] = defaultdict(dict)
    for d in decisions:
        by_record[d.record_id][d.reviewer_id] = d
    resolutions = {r.record_id: r for r in review_store.current_resolutions(session, stage.value)}
    result = StageOutcomes(stage, eligible)
    for record_id in eligible:
        result.outcomes[record_id] = outcome_of(stage, by_record.get(record_id, {}), reviewers,
                                                resolutions.get(record_id))
    return result


def stage_outcomes_for(project: Project, stage: ReviewStage) -> dict[int, str | None]:
    """Each eligible record's outcome at ``stage`` (include / exclude, None while undecided)."""
    with project.reading() as session:
        outcomes = stage_outcomes(session, stage)
    return {record: outcomes.outcomes[record].decision for record in outcomes.eligible}


def conflicts(project: Project, stage: ReviewStage, viewer: str) -> list[Conflict]:
    """Records the meeting's reviewers decided differently (only a meeting member or third reviewer may list them)."""
    with project.reading() as session:
        viewer_id = reviewer_id_of(session, viewer)
        meeting = current_meeting(session, stage.value)
        if is_blind(session) and (meeting is None or viewer_id not in meeting.members):
            raise ThematicaError(f"{viewer!r} may not see other reviewers' decisions: open a conflict meeting first "
                                 "('thematica review meet')")
        pair = set(meeting.reviewers) if meeting else None
        names = review_store.reviewer_names(session)
        records = {r.id: r for r in review_store.all_records(session)}
        resolutions = {r.record_id: r for r in review_store.current_resolutions(session, stage.value)}
        by_record: dict[int, list[ScreeningDecision]] = defaultdict(list)
        for d in review_store.current_decisions(session, stage.value, None if pair is None else sorted(pair)):
            by_record[d.record_id].append(d)
        found = []
        for record_id, given in sorted(by_record.items()):
            if len(given) < 2 or records[record_id].duplicate_of is not None:
                continue
            categories = {category_of(stage, d.decision) for d in given}
            if len(categories) > 1 or (stage is ReviewStage.FULLTEXT and ReviewDecision.MAYBE.value in categories):
                resolution = resolutions.get(record_id)
                found.append(Conflict(record_id, records[record_id].title,
                                      tuple((names[d.reviewer_id], d.decision, d.reason) for d in given),
                                      None if resolution is None else resolution.decision))
    return found


def resolve(project: Project, stage: ReviewStage, record: str, decision: ReviewDecision, *, decider: str, rationale: str,
            reason: str = "") -> int:
    """The meeting's decision on a conflict (append-only: a new resolution supersedes the earlier one)."""
    if decision is ReviewDecision.MAYBE:
        raise ThematicaError("a resolution must include or exclude the record")
    if not rationale.strip():
        raise ThematicaError("a resolution needs a rationale (--rationale)")
    with project.transaction() as session:
        decider_id = reviewer_id_of(session, decider)
        meeting = current_meeting(session, stage.value)
        if meeting is None:
            raise ThematicaError(f"no conflict meeting is open for the {stage.value} stage ('thematica review meet')")
        if decider_id not in meeting.members:
            raise ThematicaError(f"{decider!r} is neither a reviewer of the meeting nor its third reviewer")
        record_id = _record_id(session, record)
        _check_decision(session, record_id, stage, decision, reason.strip())
        row = review_store.add_resolution(session, ScreeningResolution(
            record_id=record_id, stage=stage.value, decision=decision.value, reason=reason.strip(),
            rationale=rationale.strip(), decided_by=decider_id))
        audit.record(session, decider, "review.resolve", "screening_resolution", row.id, record=record_id,
                     stage=stage.value, decision=decision.value, rationale=rationale.strip())
        return row.id


@dataclass(frozen=True)
class ResolutionSummary:
    """How many of a stage's records a conflict meeting decided, and how many of those its third reviewer."""

    stage: ReviewStage
    resolved: int
    by_third: int


def resolution_summary(project: Project, stage: ReviewStage) -> ResolutionSummary:
    with project.reading() as session:
        resolutions = review_store.current_resolutions(session, stage.value)
        meeting = current_meeting(session, stage.value)
    third = set(meeting.third) if meeting else set()
    return ResolutionSummary(stage, len(resolutions), sum(1 for r in resolutions if r.decided_by in third))


def mark_not_retrieved(project: Project, records: Sequence[str], *, actor: str, retrieved: bool = False) -> int:
    with project.transaction() as session:
        ids = [_record_id(session, token) for token in records]
        found = review_store.records_by_id(session, ids)
        for record_id in ids:
            found[record_id].not_retrieved = 0 if retrieved else 1
            audit.record(session, actor, "review.retrieval", "review_record", record_id, retrieved=retrieved)
    return len(ids)


def progress(project: Project, stage: ReviewStage) -> dict[str, int]:
    """Decisions per reviewer at a stage (counts only: they reveal nobody's decisions)."""
    with project.reading() as session:
        names = review_store.reviewer_names(session)
        counts: dict[str, int] = {names[i]: 0 for i in _reviewer_ids(session)}
        for d in review_store.current_decisions(session, stage.value):
            counts[names[d.reviewer_id]] = counts.get(names[d.reviewer_id], 0) + 1
    return counts
