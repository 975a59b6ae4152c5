"""The coded material themes are built on: one coding (consensus by default), codes, cases, themes.

Which coding: the consensus coding when it exists (the usual end of a double-coding study);
otherwise the union of all coders' segments, said so in ``notes``; or any coder by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thematica.coding.blind import CONSENSUS_CODER
from thematica.coding.codebook import CodeInfo, code_infos
from thematica.errors import ThematicaError
from thematica.store import coders as coder_store, codes as code_store, documents as document_store
from thematica.store import segments as segment_store, themes as theme_store
from thematica.store.project import Project
from thematica.vocabulary import UnitKind


@dataclass(frozen=True)
class CodedSegment:
    id: int
    document: str
    case: str
    start: int
    end: int
    code: str
    coder: str
    text: str


@dataclass(frozen=True)
class ThemeInfo:
    id: int
    name: str
    parent: str | None
    status: str
    definition: str
    story: str
    codes: list[str]


@dataclass
class CodedMaterial:
    coding: str
    documents: list[tuple[str, str]]  # (document, case) in interview order
    texts: dict[str, str]
    sentences: dict[str, list[tuple[int, int]]]
    segments: list[CodedSegment]
    codes: list[CodeInfo]
    themes: list[ThemeInfo]
    links: list[tuple[str, str, str]]
    exemplars: dict[str | None, list[int]]
    notes: list[str] = field(default_factory=list)

    @property
    def cases(self) -> list[str]:
        return sorted({case for _, case in self.documents})

    def theme_codes(self, theme: ThemeInfo, with_subthemes: bool = True) -> set[str]:
        """The codes of a theme (and of its subthemes), children of a grouped code included."""
        names = {theme.name}
        if with_subthemes:
            changed = True
            while changed:
                extra = {t.name for t in self.themes if t.parent in names} - names
                names |= extra
                changed = bool(extra)
        grouped = {code for t in self.themes if t.name in names for code in t.codes}
        return {code.path for code in self.codes
                if code.path in grouped or any(code.path.startswith(g + "/") for g in grouped)}


def load_material(project: Project, coder: str | None = None) -> CodedMaterial:
    with project.reading() as session:
        names = {c.id: c.name for c in coder_store.all_coders(session)}
        notes: list[str] = []
        if coder is None:
            consensus = [i for i, n in names.items() if n == CONSENSUS_CODER]
            if consensus and segment_store.codes_used_by(session, consensus):
                coder_ids, label = consensus, CONSENSUS_CODER
            else:
                coder_ids, label = list(names), "all coders"
                notes.append("no consensus coding yet: counts use every coder's segments (union); "
                             "choose one coder with --coder")
        else:
            ids = [i for i, n in names.items() if n == coder]
            if not ids:
                raise ThematicaError(f"no coder {coder!r} in the project")
            coder_ids, label = ids, coder
        infos = code_infos(session)
        paths = {info.id: info.path for info in infos}
        documents, texts, sentences, segments = [], {}, {}, []
        for document in document_store.all_documents(session):
            case = document.case.label if document.case else document.name
            documents.append((document.name, case))
            text = document_store.document_text(session, document.id)
            texts[document.name] = text
            sentences[document.name] = [(u.start, u.end) for u in document_store.units_of(session, document.id, UnitKind.SENTENCE)]
            for segment in segment_store.segments_of_document(session, document.id, coder_ids):
                segments.append(CodedSegment(segment.id, document.name, case, segment.start, segment.end,
                                             paths[segment.code_id], names[segment.coder_id],
                                             text[segment.start:segment.end]))
        rows = theme_store.all_themes(session)
        by_id = {row.id: row for row in rows}
        members = theme_store.memberships(session)
        themes = [ThemeInfo(row.id, row.name, by_id[row.parent_id].name if row.parent_id in by_id else None,
                            row.status, row.definition, row.story,
                            sorted(paths[c] for c in members.get(row.id, []))) for row in rows]
        links = [(by_id[l.source_id].name, by_id[l.target_id].name, l.label) for l in theme_store.links(session)]
        exemplars: dict[str | None, list[int]] = {}
        for exemplar in theme_store.exemplars(session):
            key = by_id[exemplar.theme_id].name if exemplar.theme_id in by_id else None
            exemplars.setdefault(key, []).append(exemplar.segment_id)
    return CodedMaterial(label, documents, texts, sentences, segments, infos, themes, links, exemplars, notes)
