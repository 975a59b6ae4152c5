"""The consensus meeting as a service: passages to discuss, decisions, the consensus coding.

A meeting is an entity: its two coders, who opened it and when, and its own consensus coding
(the coder ``consensus:A+B``), so meetings of different pairs never write into each other. Opening
a meeting reveals the pair's codings to the pair only (``coding.visibility``), and copies every
passage both coders agree on into the meeting's consensus coding. Each decision on a disagreement
— keep A, keep B, both, neither, recode — rewrites the consensus segments of that passage and
appends a decision (by the ids of its meeting, decider, document and codes) in one transaction;
deciding a passage again appends a decision that supersedes the old one, which stays in the log.
Only the meeting's coders and the project lead may open it and decide. Consensus segments are
kept clipped to the decided passages and joined again where neighbouring pieces of one code are
separated only by white space. A meeting can stop any time; it resumes at the first undecided passage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from thematica.coding.codebook import code_infos
from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.coding.coders import checked_coder_name, consensus_coding_name, existing_coder, is_consensus_name
from thematica.coding.consensus.passages import CodedSpan, Passage, compare_document
from thematica.coding.visibility import lead
from thematica.errors import ThematicaError
from thematica.spans import Span, clip, union
from thematica.store import audit, coders as coder_store, codes as code_store, documents as document_store
from thematica.store import consensus as consensus_store, segments as segment_store
from thematica.store.models import Coder, ConsensusMeeting, Segment
from thematica.store.project import Project
from thematica.vocabulary import ConsensusDecision as Decision, DocumentStatus, UnitKind, choices

DECISIONS = tuple(Decision)


@dataclass(frozen=True)
class Selection:
    """Which codings to compare — the same options as ``thematica agreement``."""

    coder_a: str
    coder_b: str
    unit: str = UnitKind.SENTENCE
    include_unfinished: bool = False
    min_overlap: float = 0.0


@dataclass
class Comparison:
    selection: Selection
    passages: list[Passage]
    documents: list[str]
    excluded_documents: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def disagreements(self) -> list[Passage]:
        return [passage for passage in self.passages if not passage.agrees]


def _coder_id(session, name: str) -> int:
    return existing_coder(session, name).id


def compare(project: Project, selection: Selection) -> Comparison:
    """All passages of the selected documents, compared between the two coders."""
    with project.reading() as session:
        return _compare(session, selection)


def _compare(session, selection: Selection) -> Comparison:
    """``compare`` in a given session: open_meeting compares in its own transaction, once the meeting exists."""
    if coder_store.name_key(selection.coder_a) == coder_store.name_key(selection.coder_b):
        raise ThematicaError("choose two different coders")
    ids = (_coder_id(session, selection.coder_a), _coder_id(session, selection.coder_b))
    paths = code_store.code_paths(code_store.all_codes(session))
    statuses = segment_store.all_document_statuses(session)
    definitions = {info.path: info.definition for info in code_infos(session)}
    comparison = Comparison(selection, [], [], definitions=definitions)
    for document in document_store.all_documents(session):
        # the consensus coding has no 'done' mark of its own: it is as finished as its meeting
        done = all(statuses.get((document.id, coder_id)) == DocumentStatus.DONE for coder_id, name in
                   zip(ids, (selection.coder_a, selection.coder_b)) if not is_consensus_name(name))
        if not done and not selection.include_unfinished:
            comparison.excluded_documents.append(document.name)
            continue
        comparison.documents.append(document.name)
        comparison.texts[document.name] = document_store.document_text(session, document.id)
        codings = []
        for coder_id in ids:
            codings.append([CodedSpan(s.start, s.end, paths[s.code_id])
                            for s in segment_store.segments_of_document(session, document.id, [coder_id])])
        units = [(u.start, u.end, u.speaker) for u in document_store.units_of(session, document.id, selection.unit)]
        comparison.passages.extend(compare_document(document.name, units, codings[0], codings[1],
                                                    selection.min_overlap))
    return comparison


@dataclass(frozen=True)
class MeetingState:
    total: int
    decided: int
    next_passage: Passage | None

    @property
    def finished(self) -> bool:
        return self.next_passage is None


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    coder_a: str
    coder_b: str
    consensus: str
    unit: str
    include_unfinished: bool
    opened_by: str
    opened_at: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _info(session, meeting: ConsensusMeeting) -> MeetingInfo:
    names = coder_store.coder_names(session)
    return MeetingInfo(meeting.id, names[meeting.coder_a_id], names[meeting.coder_b_id],
                       names[meeting.consensus_coder_id], meeting.unit, meeting.include_unfinished,
                       names[meeting.opened_by_id], meeting.opened_at.isoformat(timespec="seconds"))


def _pair_meeting(session, selection: Selection) -> ConsensusMeeting | None:
    """The pair's meeting; asking for it with A and B swapped is refused (keep A would mean B)."""
    coder_a, coder_b = existing_coder(session, selection.coder_a), existing_coder(session, selection.coder_b)
    meeting = consensus_store.meeting_of_pair(session, coder_a.id, coder_b.id)
    if meeting is not None and meeting.coder_a_id != coder_a.id:
        raise ThematicaError(f"the meeting of {coder_b.name} and {coder_a.name} has {coder_b.name} as A: "
                             f"use --coders {coder_b.name},{coder_a.name}")
    return meeting


