"""Retrieval of a code: all its segments (children included) across documents, with context.

Each retrieved segment carries the sentence before and the sentence after it, the document, case,
speaker, coder and memo, and the case's attributes, so the passages can be read — and filtered by
a case attribute such as gender or diagnosis — as in NVivo's or MAXQDA's retrieval. Whose segments
appear is the coding session's visibility rule. Four queries, whatever the number of segments.
"""

from __future__ import annotations

import bisect

from thematica.coding.session import CodingSession
from thematica.coding.views import Retrieved
from thematica.store import documents as document_store, segments as segment_store
from thematica.store.project import Project



def _flat(text: str) -> str:
    return " ".join(text.split())


def _context(text: str, sentences: list[tuple[int, int, str | None]], start: int, end: int) -> tuple[str, str]:
    """The sentence that ends before ``start`` and the one that begins at or after ``end``."""
    starts = [s for s, _, _ in sentences]
    before_index = bisect.bisect_right(starts, start - 1) - 1
    while before_index >= 0 and sentences[before_index][1] > start:
        before_index -= 1
    after_index = bisect.bisect_left(starts, end)
    before = text[sentences[before_index][0]:sentences[before_index][1]] if before_index >= 0 else ""
    after = text[sentences[after_index][0]:sentences[after_index][1]] if after_index < len(sentences) else ""
    return _flat(before), _flat(after)


def retrieve(project: Project, session: CodingSession, code_id: int, *, children: bool = True,
             attribute: tuple[str, str] | None = None) -> list[Retrieved]:
    """The code's segments the session's coder may see, in reading order; ``attribute`` =
    ``(name, value)`` keeps only the segments whose case has that value."""
    ids = sorted(session.code_family(code_id) if children else {code_id})
    names = {row[0]: row for row in session.documents}
    with project.reading() as reading:
        rows = segment_store.segment_rows_of_codes(reading, ids, session.visible)
        document_ids = sorted({row[1] for row in rows})
        attributes = document_store.case_attributes_of_documents(reading, document_ids)
        if attribute is not None:
            name, value = attribute
            document_ids = [d for d in document_ids if str(attributes.get(d, {}).get(name)) == value]
            rows = [row for row in rows if row[1] in set(document_ids)]
        texts = document_store.texts_of(reading, document_ids)
        units = document_store.units_of_documents(reading, document_ids, ("sentence", "turn"))
    found = []
    for segment_id, document_id, code, coder_id, start, end, memo in rows:
        text = texts[document_id]
        turns = units.get((document_id, "turn"), [])
        turn_index = bisect.bisect_right([t[0] for t in turns], start) - 1
        speaker = turns[turn_index][2] if 0 <= turn_index < len(turns) and turns[turn_index][1] > start else None
        before, after = _context(text, units.get((document_id, "sentence"), []), start, end)
        row = names.get(document_id)
        found.append(Retrieved(
            document_id, row[1] if row else str(document_id), row[2] if row else None, speaker, start, end,
            session.coder_names.get(coder_id, str(coder_id)),
            session.codes[code].path if code in session.codes else str(code), text[start:end], before, after, memo,
            attributes.get(document_id, {})))
    return found
