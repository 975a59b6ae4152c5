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
        raise not_answered(error) from None


def events_since(session: Session, event_id: int, limit: int = 500) -> list[tuple[int, str, str, str]] | None:
    """``(id, actor, action, detail JSON)`` of the audit events after ``event_id``, oldest first (one
    indexed read of the newest rows); None when there are more than ``limit`` (a bulk import: reload all).
    A busy or unreachable database is a ``ThematicaError``, as in ``last_event_id``."""
    try:
        rows = session.execute(select(AuditEvent.id, AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
                               .where(AuditEvent.id > event_id).order_by(AuditEvent.id).limit(limit + 1)).all()
    except OperationalError as error:
        raise not_answered(error) from None
    if len(rows) > limit:
        return None
    return [(int(i), str(actor), str(action), str(detail or "")) for i, actor, action, detail in rows]


def not_answered(error: OperationalError) -> ThematicaError:
    """A poller's one-line reason for a database that did not answer (its driver's first line)."""
    return ThematicaError(f"the database did not answer ({str(error.orig).splitlines()[0]})")