def _require_meeting(session, selection: Selection) -> ConsensusMeeting:
    meeting = _pair_meeting(session, selection)
    if meeting is None:
        raise ThematicaError(f"no consensus meeting of {coder_store.clean_name(selection.coder_a)} and "
                             f"{coder_store.clean_name(selection.coder_b)}; open it with 'thematica consensus open'")
    return meeting


def _member(session, meeting_coders: tuple[int, int], meeting_name: str, actor: str, action: str) -> Coder:
    """The acting coder, who must be one of the meeting's two coders or the project lead."""
    if not coder_store.clean_name(actor):
        raise ThematicaError(f"meeting {meeting_name}: who {action}s is empty (give --as NAME)")
    name = checked_coder_name(actor)
    acting = coder_store.coder_by_name(session, name)
    chief = lead(session)
    if acting is None or (acting.id not in meeting_coders and (chief is None or acting.id != chief.id)):
        raise ThematicaError(f"meeting {meeting_name}: {name!r} may not {action}: only its coders and the "
                             f"project lead{f' ({chief.name})' if chief else ''} may")
    return acting


def find_meeting(project: Project, coder_a: str, coder_b: str) -> MeetingInfo | None:
    with project.reading() as session:
        meeting = _pair_meeting(session, Selection(coder_a, coder_b))
        return _info(session, meeting) if meeting else None


def meetings(project: Project) -> list[MeetingInfo]:
    with project.reading() as session:
        return [_info(session, meeting) for meeting in consensus_store.all_meetings(session)]


def meeting_selection(project: Project, coder_a: str, coder_b: str, unit: str | None = None,
                      include_unfinished: bool | None = None) -> Selection:
    """The selection an opened meeting compares (its unit and documents), or the one asked for
    when the meeting is not open yet; asking an opened meeting for another unit is refused."""
    info = find_meeting(project, coder_a, coder_b)
    if info is None:
        return Selection(coder_a, coder_b, unit or "sentence", bool(include_unfinished))
    if unit is not None and unit != info.unit:
        raise ThematicaError(f"meeting {info.consensus} compares {info.unit}s, not {unit}s")
    chosen = info.include_unfinished if include_unfinished is None else include_unfinished
    return Selection(info.coder_a, info.coder_b, info.unit, chosen)


