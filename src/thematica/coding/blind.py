"""Blind mode: while coders code independently, each sees only their own segments and counts.

The rule lives here, in the query layer, so every front end (TUI, CLI, reports) obeys it. Blind
mode is on by default as soon as a project has two or more (human) coders; switching it off is
an explicit, logged action (e.g. for the consensus meeting).
"""

from __future__ import annotations

from thematica.store import audit, coders as coder_store, settings
from thematica.store.project import Project

SETTING = "blind_mode"
CONSENSUS_CODER = "consensus"


def blind_mode_setting(session) -> bool | None:
    """The explicit setting, or None while the project follows the default."""
    return settings.get_setting(session, SETTING)


def is_blind(session) -> bool:
    explicit = blind_mode_setting(session)
    if explicit is not None:
        return bool(explicit)
    human = [coder for coder in coder_store.all_coders(session) if coder.name != CONSENSUS_CODER]
    return len(human) >= 2


def visible_coder_ids(session, viewer_id: int) -> list[int] | None:
    """Coder ids whose segments ``viewer_id`` may see: only their own when blind, else all (None)."""
    return [viewer_id] if is_blind(session) else None


def set_blind_mode(project: Project, blind: bool, actor: str, reason: str = "") -> None:
    """Switch blind mode explicitly; the switch and its reason go to the audit log."""
    with project.transaction() as session:
        before = is_blind(session)
        settings.set_setting(session, SETTING, bool(blind))
        audit.record(session, actor, "blind_mode.set", "project", None, before=before, after=bool(blind), reason=reason)
