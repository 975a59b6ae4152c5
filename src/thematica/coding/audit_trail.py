"""The audit log as users read it: who changed what, and when."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from thematica.store import audit
from thematica.store.project import Project


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    detail: dict

    def to_dict(self) -> dict:
        return asdict(self)


def read_log(project: Project, *, actor: str | None = None, limit: int | None = None) -> list[LogEntry]:
    with project.reading() as session:
        return [
            LogEntry(event.id, event.at.isoformat(timespec="seconds"), event.actor, event.action, event.entity,
                     event.entity_id, json.loads(event.detail or "{}"))
            for event in audit.events(session, actor=actor, limit=limit)
        ]