def open_meeting(project: Project, selection: Selection, actor: str) -> MeetingState:
    """Open (or resume) the pair's meeting and seed its consensus coding with the agreed passages.

    The comparison is made in the same transaction, once the meeting exists: on a team server the
    pair's codings become readable to the pair (row-level security) only through the meeting."""
    with project.transaction() as session:
        meeting = _pair_meeting(session, selection)
        coder_a, coder_b = existing_coder(session, selection.coder_a), existing_coder(session, selection.coder_b)
        if meeting is not None:
            name = coder_store.coder_names(session)[meeting.consensus_coder_id]
        else:
            name = consensus_coding_name(coder_a.name, coder_b.name)
        acting = _member(session, (coder_a.id, coder_b.id), name, actor, "open the meeting")
        if meeting is None:
            consensus = coder_store.get_or_create_coder(session, name)
            meeting = consensus_store.add_meeting(
                session, coder_a_id=coder_a.id, coder_b_id=coder_b.id, consensus_coder_id=consensus.id,
                unit=selection.unit, include_unfinished=selection.include_unfinished, opened_by_id=acting.id)
            action = "consensus.open"
        else:
            if meeting.unit != selection.unit:
                raise ThematicaError(f"meeting {name} compares {meeting.unit}s, not {selection.unit}s")
            action = "consensus.resume"
        comparison = _compare(session, selection)
        code_ids = _code_ids(session)
        seeded = 0
        for passage in comparison.passages:
            if not passage.agrees or not passage.codes_a:
                continue
            if consensus_store.current_decision_at(session, meeting.id, _document_id(session, passage.document),
                                                   passage.start, passage.end):
                continue
            seeded += _write_passage(session, meeting.consensus_coder_id, passage,
                                     _spans_of(session, passage, selection.coder_a), code_ids)
        audit.record(session, acting.name, action, "consensus_meeting", meeting.id, coder_a=coder_a.name,
                     coder_b=coder_b.name, consensus=name, unit=selection.unit, seeded_segments=seeded)
    return state(project, selection, comparison)


def state(project: Project, selection: Selection, comparison: Comparison | None = None) -> MeetingState:
    comparison = comparison or compare(project, selection)
    with project.reading() as session:
        meeting = _pair_meeting(session, selection)
        decided = set() if meeting is None else {
            (d.document_id, d.start, d.end) for d in consensus_store.decisions_of_meeting(session, meeting.id)}
        ids = {d.name: d.id for d in document_store.all_documents(session)}
    pending = [p for p in comparison.disagreements if (ids[p.document], p.start, p.end) not in decided]
    return MeetingState(len(comparison.disagreements), len(comparison.disagreements) - len(pending),
                        pending[0] if pending else None)


def find_passage(comparison: Comparison, document: str, start: int) -> Passage:
    """The disagreement of the comparison that starts at ``start`` in ``document`` (to decide it again)."""
    for passage in comparison.disagreements:
        if passage.document == document and passage.start <= start < passage.end:
            return passage
    raise ThematicaError(f"no disagreement of {comparison.selection.coder_a} and {comparison.selection.coder_b} "
                         f"at {document} [{start}, …)")


