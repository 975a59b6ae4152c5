"""Queries for themes: theme rows, memberships, links, exemplars."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from thematica.store.models import Exemplar, Theme, ThemeCode, ThemeLink


def all_themes(session: Session) -> Sequence[Theme]:
    return session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()


def theme_by_name(session: Session, name: str) -> Theme | None:
    return session.scalars(select(Theme).where(Theme.name == name)).first()


def next_theme_position(session: Session) -> int:
    return (session.scalar(select(func.max(Theme.position))) or 0) + 1


def memberships(session: Session) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for theme_id, code_id in session.execute(select(ThemeCode.theme_id, ThemeCode.code_id)):
        found.setdefault(theme_id, []).append(code_id)
    return found


def add_membership(session: Session, theme_id: int, code_id: int) -> bool:
    if session.get(ThemeCode, (theme_id, code_id)) is not None:
        return False
    session.add(ThemeCode(theme_id=theme_id, code_id=code_id))
    return True


def remove_membership(session: Session, theme_id: int, code_id: int) -> bool:
    row = session.get(ThemeCode, (theme_id, code_id))
    if row is None:
        return False
    session.delete(row)
    return True


def links(session: Session) -> Sequence[ThemeLink]:
    return session.scalars(select(ThemeLink).order_by(ThemeLink.id)).all()


def add_link(session: Session, source_id: int, target_id: int, label: str) -> ThemeLink:
    link = ThemeLink(source_id=source_id, target_id=target_id, label=label)
    session.add(link)
    return link


def move_links(session: Session, source_id: int, target_id: int) -> None:
    for link in links(session):
        if link.source_id == source_id:
            link.source_id = target_id
        if link.target_id == source_id:
            link.target_id = target_id
        if link.source_id == link.target_id:
            session.delete(link)


def exemplars(session: Session) -> Sequence[Exemplar]:
    return session.scalars(select(Exemplar).order_by(Exemplar.id)).all()


def add_exemplar(session: Session, segment_id: int, theme_id: int | None) -> None:
    """Mark once: marking an exemplar again changes nothing."""
    if find_exemplar(session, segment_id, theme_id) is None:
        session.add(Exemplar(segment_id=segment_id, theme_id=theme_id))


def find_exemplar(session: Session, segment_id: int, theme_id: int | None) -> Exemplar | None:
    theme_match = Exemplar.theme_id.is_(None) if theme_id is None else Exemplar.theme_id == theme_id
    return session.scalars(select(Exemplar).where(Exemplar.segment_id == segment_id, theme_match)).first()


def move_exemplars(session: Session, source_id: int, target_id: int) -> None:
    for exemplar in session.scalars(select(Exemplar).where(Exemplar.theme_id == source_id)).all():
        exemplar.theme_id = target_id


def reparent_children(session: Session, source_id: int, target_id: int | None) -> None:
    for theme in session.scalars(select(Theme).where(Theme.parent_id == source_id)).all():
        theme.parent_id = target_id


def delete_memberships(session: Session, theme_id: int) -> None:
    session.execute(delete(ThemeCode).where(ThemeCode.theme_id == theme_id))
