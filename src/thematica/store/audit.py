"""The append-only audit trail: every change a user makes, who made it and when."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from thematica.errors import ThematicaError
from thematica.store.models import AuditEvent


def record(
    session: Session, actor: str, action: str, entity: str = "", entity_id: int | None = None, **detail: Any
) -> AuditEvent:
    """Append one event in the caller's transaction, so the change and its record commit together."""
    event = AuditEvent(
        actor=actor, action=action, entity=entity, entity_id=entity_id,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(event)
    return event


def events(session: Session, *, actor: str | None = None, limit: int | None = None) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if limit is not None:
        query = query.limit(limit)
    return session.scalars(query).all()


def last_event_id(session: Session) -> int:
    """The newest audit event's id: every change writes one, so a new value means 'something changed'.

    A database that is busy or briefly unreachable is reported as a ``ThematicaError`` (pollers
    try again later), not as a driver exception the layers above could not name."""
    try:
        return session.execute(select(func.max(AuditEvent.id))).scalar() or 0
    except OperationalError as error:
        raise ThematicaError(f"the database did not answer ({str(error.orig).splitlines()[0]})") from None