def decide(
    project: Project, selection: Selection, passage: Passage, decision: Decision | str, actor: str, *,
    rationale: str = "", codes: list[str] | None = None,
) -> int:
    """Append one decision and rewrite the meeting's consensus coding of the passage accordingly.

    A passage decided before gets a new decision superseding the old one (both stay in the log).
    Returns the new decision's id."""
    if decision not in DECISIONS:
        raise ThematicaError(f"decision must be {choices(Decision)}")
    decision = Decision(decision)
    if decision is Decision.RECODE and not codes:
        raise ThematicaError("a recode decision needs the codes to apply")
    with project.transaction() as session:
        meeting = _require_meeting(session, selection)
        names = coder_store.coder_names(session)
        acting = _member(session, (meeting.coder_a_id, meeting.coder_b_id), names[meeting.consensus_coder_id],
                         actor, "decide")
        consensus_id = meeting.consensus_coder_id
        document_id = _document_id(session, passage.document)
        code_ids = _code_ids(session)
        spans_a = _spans_of(session, passage, selection.coder_a)
        spans_b = _spans_of(session, passage, selection.coder_b)
        if decision is Decision.KEEP_A:
            chosen = spans_a
        elif decision is Decision.KEEP_B:
            chosen = spans_b
        elif decision is Decision.BOTH:
            chosen = {code: union([*spans_a.get(code, []), *spans_b.get(code, [])]) for code in {*spans_a, *spans_b}}
        elif decision is Decision.NEITHER:
            chosen = {}
        else:
            unknown = [code for code in codes or [] if code not in code_ids]
            if unknown:
                raise ThematicaError(f"unknown code(s): {', '.join(unknown)}")
            chosen = {code: [Span(passage.start, passage.end)] for code in codes or []}
        previous = consensus_store.current_decision_at(session, meeting.id, document_id, passage.start, passage.end)
        _clear_passage(session, consensus_id, document_id, passage.start, passage.end)
        written = _write_passage(session, consensus_id, passage, chosen, code_ids)
        row = consensus_store.add_decision(
            session, meeting_id=meeting.id, document_id=document_id, start=passage.start, end=passage.end,
            decision=decision, rationale=rationale, decided_by_id=acting.id,
            supersedes_id=previous.id if previous else None,
            codes={"a": [code_ids[c] for c in passage.codes_a if c in code_ids],
                   "b": [code_ids[c] for c in passage.codes_b if c in code_ids],
                   "decided": [code_ids[c] for c in chosen]})
        audit.record(session, acting.name, "consensus.decide", "consensus_decision", row.id, meeting=meeting.id,
                     document=passage.document, start=passage.start, end=passage.end,
                     before=None if previous is None else {"decision_id": previous.id, "decision": previous.decision},
                     after={"decision_id": row.id, "decision": decision, "codes": sorted(chosen)},
                     rationale=rationale, segments_written=written)
        return row.id


def _document_id(session, name: str) -> int:
    document = document_store.document_by_name(session, name)
    if document is None:
        raise ThematicaError(f"no document {name!r}")
    return document.id


def _code_ids(session) -> dict[str, int]:
    return {path: code_id for code_id, path in code_store.code_paths(code_store.all_codes(session)).items()}


def _spans_of(session, passage: Passage, coder: str) -> dict[str, list[Span]]:
    """The coder's coverage of the passage per code, clipped to the passage."""
    paths = code_store.code_paths(code_store.all_codes(session))
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    document_id = _document_id(session, passage.document)
    for segment in segment_store.segments_of_document(session, document_id, [_coder_id(session, coder)]):
        part = clip((segment.start, segment.end), (passage.start, passage.end))
        if part is not None:
            spans[paths[segment.code_id]].append(part)
    return {code: union(parts) for code, parts in spans.items()}


def _clear_passage(session, consensus_id: int, document_id: int, start: int, end: int) -> None:
    """Remove the consensus coding inside ``[start, end)``, keeping the parts of segments outside it."""
    for segment in list(segment_store.segments_of_document(session, document_id, [consensus_id])):
        if segment.end <= start or segment.start >= end:
            continue
        outside = [(segment.start, start), (end, segment.end)]
        code_id, memo = segment.code_id, segment.memo
        session.delete(segment)
        session.flush()
        for part_start, part_end in outside:
            if part_start < part_end:
                session.add(Segment(document_id=document_id, code_id=code_id, coder_id=consensus_id,
                                    start=part_start, end=part_end, memo=memo))
    session.flush()


def _write_passage(session, consensus_id: int, passage: Passage, chosen: Mapping[str, Sequence[tuple[int, int]]],
                   code_ids: dict[str, int]) -> int:
    document_id = _document_id(session, passage.document)
    written = 0
    for code, spans in chosen.items():
        for start, end in union(spans):
            _, inserted = segment_store.insert_segment_once(session, document_id=document_id, coder_id=consensus_id,
                                                            code_id=code_ids[code], start=start, end=end)
            written += inserted
    _join_neighbours(session, consensus_id, document_id)
    return written


