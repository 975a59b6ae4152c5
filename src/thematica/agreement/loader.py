"""Feeding the pure statistics from a project: units, segments, codes, coders, domains.

Documents a selected coder has not marked done are left out unless ``include_unfinished`` (and
listed in the notes); the consensus coding counts as done. Empty documents (no units) are noted.
"""

from __future__ import annotations

from thematica.agreement.report import AgreementData
from thematica.coding.coders import is_consensus_name
from thematica.coding.codebook import code_infos
from thematica.errors import ThematicaError
from thematica.spans import SegmentRow
from thematica.store import coders as coder_store, codes as code_store, documents as document_store
from thematica.store import segments as segment_store
from thematica.store.project import Project
from thematica.vocabulary import DocumentStatus, UnitKind, choices


def load(project: Project, coders: list[str] | None = None, unit: str = UnitKind.SENTENCE, *,
         include_unfinished: bool = False, domains: list[str] | None = None) -> AgreementData:
    if unit not in tuple(UnitKind):
        raise ThematicaError(f"--unit must be {choices(UnitKind)}")
    with project.reading() as session:
        known = {coder.name: coder.id for coder in coder_store.all_coders(session)}
        if not coders:
            coders = sorted(name for name in known if not is_consensus_name(name))
        missing = [name for name in coders if name not in known]
        if missing:
            raise ThematicaError(f"no coder {', '.join(map(repr, missing))} in the project")
        if len(set(coders)) < 2:
            raise ThematicaError("agreement needs at least two different coders")
        ids = [known[name] for name in coders]
        statuses = segment_store.all_document_statuses(session)
        paths = code_store.code_paths(code_store.all_codes(session))
        notes: list[str] = []
        documents: list[str] = []
        units: dict[str, list[tuple[int, int]]] = {}
        lengths: dict[str, int] = {}
        excluded: list[str] = []
        all_units = document_store.unit_spans_by_document(session, unit)
        document_ids: dict[str, int] = {}
        for document in document_store.all_documents(session):
            done = all(statuses.get((document.id, coder_id)) == DocumentStatus.DONE
                       for name, coder_id in zip(coders, ids) if not is_consensus_name(name))
            if not done and not include_unfinished:
                excluded.append(document.name)
                continue
            spans = all_units.get(document.id, [])
            if not spans:
                notes.append(f"{document.name}: empty document (no {unit} units), left out")
                continue
            documents.append(document.name)
            document_ids[document.name] = document.id
            units[document.name] = spans
            lengths[document.name] = document.length
        if excluded:
            notes.append("not marked done by every selected coder, left out (use --include-unfinished): "
                         + ", ".join(excluded))
        segments: list[SegmentRow] = []
        for name, coder_id in zip(coders, ids):
            by_document = segment_store.segment_rows_of_coder(session, coder_id)  # one query per coder
            for document_name in documents:
                for start, end, code_id in by_document.get(document_ids[document_name], []):
                    segments.append((document_name, start, end, paths[code_id], name))
        codes = sorted({segment[3] for segment in segments})
        domain_children: dict[str, list[str]] = {}
        infos = code_infos(session)
        for domain in domains or []:
            parent = next((info for info in infos if info.path == domain), None)
            if parent is None:
                raise ThematicaError(f"no code {domain!r} to use as a domain")
            children = [info.path for info in infos if info.parent_id == parent.id]
            if len(children) < 2:
                raise ThematicaError(f"domain {domain!r} needs at least two child codes (its categories)")
            domain_children[domain] = children
            codes = sorted(set(codes) | set(children))
    return AgreementData(list(coders), unit, documents, units, lengths, segments, codes, domain_children, notes)
