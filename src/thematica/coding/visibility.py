"""Who sees whose codings: one rule per viewer, used by every read path.

Viewer V sees coder C's codings when

* V is C; or
* V and C both take part in a consensus meeting (C being the other coder or the meeting's own
  consensus coding ``consensus:A+B``); or
* the project is not blind: the lead switched blind mode off (``thematica blind P off --as LEAD``,
  logged), or it never had two coders.

Blind mode is on by default as soon as a project has two human coders. Opening a meeting for anouk
and bas reveals nothing to carla. On SQLite this is a working rule of the team (the file holds
everything); on PostgreSQL team mode the same rule is enforced by row-level security.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thematica.coding import visibility_rule as rule
from thematica.coding.visibility_rule import BLIND_SETTING
from thematica.coding.coders import checked_coder_name, coder_for
from thematica.errors import ThematicaError
from thematica.store import audit, coders as coder_store, consensus as consensus_store, settings
from thematica.store.models import Coder
from thematica.store.project import Project

LEAD_SETTING = "lead_coder_id"


def blind_mode_setting(session) -> bool | None:
    """The explicit setting, or None while the project follows the default."""
    return settings.get_setting(session, BLIND_SETTING)


def human_coders(session) -> list[Coder]:
    """The human coders, by name (``visibility_rule.human_ids``)."""
    coders = coder_store.all_coders(session)
    humans = set(rule.human_ids([(c.id, c.name) for c in coders], consensus_store.consensus_coder_ids(session)))
    return [c for c in coders if c.id in humans]


def is_blind(session) -> bool:
    explicit = blind_mode_setting(session)
    if explicit is not None:  # the coders are read only when the default decides
        return bool(explicit)
    consensus = consensus_store.consensus_coder_ids(session)
    return rule.is_blind(None, [(coder.id, coder.name) for coder in coder_store.all_coders(session)], consensus)


def lead(session) -> Coder | None:
    lead_id = settings.get_setting(session, LEAD_SETTING)
    return None if lead_id is None else coder_store.coder_by_id(session, int(lead_id))


def visible_coder_ids(session, viewer_id: int) -> frozenset[int]:
    """The coder ids whose segments, memos and counts ``viewer_id`` may see (the rule above)."""
    if not is_blind(session):
        return rule.visible_ids(viewer_id, blind=False, coder_ids=[c.id for c in coder_store.all_coders(session)],
                                meetings=[])
    meetings = [(m.coder_a_id, m.coder_b_id, m.consensus_coder_id) for m in consensus_store.all_meetings(session)]
    return rule.visible_ids(viewer_id, blind=True, coder_ids=[], meetings=meetings)


def visible_to(session, viewer: str) -> frozenset[int]:
    """``visible_coder_ids`` for a viewer given by name (a new name sees only itself)."""
    coder = coder_store.coder_by_name(session, viewer)
    return visible_coder_ids(session, coder.id) if coder is not None else frozenset()


@dataclass(frozen=True)
class VisibilityReport:
    """Who sees whom, for ``thematica blind P``."""

    blind: bool
    lead: str | None
    visibility: dict[str, list[str]]
    meetings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"blind": self.blind, "lead": self.lead, "visibility": self.visibility, "meetings": self.meetings}


def visibility_report(project: Project) -> VisibilityReport:
    with project.reading() as session:
        names = coder_store.coder_names(session)
        visibility = {coder.name: sorted(names[i] for i in visible_coder_ids(session, coder.id))
                      for coder in human_coders(session)}
        meetings = [names[m.consensus_coder_id] for m in consensus_store.all_meetings(session)]
        chief = lead(session)
        return VisibilityReport(is_blind(session), chief.name if chief else None, visibility, meetings)


def require_lead(session, actor: str, action: str) -> Coder:
    """The acting coder, who must be the project's lead."""
    chief = lead(session)
    if chief is None:
        raise ThematicaError(f"the project has no lead, so nobody may {action}; "
                             "set one with 'thematica lead PROJECT NAME --as NAME'")
    acting = coder_store.coder_by_name(session, checked_coder_name(actor))
    if acting is None or acting.id != chief.id:
        raise ThematicaError(f"{coder_store.clean_name(actor)!r} is not the project lead ({chief.name}); "
                             f"only the lead may {action}")
    return acting


def set_blind_mode(project: Project, blind: bool, actor: str, reason: str = "") -> None:
    """Blind mode on (anyone may restore it) or off (only the lead); the switch goes to the audit log."""
    with project.transaction() as session:
        if blind:
            acting = coder_for(session, actor)
        else:
            acting = require_lead(session, actor, "switch blind mode off")
        before = is_blind(session)
        settings.set_setting(session, BLIND_SETTING, bool(blind))
        audit.record(session, acting.name, "blind_mode.set", "project", None, before=before, after=bool(blind),
                     reason=reason)


def set_lead(project: Project, name: str, actor: str) -> str:
    """Make ``name`` the lead; once there is a lead only the lead may hand the role on (logged)."""
    with project.transaction() as session:
        chief = lead(session)
        if chief is None:
            acting = coder_for(session, actor)
        else:
            acting = require_lead(session, actor, "change the lead")
        new = coder_for(session, name)
        settings.set_setting(session, LEAD_SETTING, new.id)
        audit.record(session, acting.name, "project.lead", "coder", new.id, before=chief.name if chief else None,
                     after=new.name)
        return new.name
