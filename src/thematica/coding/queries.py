"""Read-side queries for a coder's view: each asks ``coding.visibility`` which coders the viewer may see."""

from __future__ import annotations


from thematica.coding.views import DocumentProgress, VisibleSegment
from thematica.coding.visibility_rule import NOBODY
from thematica.coding.visibility import visible_coder_ids
from thematica.spans import total_length
from thematica.store import cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store
from thematica.store import segments as segment_store
from thematica.vocabulary import DocumentStatus



def _coder_names(session) -> dict[int, str]:
    return {coder.id: coder.name for coder in coder_store.all_coders(session)}


def visible_ids(session, viewer: str) -> list[int]:
    """The coder ids ``viewer`` may see, as the store's queries take them; the viewer is looked up,
    never created (reads never write: a coder not yet created sees what ``NOBODY`` sees)."""
    coder = coder_store.coder_by_name(session, viewer)
    return sorted(visible_coder_ids(session, coder.id if coder is not None else NOBODY))


def visible_segments(session, document_id: int, viewer: str) -> list[VisibleSegment]:
    """The segments ``viewer`` may see in a document (the visibility rule)."""
    names = _coder_names(session)
    rows = segment_store.segment_tuples_of_document(session, document_id, visible_ids(session, viewer))
    return [VisibleSegment(id_, document, code, names[coder_id], start, end, memo)
            for id_, document, code, coder_id, start, end, memo in rows]


def visible_code_counts(session, viewer: str) -> dict[int, int]:
    return code_store.segment_counts_by_code(session, visible_ids(session, viewer))


def progress(session, coder: str) -> list[DocumentProgress]:
    """Per document: the coder's share of characters coded (a proxy for words) and their status mark."""
    found = coder_store.coder_by_name(session, coder)  # looked up, never created: reads never write
    statuses = segment_store.document_statuses(session, found.id) if found is not None else {}
    spans = segment_store.coded_spans_by_document(session, found.id) if found is not None else {}
    cases = case_store.case_labels(session)
    rows = []
    for document in document_store.all_documents(session):
        covered = total_length(spans.get(document.id, []))
        share = covered / document.length if document.length else 0.0
        rows.append(DocumentProgress(document.id, document.name,
                                     cases.get(document.case_id) if document.case_id is not None else None,
                                     document.word_count, share, statuses.get(document.id, DocumentStatus.NOT_STARTED)))
    return rows
