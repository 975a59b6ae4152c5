"""Coding actions on segments: apply, remove, recode, memo, document status.

Each function is one user action in its own transaction, audited with the acting coder. A coder
may change only their own segments; a consensus coding (``consensus:A+B``) is written only through
the decisions of its meeting, so its reserved names are refused here. Offsets are code points,
half-open ``[start, end)``.
"""

from __future__ import annotations



from thematica.coding.codebook import ensure_code_path, require_code
from thematica.coding.coders import checked_coder_name, coder_for
from thematica.coding.views import SegmentInfo
from thematica.errors import ThematicaError
from thematica.store import audit, coders as coder_store, segments as segment_store
from thematica.store.models import DOCUMENT_STATUSES, Code, Document, Segment
from thematica.store.project import Project
from thematica.vocabulary import DocumentStatus, choices




def _info(segment: Segment, coder_name: str) -> SegmentInfo:
    return SegmentInfo(segment.id, segment.document_id, segment.code_id, coder_name, segment.start, segment.end,
                       segment.memo)


def check_span(document: Document, start: int, end: int) -> None:
    if start < 0 or end > document.length or start >= end:
        raise ThematicaError(
            f"span [{start}, {end}) is not inside document {document.name!r} (length {document.length}) or is empty"
        )


def apply_code(
    project: Project, document_id: int, coder: str, start: int, end: int, *,
    code_id: int | None = None, code_path: str | None = None, memo: str = "",
) -> SegmentInfo:
    """Code ``[start, end)`` of a document; an identical segment of the same coder is returned, not doubled."""
    with project.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ThematicaError(f"no document with id {document_id}")
        check_span(document, start, end)
        coder_row = coder_for(session, coder)
        coder = coder_row.name
        if code_id is None:
            if code_path is None:
                raise ThematicaError("no code given")
            code_id = ensure_code_path(session, code_path, coder).id
        code = session.get(Code, code_id)
        if code is not None and not code.is_codable:
            raise ThematicaError(f"{code.name!r} is a category that organises codes; it cannot be applied")
        segment, inserted = segment_store.insert_segment_once(
            session, document_id=document_id, coder_id=coder_row.id, code_id=code_id, start=start, end=end, memo=memo
        )
        if not inserted:
            return _info(segment, coder)
        audit.record(session, coder, "segment.add", "segment", segment.id, document_id=document_id, code_id=code_id,
                     start=start, end=end)
        return _info(segment, coder)


def _own_segment(session, segment_id: int, coder: str) -> Segment:
    checked_coder_name(coder)
    segment = session.get(Segment, segment_id)
    if segment is None:
        raise ThematicaError(f"no segment with id {segment_id}")
    if segment.coder.name_key != coder_store.name_key(coder):
        raise ThematicaError(f"segment {segment_id} belongs to coder {segment.coder.name!r}, not {coder!r}")
    return segment


def remove_segment(project: Project, segment_id: int, coder: str) -> SegmentInfo:
    with project.transaction() as session:
        segment = _own_segment(session, segment_id, coder)
        coder = segment.coder.name
        info = _info(segment, coder)
        audit.record(session, coder, "segment.remove", "segment", segment.id, document_id=segment.document_id,
                     code_id=segment.code_id, start=segment.start, end=segment.end, memo=segment.memo)
        session.delete(segment)
        return info


def recode_segment(project: Project, segment_id: int, coder: str, *, code_id: int | None = None,
                   code_path: str | None = None) -> SegmentInfo:
    with project.transaction() as session:
        segment = _own_segment(session, segment_id, coder)
        coder = segment.coder.name
        if code_id is None:
            code_id = require_code(session, code_path or "").id
        if segment_store.find_segment(session, segment.document_id, segment.coder_id, code_id, segment.start,
                                      segment.end) is not None:
            raise ThematicaError("this passage already carries that code")
        audit.record(session, coder, "segment.recode", "segment", segment.id, before=segment.code_id, after=code_id)
        segment.code_id = code_id
        session.flush()
        return _info(segment, coder)


def set_segment_memo(project: Project, segment_id: int, coder: str, memo: str) -> SegmentInfo:
    with project.transaction() as session:
        segment = _own_segment(session, segment_id, coder)
        coder = segment.coder.name
        audit.record(session, coder, "segment.memo", "segment", segment.id, before=segment.memo, after=memo)
        segment.memo = memo
        session.flush()
        return _info(segment, coder)


def set_document_status(project: Project, document_id: int, coder: str, status: str, actor: str | None = None) -> None:
    """A coder's progress mark; ``actor`` (default: the coder) is who set it, for the audit log."""
    if status not in DOCUMENT_STATUSES:
        raise ThematicaError(f"status must be {choices(DocumentStatus)}")
    with project.transaction() as session:
        coder_row = coder_for(session, coder)
        before = segment_store.document_statuses(session, coder_row.id).get(document_id, "not_started")
        segment_store.set_document_status(session, document_id, coder_row.id, status)
        audit.record(session, actor or coder_row.name, "document.status", "document", document_id, coder=coder_row.name,
                     status=status, before=before, after=status)
