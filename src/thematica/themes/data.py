"""The coded material themes are built on: one coding (consensus by default), codes, cases, themes.

Which coding: the consensus coding when it exists (the usual end of a double-coding study; the
union of the meetings' consensus codings when there are several); otherwise the union of all
coders' segments, said so in ``notes``; or any coder by name; or (``coder_ids``, for a viewer's
board) exactly the codings the visibility rule lets the viewer see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thematica.coding.coder_names import CONSENSUS
from thematica.coding.coders import is_consensus_name
from thematica.coding.codebook import CodeInfo, code_infos
from thematica.errors import ThematicaError
from thematica.store import coders as coder_store, codes as code_store, documents as document_store
from thematica.store import consensus as consensus_store, segments as segment_store, themes as theme_store
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


def consensus_codings(session, among: frozenset[int] | None = None) -> list[int]:
    """The ids of the consensus codings that hold segments (of ``among`` when given)."""
    names = {c.id: c.name for c in coder_store.all_coders(session)}
    ids = consensus_store.consensus_coder_ids(session) | {i for i, n in names.items() if is_consensus_name(n)}
    if among is not None:
        ids &= among
    return sorted(i for i in ids if segment_store.codes_used_by(session, [i]))


def load_material(project: Project, coder: str | None = None, *, coder_ids: frozenset[int] | None = None,
                  label: str | None = None) -> CodedMaterial:
    with project.reading() as session:
        names = {c.id: c.name for c in coder_store.all_coders(session)}
        notes: list[str] = []
        used: list[int]
        if coder_ids is not None:
            used, label = sorted(coder_ids), label or ", ".join(sorted(names[i] for i in coder_ids if i in names))
        elif coder is None:
            consensus = consensus_codings(session)
            if consensus:
                used, label = consensus, ", ".join(names[i] for i in consensus)
            else:
                used, label = list(names), "all coders"
                notes.append("no consensus coding yet: counts use every coder's segments (union); "
                             "choose one coder with --coder")
        elif coder_store.name_key(coder) == CONSENSUS:  # --coder consensus: the meetings' consensus codings
            used = consensus_codings(session)
            if not used:
                raise ThematicaError("no consensus coding yet: decide passages in a meeting first "
                                     "('thematica consensus open', 'thematica consensus decide'), or name a coder")
            label = ", ".join(sorted(names[i] for i in used))
        else:
            used = [i for i, n in names.items() if coder_store.name_key(n) == coder_store.name_key(coder)]
            if not used:
                raise ThematicaError(f"no coder {coder!r} in the project")
            label = coder
        infos = code_infos(session)
        paths = {info.id: info.path for info in infos}
        documents, texts, sentences, segments = [], {}, {}, []
        for document in document_store.all_documents(session):
            case = document.case.label if document.case else document.name
            documents.append((document.name, case))
            text = document_store.document_text(session, document.id)
            texts[document.name] = text
            sentences[document.name] = [(u.start, u.end) for u in document_store.units_of(session, document.id, UnitKind.SENTENCE)]
            for segment in segment_store.segments_of_document(session, document.id, used):
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
