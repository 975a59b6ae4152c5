"""Coders (the people who code); created on first use."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica.store.models import Coder


def coder_by_name(session: Session, name: str) -> Coder | None:
    return session.scalars(select(Coder).where(Coder.name == name)).first()


def get_or_create_coder(session: Session, name: str) -> Coder:
    """The coder named ``name``, created on first use (a concurrent creation is tolerated)."""
    coder = coder_by_name(session, name)
    if coder is None:
        try:
            with session.begin_nested():
                coder = Coder(name=name)
                session.add(coder)
        except IntegrityError:
            coder = coder_by_name(session, name)
            if coder is None:
                raise
    return coder


def all_coders(session: Session) -> Sequence[Coder]:
    return session.scalars(select(Coder).order_by(Coder.name)).all()
