"""Read-side queries the coding workbench needs, in one call each, with blind mode applied.

Front ends never touch the store: they ask here for a document's text, units and the segments the
viewer may see (with code paths and colours), the code tree with counts, progress, case
attributes, keyword-in-context search and code retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thematica.coding.codebook import CodeInfo, code_infos
from thematica.coding.queries import (DocumentProgress, VisibleSegment, progress, segments_of_code,
                                      visible_code_counts, visible_segments)
from thematica.errors import ThematicaError
from thematica.store import cases as case_store, documents as document_store
from thematica.store.models import Document
from thematica.store.project import Project
from thematica.vocabulary import UnitKind


@dataclass(frozen=True)
class ShownSegment:
    id: int
    start: int
    end: int
    code_id: int
    code: str
    color: str
    coder: str
    memo: str


@dataclass(frozen=True)
class DocumentView:
    id: int
    name: str
    text: str
    case: str | None
    attributes: list[tuple[str, str | None]]
    units: dict[str, list[tuple[int, int, str | None]]]
    segments: list[ShownSegment]


@dataclass(frozen=True)
class Hit:
    document_id: int
    document: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Retrieved:
    document_id: int
    document: str
    case: str | None
    speaker: str | None
    start: int
    end: int
    coder: str
    text: str


def _shown(segment: VisibleSegment, codes: dict[int, CodeInfo]) -> ShownSegment:
    code = codes[segment.code_id]
    return ShownSegment(segment.id, segment.start, segment.end, segment.code_id, code.path, code.color,
                        segment.coder, segment.memo)


def document_view(project: Project, document_id: int, viewer: str) -> DocumentView:
    with project.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ThematicaError(f"no document {document_id}")
        text = document_store.document_text(session, document_id)
        codes = {info.id: info for info in code_infos(session)}
        units = {kind.value: [(u.start, u.end, u.speaker) for u in document_store.units_of(session, document_id, kind)]
                 for kind in UnitKind}
        attributes = []
        if document.case_id is not None:
            attributes = [(attribute.name, value) for attribute, value in case_store.case_values(session, document.case_id)]
        segments = [_shown(s, codes) for s in visible_segments(session, document_id, viewer)]
        return DocumentView(document.id, document.name, text, document.case.label if document.case else None,
                            attributes, units, segments)


def visible_document_segments(project: Project, document_id: int, viewer: str) -> list[ShownSegment]:
    with project.reading() as session:
        codes = {info.id: info for info in code_infos(session)}
        return [_shown(s, codes) for s in visible_segments(session, document_id, viewer)]


def code_tree(project: Project, viewer: str) -> list[tuple[CodeInfo, int]]:
    """Codes in tree order with the number of segments the viewer may see."""
    with project.reading() as session:
        counts = visible_code_counts(session, viewer)
        return [(info, counts.get(info.id, 0)) for info in code_infos(session)]


def document_progress(project: Project, coder: str) -> list[DocumentProgress]:
    with project.transaction() as session:  # creates the coder on first use
        return progress(session, coder)


def search(project: Project, query: str, context: int = 40, limit: int = 500) -> list[Hit]:
    """Case-insensitive keyword-in-context search across all documents, in reading order."""
    if not query.strip():
        return []
    pattern = re.compile(re.escape(query.strip()), re.IGNORECASE)
    hits: list[Hit] = []
    with project.reading() as session:
        for document in document_store.all_documents(session):
            text = document_store.document_text(session, document.id)
            for match in pattern.finditer(text):
                start, end = match.span()
                hits.append(Hit(document.id, document.name, start, end,
                                text[max(0, start - context):start].replace("\n", " "), text[start:end],
                                text[end:end + context].replace("\n", " ")))
                if len(hits) >= limit:
                    return hits
    return hits


def retrieve(project: Project, code_id: int, viewer: str, include_children: bool = True) -> list[Retrieved]:
    """All segments of a code (and its children) across documents, with case and speaker."""
    with project.reading() as session:
        infos = code_infos(session)
        ids = [code_id]
        if include_children:
            path = next(info.path for info in infos if info.id == code_id)
            ids += [info.id for info in infos if info.path.startswith(path + "/")]
        found = []
        texts: dict[int, str] = {}
        for segment in segments_of_code(session, ids, viewer):
            document = session.get(Document, segment.document_id)
            if document is None:  # the segment's foreign key cascades: cannot happen within one read
                continue
            if document.id not in texts:
                texts[document.id] = document_store.document_text(session, document.id)
            turns = document_store.units_of(session, document.id, UnitKind.TURN)
            speaker = next((t.speaker for t in turns if t.start <= segment.start < t.end), None)
            found.append(Retrieved(document.id, document.name, document.case.label if document.case else None,
                                   speaker, segment.start, segment.end, segment.coder,
                                   texts[document.id][segment.start:segment.end]))
        return found


def change_stamp(project: Project) -> int:
    """A number that grows with every committed change by anyone (the audit log's newest id).

    The workbench polls it (one indexed query) to show other coders' new segments, codes and
    statuses without a restart; blind mode still decides what is shown on reload.
    """
    from thematica.store import audit

    with project.reading() as session:
        return audit.last_event_id(session)
