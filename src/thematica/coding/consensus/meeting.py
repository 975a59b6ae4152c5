"""The consensus meeting as a service: passages to discuss, decisions, the consensus coding.

The consensus coding belongs to a coder named ``consensus``. Opening the meeting switches blind
mode off (a logged action) and copies every passage both coders agree on into the consensus
coding. Each decision on a disagreement — keep A, keep B, both, neither, recode — rewrites the
consensus segments of that passage and logs the decision with its rationale, in one transaction.
Consensus segments are kept clipped to the decided passages and joined again where neighbouring
pieces of one code are separated only by white space, so no passage is decided twice by accident.
A meeting can stop any time; it resumes at the first undecided passage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thematica.coding.blind import CONSENSUS_CODER, is_blind, set_blind_mode
from thematica.coding.codebook import code_infos
from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.coding.consensus.passages import CodedSpan, Passage, compare_document
from thematica.errors import ThematicaError
from thematica.spans import Span, clip, union
from thematica.store import audit, coders as coder_store, codes as code_store, documents as document_store
from thematica.store import consensus as consensus_store, segments as segment_store
from thematica.store.models import ConsensusDecision, Segment
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
    coder = coder_store.coder_by_name(session, name)
    if coder is None:
        raise ThematicaError(f"no coder {name!r} in the project")
    return coder.id


def compare(project: Project, selection: Selection) -> Comparison:
    """All passages of the selected documents, compared between the two coders."""
    if selection.coder_a == selection.coder_b:
        raise ThematicaError("choose two different coders")
    with project.reading() as session:
        ids = (_coder_id(session, selection.coder_a), _coder_id(session, selection.coder_b))
        paths = code_store.code_paths(code_store.all_codes(session))
        statuses = segment_store.all_document_statuses(session)
        definitions = {info.path: info.definition for info in code_infos(session)}
        comparison = Comparison(selection, [], [], definitions=definitions)
        for document in document_store.all_documents(session):
            # the consensus coding has no 'done' mark of its own: it is as finished as its meeting
            done = all(statuses.get((document.id, coder_id)) == DocumentStatus.DONE for coder_id, name in
                       zip(ids, (selection.coder_a, selection.coder_b)) if name != CONSENSUS_CODER)
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


def open_meeting(project: Project, selection: Selection, actor: str) -> MeetingState:
    """Switch blind mode off (logged) and seed the consensus coding with the agreed passages."""
    with project.reading() as session:
        blind = is_blind(session)
    if blind:
        set_blind_mode(project, False, actor, reason=f"consensus meeting {selection.coder_a} / {selection.coder_b}")
    comparison = compare(project, selection)
    with project.transaction() as session:
        consensus = coder_store.get_or_create_coder(session, CONSENSUS_CODER)
        code_ids = _code_ids(session)
        seeded = 0
        for passage in comparison.passages:
            if not passage.agrees or not passage.codes_a:
                continue
            if consensus_store.decision_at(session, _document_id(session, passage.document), passage.start,
                                           passage.end, selection.coder_a, selection.coder_b):
                continue
            seeded += _write_passage(session, consensus.id, passage, _spans_of(session, passage, selection.coder_a),
                                     code_ids)
        audit.record(session, actor, "consensus.open", "project", None, coder_a=selection.coder_a,
                     coder_b=selection.coder_b, unit=selection.unit, seeded_segments=seeded)
    return state(project, selection, comparison)


def state(project: Project, selection: Selection, comparison: Comparison | None = None) -> MeetingState:
    comparison = comparison or compare(project, selection)
    with project.reading() as session:
        decided = {(d.document_id, d.start, d.end) for d in consensus_store.decisions(session, selection.coder_a,
                                                                                      selection.coder_b)}
        ids = {d.name: d.id for d in document_store.all_documents(session)}
    pending = [p for p in comparison.disagreements if (ids[p.document], p.start, p.end) not in decided]
    return MeetingState(len(comparison.disagreements), len(comparison.disagreements) - len(pending),
                        pending[0] if pending else None)


def decide(
    project: Project, selection: Selection, passage: Passage, decision: Decision | str, actor: str, *,
    rationale: str = "", codes: list[str] | None = None,
) -> None:
    """Record one decision and rewrite the consensus coding of the passage accordingly."""
    if decision not in DECISIONS:
        raise ThematicaError(f"decision must be {choices(Decision)}")
    decision = Decision(decision)
    if decision is Decision.RECODE and not codes:
        raise ThematicaError("a recode decision needs the codes to apply")
    with project.transaction() as session:
        consensus = coder_store.get_or_create_coder(session, CONSENSUS_CODER)
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
        _clear_passage(session, consensus.id, document_id, passage.start, passage.end)
        written = _write_passage(session, consensus.id, passage, chosen, code_ids)
        row = consensus_store.decision_at(session, document_id, passage.start, passage.end, selection.coder_a,
                                          selection.coder_b)
        if row is None:
            row = ConsensusDecision(document_id=document_id, start=passage.start, end=passage.end,
                                    coder_a=selection.coder_a, coder_b=selection.coder_b)
            session.add(row)
        row.codes_a, row.codes_b = "; ".join(passage.codes_a), "; ".join(passage.codes_b)
        row.decision, row.codes_decided = decision.value, "; ".join(sorted(chosen))
        row.rationale, row.decided_by = rationale, actor
        session.flush()
        audit.record(session, actor, "consensus.decide", "consensus_decision", row.id, document=passage.document,
                     start=passage.start, end=passage.end, decision=decision, codes=sorted(chosen),
                     rationale=rationale, segments_written=written)


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


def decision_log(project: Project) -> list[DecisionRecord]:
    """The audit trail of the meeting: passage, A's codes, B's codes, decision, rationale, who, when."""
    with project.reading() as session:
        names = {d.id: d.name for d in document_store.all_documents(session)}
        rows = []
        for decision in consensus_store.all_decisions(session):
            text = document_store.document_text(session, decision.document_id)
            rows.append(DecisionRecord(
                names[decision.document_id], decision.start, decision.end, text[decision.start:decision.end],
                decision.coder_a, decision.codes_a, decision.coder_b, decision.codes_b, Decision(decision.decision),
                decision.codes_decided, decision.rationale, decision.decided_by,
                decision.decided_at.isoformat(timespec="seconds")))
        return rows
