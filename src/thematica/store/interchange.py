"""Queries for exchange: GUIDs, memos, snapshots, and the codebook with frequencies per coder."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.store.models import Code, CodebookSnapshot, Coder, Memo, Segment, Theme, ThemeCode


def code_frequencies(session: Session) -> dict[tuple[int, str], int]:
    """``{(code id, coder name): segments}``."""
    rows = session.execute(select(Segment.code_id, Coder.name, func.count()).join(Coder, Coder.id == Segment.coder_id)
                           .group_by(Segment.code_id, Coder.name))
    return {(code_id, coder): count for code_id, coder, count in rows}


def themes_of_codes(session: Session) -> dict[int, list[str]]:
    rows = session.execute(select(ThemeCode.code_id, Theme.name).join(Theme, Theme.id == ThemeCode.theme_id)
                           .order_by(Theme.position, Theme.name))
    found: dict[int, list[str]] = {}
    for code_id, name in rows:
        found.setdefault(code_id, []).append(name)
    return found


def project_memos(session: Session) -> Sequence[Memo]:
    return session.scalars(select(Memo).order_by(Memo.id)).all()


def segments_with_coders(session: Session, document_id: int) -> list[tuple[Segment, str]]:
    rows = session.execute(select(Segment, Coder.name).join(Coder, Coder.id == Segment.coder_id)
                           .where(Segment.document_id == document_id).order_by(Segment.start, Segment.end, Segment.id))
    return [(segment, name) for segment, name in rows]


def code_by_guid(session: Session, guid: str) -> Code | None:
    return session.scalars(select(Code).where(Code.guid == guid)).first()


def snapshot(session: Session, label: str) -> CodebookSnapshot | None:
    return session.scalars(select(CodebookSnapshot).where(CodebookSnapshot.label == label)).first()


def add_snapshot(session: Session, label: str, content: str) -> None:
    session.add(CodebookSnapshot(label=label, content=content))


def add_memo(session: Session, title: str, text: str, guid: str | None) -> None:
    session.add(Memo(title=title, text=text, guid=guid))
