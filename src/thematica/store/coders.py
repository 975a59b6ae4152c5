"""Coders (the people who code); created on first use."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.store.models import Coder


def coder_by_name(session: Session, name: str) -> Coder | None:
    return session.scalars(select(Coder).where(Coder.name == name)).first()


def get_or_create_coder(session: Session, name: str) -> Coder:
    coder = coder_by_name(session, name)
    if coder is None:
        coder = Coder(name=name)
        session.add(coder)
        session.flush()
    return coder


def all_coders(session: Session) -> Sequence[Coder]:
    return session.scalars(select(Coder).order_by(Coder.name)).all()
