"""What a project holds: documents (with case, words, units), coders, codes and segments per coder."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from thematica.coding.visibility import is_blind
from thematica.coding.codebook import code_infos
from thematica.store import coders as coder_store, documents as document_store, segments as segment_store
from thematica.store.project import Project
from thematica.vocabulary import UnitKind


@dataclass(frozen=True)
class DocumentSummary:
    name: str
    case: str | None
    words: int
    characters: int
    units: dict[str, int]
    language: str


@dataclass(frozen=True)
class ProjectSummary:
    location: str
    documents: list[DocumentSummary]
    coders: dict[str, int]
    codes: int
    code_paths: list[str]
    blind_mode: bool
    segments: int = field(default=0)

    def to_dict(self) -> dict:
        return asdict(self)


def summarise(project: Project) -> ProjectSummary:
    with project.reading() as session:
        counts = document_store.unit_counts(session)
        documents = [
            DocumentSummary(
                name=document.name, case=document.case.label if document.case else None, words=document.word_count,
                characters=document.length, language=document.language,
                units={kind.value: counts.get((document.id, kind), 0) for kind in UnitKind},
            )
            for document in document_store.all_documents(session)
        ]
        per_coder = segment_store.segment_counts_by_coder(session)
        coders = {coder.name: per_coder.get(coder.id, 0) for coder in coder_store.all_coders(session)}
        codes = code_infos(session)
        return ProjectSummary(
            location=project.location, documents=documents, coders=coders, codes=len(codes),
            code_paths=[code.path for code in codes], blind_mode=is_blind(session), segments=sum(coders.values()),
        )


def document_ids(project: Project) -> dict[str, int]:
    """``{document name: id}`` in reading order."""
    with project.reading() as session:
        return {document.name: document.id for document in document_store.all_documents(session)}
