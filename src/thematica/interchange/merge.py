"""Merging coders who worked apart: bring the other copy's segments in, matched by document text.

Documents are matched by the sha256 of their text (names may differ). A document of the other
copy that carries segments but has no identical text here is a refusal, listed by name, and
nothing is merged. Segments already present are skipped (the unique constraint guarantees a
second run adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thematica.coding.codebook import code_infos, ensure_code_path
from thematica.coding.coders import is_consensus_name
from thematica.errors import ThematicaError
from thematica.staging import staging_folder
from thematica.interchange.refi_qda import import_qdpx
from thematica.store import audit, coders as coder_store, codes as code_store, documents as document_store
from thematica.store import interchange as exchange_store, segments as segment_store
from thematica.store.project import Project, open_project


@dataclass(frozen=True)
class MergeReport:
    documents: int
    added: int
    already_present: int
    coders: tuple[str, ...]


def merge(project: Project, other_location: str, actor: str = "system") -> MergeReport:
    if str(other_location).lower().endswith(".qdpx"):
        # The other copy's interviews are unpacked into a private staging folder beside the project
        # (beside the .qdpx for a server project), never into the shared system temp folder.
        beside = project.path.parent if project.path is not None else Path(other_location).expanduser().resolve().parent
        with staging_folder(beside) as folder:
            with open_project(Path(folder) / "incoming.thematica", create=True) as incoming:
                import_qdpx(Path(other_location), incoming, actor)
                return _merge_from(project, incoming, actor)
    with open_project(other_location) as other:
        return _merge_from(project, other, actor)


def _merge_from(project: Project, other: Project, actor: str) -> MergeReport:
    with other.reading() as session:
        paths = code_store.code_paths(code_store.all_codes(session))
        definitions = {info.path: info for info in code_infos(session)}
        incoming = []
        for document in document_store.all_documents(session):
            rows = [(segment.start, segment.end, paths[segment.code_id], coder, segment.memo)
                    for segment, coder in exchange_store.segments_with_coders(session, document.id)]
            if rows:
                incoming.append((document.name, document.sha256, rows))
    with project.reading() as session:
        here = {document.sha256: document.id for document in document_store.all_documents(session)}
    consensus = sorted({coder for _, _, rows in incoming for *_, coder, _ in rows if is_consensus_name(coder)})
    if consensus:  # a consensus coding is written only by the decisions of its meeting
        raise ThematicaError(f"the other copy holds the consensus coding {consensus[0]!r}, which only its meeting's "
                             "decisions may write: merge the coders' own codings (nothing merged)")
    unmatched = [name for name, sha, _ in incoming if sha not in here]
    if unmatched:
        raise ThematicaError("these documents are not identical in both copies (different text), nothing merged: "
                             + ", ".join(unmatched))
    added = present = 0
    coders: set[str] = set()
    with project.transaction() as session:
        for name, sha, rows in incoming:
            for start, end, code_path, coder_name, memo in rows:
                info = definitions[code_path]
                code = ensure_code_path(session, code_path, actor, color=info.color, definition=info.definition,
                                        inclusion=info.inclusion, exclusion=info.exclusion, example=info.example)
                coder = coder_store.get_or_create_coder(session, coder_name)
                coders.add(coder_name)
                _, inserted = segment_store.insert_segment_once(session, document_id=here[sha], coder_id=coder.id,
                                                                code_id=code.id, start=start, end=end, memo=memo)
                added += inserted
                present += not inserted
        audit.record(session, actor, "merge", "project", None, source=other.location, added=added,
                     already_present=present)
    return MergeReport(len(incoming), added, present, tuple(sorted(coders)))
