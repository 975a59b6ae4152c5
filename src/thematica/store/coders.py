"""Coders (the people who code, and each meeting's consensus coding); created on first use.

Names are looked up by their key — NFC, trimmed, case-folded — so ``'Carla '`` finds ``carla``.
Which names are allowed is decided in ``coding.coder_names``; this module only stores them (the
stored spelling and the lookup key are ``store.coder_keys``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica.store.coder_keys import clean_name, name_key
from thematica.store.models import Coder


def coder_by_name(session: Session, name: str) -> Coder | None:
    return session.scalars(select(Coder).where(Coder.name_key == name_key(name))).first()


def coder_by_id(session: Session, coder_id: int) -> Coder | None:
    return session.get(Coder, coder_id)


def get_or_create_coder(session: Session, name: str) -> Coder:
    """The coder named ``name``, created on first use (a concurrent creation is tolerated)."""
    coder = coder_by_name(session, name)
    if coder is None:
        try:
            with session.begin_nested():
                coder = Coder(name=clean_name(name), name_key=name_key(name))
                session.add(coder)
        except IntegrityError:
            coder = coder_by_name(session, name)
            if coder is None:
                raise
    return coder


def all_coders(session: Session) -> Sequence[Coder]:
    return session.scalars(select(Coder).order_by(Coder.name)).all()


def coder_names(session: Session) -> dict[int, str]:
    return {coder.id: coder.name for coder in all_coders(session)}
