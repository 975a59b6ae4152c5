"""Themes as entities (Braun & Clarke phases 3–5): create, group codes, subthemes, link, merge, remove.

A theme has a name, a definition, the story it tells and a status (candidate / reviewed / final);
it groups codes (a code may belong to several themes) and may be a subtheme of another. Links
between themes carry a label ("precondition for", "tension with"). Every action is one audited
transaction.
"""

from __future__ import annotations

from thematica.coding.codebook import require_code
from thematica.errors import ThematicaError
from thematica.names import clean_name
from thematica.store import audit, themes as theme_store
from thematica.store.models import THEME_STATUSES, Theme
from thematica.store.project import Project
from thematica.vocabulary import ThemeStatus, choices


def _theme(session, name: str) -> Theme:
    theme = theme_store.theme_by_name(session, name)
    if theme is None:
        raise ThematicaError(f"no theme {name!r}")
    return theme


def add_theme(project: Project, name: str, actor: str, *, parent: str | None = None, codes: list[str] | None = None,
              definition: str = "", story: str = "", status: str = ThemeStatus.CANDIDATE) -> None:
    if not name.strip():
        raise ThematicaError("a theme needs a name")
    name = clean_name(name, "theme")
    if status not in THEME_STATUSES:
        raise ThematicaError(f"status must be {choices(ThemeStatus)}")
    with project.transaction() as session:
        if theme_store.theme_by_name(session, name) is not None:
            raise ThematicaError(f"theme {name!r} exists already")
        parent_id = _theme(session, parent).id if parent else None
        theme = Theme(name=name, parent_id=parent_id, definition=definition, story=story, status=status,
                      position=theme_store.next_theme_position(session))
        session.add(theme)
        session.flush()
        for path in codes or []:
            theme_store.add_membership(session, theme.id, require_code(session, path).id)
        audit.record(session, actor, "theme.add", "theme", theme.id, name=name, parent=parent, codes=codes or [])


def update_theme(project: Project, name: str, actor: str, **fields: str) -> None:
    allowed = {"definition", "story", "status", "name"}
    if set(fields) - allowed:
        raise ThematicaError(f"cannot set {', '.join(sorted(set(fields) - allowed))} of a theme")
    if "status" in fields and fields["status"] not in THEME_STATUSES:
        raise ThematicaError(f"status must be {choices(ThemeStatus)}")
    if "name" in fields:
        fields = {**fields, "name": clean_name(fields["name"], "theme")}
    with project.transaction() as session:
        theme = _theme(session, name)
        audit.record(session, actor, "theme.update", "theme", theme.id,
                     before={k: getattr(theme, k) for k in fields}, after=fields)
        for key, value in fields.items():
            setattr(theme, key, value)


def assign_codes(project: Project, theme: str, codes: list[str], actor: str, *, remove: bool = False) -> int:
    """Move codes into (or with ``remove``, out of) a theme; returns how many memberships changed."""
    with project.transaction() as session:
        row = _theme(session, theme)
        changed = 0
        for path in codes:
            code = require_code(session, path)
            changed += (theme_store.remove_membership if remove else theme_store.add_membership)(session, row.id, code.id)
        audit.record(session, actor, "theme.codes.remove" if remove else "theme.codes.add", "theme", row.id,
                     codes=codes)
        return changed


def move_theme(project: Project, name: str, parent: str | None, actor: str) -> None:
    """Make a theme a subtheme of ``parent`` (or a main theme when None)."""
    with project.transaction() as session:
        theme = _theme(session, name)
        parent_id = None
        if parent:
            parent_row = _theme(session, parent)
            ancestor: Theme | None = parent_row
            while ancestor is not None:
                if ancestor.id == theme.id:
                    raise ThematicaError("a theme cannot become a subtheme of itself or of its own subtheme")
                ancestor = session.get(Theme, ancestor.parent_id) if ancestor.parent_id else None
            parent_id = parent_row.id
        audit.record(session, actor, "theme.move", "theme", theme.id, before=theme.parent_id, after=parent_id)
        theme.parent_id = parent_id


def merge_themes(project: Project, source: str, target: str, actor: str) -> None:
    """Merge ``source`` into ``target``: codes, subthemes, links and exemplars move; ``source`` goes."""
    if source == target:
        raise ThematicaError("cannot merge a theme into itself")
    with project.transaction() as session:
        from_row, to_row = _theme(session, source), _theme(session, target)
        for code_id in theme_store.memberships(session).get(from_row.id, []):
            theme_store.add_membership(session, to_row.id, code_id)
        theme_store.delete_memberships(session, from_row.id)
        theme_store.reparent_children(session, from_row.id, to_row.id)
        theme_store.move_links(session, from_row.id, to_row.id)
        theme_store.move_exemplars(session, from_row.id, to_row.id)
        audit.record(session, actor, "theme.merge", "theme", to_row.id, source=source)
        session.flush()
        session.delete(from_row)


def split_theme(project: Project, source: str, new_name: str, codes: list[str], actor: str) -> None:
    """Split codes off ``source`` into a new theme with the same parent."""
    with project.transaction() as session:
        parent = _theme(session, source).parent_id
    parent_name = None
    if parent is not None:
        with project.reading() as session:
            parent_theme = session.get(Theme, parent)
            parent_name = parent_theme.name if parent_theme is not None else None
    add_theme(project, new_name, actor, parent=parent_name, codes=codes)
    assign_codes(project, source, codes, actor, remove=True)


def remove_theme(project: Project, name: str, actor: str) -> None:
    with project.transaction() as session:
        theme = _theme(session, name)
        theme_store.reparent_children(session, theme.id, theme.parent_id)
        theme_store.delete_memberships(session, theme.id)
        audit.record(session, actor, "theme.remove", "theme", theme.id, name=name)
        session.delete(theme)


def link_themes(project: Project, source: str, target: str, label: str, actor: str) -> None:
    with project.transaction() as session:
        from_row, to_row = _theme(session, source), _theme(session, target)
        if from_row.id == to_row.id:
            raise ThematicaError("a theme cannot be linked to itself")
        link = theme_store.add_link(session, from_row.id, to_row.id, label)
        session.flush()
        audit.record(session, actor, "theme.link", "theme_link", link.id, source=source, target=target, label=label)


def toggle_exemplar(project: Project, segment_id: int, theme: str | None, actor: str) -> bool:
    """Mark the segment as an exemplar of ``theme``, or unmark it if it was one; True when marked."""
    with project.transaction() as session:
        theme_id = _theme(session, theme).id if theme else None
        found = theme_store.find_exemplar(session, segment_id, theme_id)
        if found is not None:
            session.delete(found)
            audit.record(session, actor, "exemplar.unmark", "segment", segment_id, theme=theme)
            return False
        theme_store.add_exemplar(session, segment_id, theme_id)
        audit.record(session, actor, "exemplar.mark", "segment", segment_id, theme=theme)
        return True
