"""Read-side queries the coding workbench needs, in one call each, with blind mode applied.

Front ends never touch the store: they ask here for a document's text, units and the segments the
viewer may see (with code paths and colours), the code tree with counts, progress, case
attributes, keyword-in-context search and code retrieval.
"""

from __future__ import annotations

import re

from thematica.coding.visibility import visible_coder_ids
from thematica.errors import ThematicaError
from thematica.coding.codebook import CodeInfo, code_infos
from thematica.coding.queries import DocumentProgress, VisibleSegment
from thematica.coding.views import DocumentView, Hit, ShownSegment
from thematica.spans import total_length
from thematica.store import cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store, segments as segment_store
from thematica.store.models import Document
from thematica.store.project import Project
from thematica.vocabulary import UnitKind




def _visible_ids(session, viewer: str) -> list[int]:
    """Whose segments ``viewer`` may see; the viewer is looked up, never created (reads never write)."""
    coder = coder_store.coder_by_name(session, viewer)
    return sorted(visible_coder_ids(session, coder.id if coder is not None else 0))


def visible_segments(session, document_id: int, viewer: str) -> list[VisibleSegment]:
    names = {coder.id: coder.name for coder in coder_store.all_coders(session)}
    rows = segment_store.segment_tuples_of_document(session, document_id, _visible_ids(session, viewer))
    return [VisibleSegment(id_, document, code, names[coder_id], start, end, memo)
            for id_, document, code, coder_id, start, end, memo in rows]


def _shown(segment: VisibleSegment, codes: dict[int, CodeInfo]) -> ShownSegment:
    code = codes[segment.code_id]
    return ShownSegment(segment.id, segment.start, segment.end, segment.code_id, code.path, code.color,
                        segment.coder, segment.memo)


def document_view(project: Project, document_id: int, viewer: str) -> DocumentView:
    with project.reading() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ThematicaError(f"no document with id {document_id}")
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
        counts = code_store.segment_counts_by_code(session, _visible_ids(session, viewer))
        return [(info, counts.get(info.id, 0)) for info in code_infos(session)]


def document_progress(project: Project, coder: str) -> list[DocumentProgress]:
    """Per document: the coder's share of characters coded and status mark (three queries, no writes)."""
    with project.reading() as session:
        found = coder_store.coder_by_name(session, coder)
        statuses = segment_store.document_statuses(session, found.id) if found else {}
        spans = segment_store.spans_by_document(session, found.id) if found else {}
        return [DocumentProgress(identifier, name, case, words,
                                 total_length(spans.get(identifier, [])) / length if length else 0.0,
                                 statuses.get(identifier, "not_started"))
                for identifier, name, case, words, length in document_store.document_rows(session)]


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


def change_stamp(project: Project) -> int:
    """A number that grows with every committed change by anyone (the audit log's newest id).

    The workbench polls it (one indexed query) to show other coders' new segments, codes and
    statuses without a restart; blind mode still decides what is shown on reload.
    """
    from thematica.store import audit

    with project.reading() as session:
        return audit.last_event_id(session)