def _join_neighbours(session, consensus_id: int, document_id: int) -> None:
    """Join consensus pieces of one code separated only by white space (units leave such gaps)."""
    text = document_store.document_text(session, document_id)
    by_code: dict[int, list[Segment]] = defaultdict(list)
    for segment in segment_store.segments_of_document(session, document_id, [consensus_id]):
        by_code[segment.code_id].append(segment)
    for code_id, segments in by_code.items():
        spans = sorted((s.start, s.end) for s in segments)
        joined = [spans[0]]
        for start, end in spans[1:]:
            if start <= joined[-1][1] or not text[joined[-1][1]:start].strip():
                joined[-1] = (joined[-1][0], max(joined[-1][1], end))
            else:
                joined.append((start, end))
        if joined == spans:
            continue
        for segment in segments:
            session.delete(segment)
        session.flush()
        for start, end in joined:
            session.add(Segment(document_id=document_id, code_id=code_id, coder_id=consensus_id, start=start, end=end))
    session.flush()


@dataclass(frozen=True)
class MeetingProgress:
    meeting: str
    decided: int
    total: int

    @property
    def finished(self) -> bool:
        return self.decided == self.total

    @property
    def wording(self) -> str:
        return f"{self.decided} of {self.total} passages decided"

    def to_dict(self) -> dict[str, Any]:
        return {"meeting": self.meeting, "decided": self.decided, "total": self.total, "finished": self.finished}


def progress(project: Project) -> list[MeetingProgress]:
    """Per meeting: how many of the passages where its coders differ are decided."""
    found = []
    for info in meetings(project):
        selection = Selection(info.coder_a, info.coder_b, info.unit, info.include_unfinished)
        meeting = state(project, selection)
        found.append(MeetingProgress(info.consensus, meeting.decided, meeting.total))
    return found


def decision_log(project: Project, *, current_only: bool = False) -> list[DecisionRecord]:
    """Every decision, superseded ones included (``superseded_by``, with who and when), in reading order.

    Coders, codes and documents are shown by their current names (looked up by id)."""
    with project.reading() as session:
        documents = {d.id: d.name for d in document_store.all_documents(session)}
        coders = coder_store.coder_names(session)
        paths = code_store.code_paths(code_store.all_codes(session))
        rows: list[DecisionRecord] = []
        for meeting in consensus_store.all_meetings(session):
            decisions = consensus_store.decisions_of_meeting(session, meeting.id)
            by_id = {d.id: d for d in decisions}
            replaced = consensus_store.superseded_by(session, list(by_id))
            codes = consensus_store.decision_codes(session, list(by_id))
            for decision in decisions:
                newer = by_id.get(replaced[decision.id]) if decision.id in replaced else None
                if current_only and newer is not None:
                    continue
                text = document_store.document_text(session, decision.document_id)
                sides = codes.get(decision.id, {"a": [], "b": [], "decided": []})

                def shown(side: str) -> str:
                    return "; ".join(sorted(paths[code_id] for code_id in sides[side]))
                rows.append(DecisionRecord(
                    id=decision.id, meeting=coders[meeting.consensus_coder_id],
                    document=documents[decision.document_id], start=decision.start, end=decision.end,
                    passage=text[decision.start:decision.end], coder_a=coders[meeting.coder_a_id],
                    codes_a=shown("a"), coder_b=coders[meeting.coder_b_id], codes_b=shown("b"),
                    decision=Decision(decision.decision), codes_decided=shown("decided"),
                    rationale=decision.rationale, decided_by=coders[decision.decided_by_id],
                    decided_at=decision.decided_at.isoformat(timespec="seconds"), supersedes=decision.supersedes_id,
                    superseded_by=newer.id if newer else None,
                    superseded_by_who=coders[newer.decided_by_id] if newer else None,
                    superseded_at=newer.decided_at.isoformat(timespec="seconds") if newer else None))
        return rows


def decision_counts(project: Project) -> tuple[dict[str, int], int]:
    """The decisions in force by kind (a passage decided again counts once) and the passages where the
    meetings' coders differ in all, for the report's "N of M passages decided"."""
    kinds: dict[str, int] = {}
    for row in decision_log(project, current_only=True):
        kinds[row.decision.value] = kinds.get(row.decision.value, 0) + 1
    return kinds, sum(meeting.total for meeting in progress(project))
