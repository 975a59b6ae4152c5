"""Reading documents back: the stored text and its units."""

from __future__ import annotations

from dataclasses import dataclass

from thematica.errors import ThematicaError
from thematica.store import documents as document_store
from thematica.store.models import UNIT_KINDS
from thematica.store.project import Project


@dataclass(frozen=True)
class UnitText:
    start: int
    end: int
    speaker: str | None
    text: str


def document_text(project: Project, name: str) -> str:
    with project.reading() as session:
        document = document_store.document_by_name(session, name, with_text=True)
        if document is None:
            raise ThematicaError(f"no document {name!r} in the project")
        return document.text


def document_units(project: Project, name: str, kind: str) -> list[UnitText]:
    if kind not in UNIT_KINDS:
        raise ThematicaError(f"unit must be one of {', '.join(UNIT_KINDS)}")
    with project.reading() as session:
        document = document_store.document_by_name(session, name, with_text=True)
        if document is None:
            raise ThematicaError(f"no document {name!r} in the project")
        text = document.text
        return [UnitText(u.start, u.end, u.speaker, text[u.start:u.end]) for u in document_store.units_of(session, document.id, kind)]
