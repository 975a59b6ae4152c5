"""Reads of the workbench beside its session: the code tree with the counts a viewer may see
(the theme board) and keyword-in-context search across documents. The open document, its
segments and progress are the session's (``coding.session``)."""

from __future__ import annotations

import re

from thematica.coding.codebook import CodeInfo, code_infos
from thematica.coding.queries import visible_code_counts
from thematica.coding.views import Hit
from thematica.store import documents as document_store
from thematica.store.project import Project


def code_tree(project: Project, viewer: str) -> list[tuple[CodeInfo, int]]:
    """Codes in tree order with the number of segments the viewer may see."""
    with project.reading() as session:
        counts = visible_code_counts(session, viewer)
        return [(info, counts.get(info.id, 0)) for info in code_infos(session)]


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
