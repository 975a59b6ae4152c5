"""Team mode on PostgreSQL as a service: set a project up for coders, add a coder, know who is connected.

``team init`` (run by the database owner) creates the schema, the project's group role and the
row-level-security policies of ``store.team``; ``team add-coder`` creates a login role named after
the coder (its name key) and makes it a member. A coder then connects as that role, and Thematica
takes the coder from ``current_user``: ``--coder`` may not name anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from thematica.coding.coders import checked_coder_name, coder_for
from thematica.coding.visibility import lead as lead_of, set_lead
from thematica.errors import ThematicaError
from thematica.store import coders as coder_store, settings, team as team_store
from thematica.store.project import Project, is_url, open_project

MAX_ROLE_BYTES = 63  # PostgreSQL's identifier length


@dataclass(frozen=True)
class TeamSetup:
    location: str
    group_role: str
    lead: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _require_postgres(project: Project) -> None:
    if project.engine.dialect.name != "postgresql":
        raise ThematicaError("team mode needs a PostgreSQL URL (postgresql+psycopg://owner@host/db)",
                             path=project.location)


def init_team(location: str, lead: str) -> TeamSetup:
    """Create (or bring up to date) the schema, the group role and the policies; set the lead."""
    lead = checked_coder_name(lead)
    if not is_url(location):
        raise ThematicaError("team mode needs a PostgreSQL URL (postgresql+psycopg://owner@host/db)", path=location)
    with open_project(location, create=True) as project:
        _require_postgres(project)
        if _lead_unset(project):
            set_lead(project, lead, lead)
        with project.transaction() as session:
            connection = session.connection()
            group = team_store.group_role_name(str(project.engine.url.database))
            team_store.install(connection, group)
            settings.set_setting(session, team_store.GROUP_SETTING, group)
        return TeamSetup(project.location, group, lead)


def _lead_unset(project: Project) -> bool:
    with project.reading() as session:
        return lead_of(session) is None


def add_team_coder(location: str, name: str, password: str) -> str:
    """A login role for coder ``name`` (its name key), member of the project's group role."""
    name = checked_coder_name(name)
    role = coder_store.name_key(name)
    if len(role.encode("utf-8")) > MAX_ROLE_BYTES:
        raise ThematicaError(f"coder name {name!r} is too long for a PostgreSQL role ({MAX_ROLE_BYTES} bytes)")
    if not password:
        raise ThematicaError(f"coder {name}: the password is empty")
    with open_project(location) as project:
        _require_postgres(project)
        with project.transaction() as session:
            group = settings.get_setting(session, team_store.GROUP_SETTING)
            if group is None:
                raise ThematicaError("not set up for a team yet: run 'thematica team init URL --lead NAME' first",
                                     path=project.location)
            coder = coder_for(session, name)
            team_store.add_login_role(session.connection(), role, password, group)
            return coder.name


def role_of(coder: str) -> str:
    """The login role of a coder: the coder's name key."""
    return coder_store.name_key(coder)


def connected_coder(project: Project) -> str | None:
    """The coder of the connected PostgreSQL role when it is a team coder's; None otherwise
    (SQLite, the owner, a superuser)."""
    if project.engine.dialect.name != "postgresql":
        return None
    with project.reading() as session:
        group = settings.get_setting(session, team_store.GROUP_SETTING)
        if group is None or not team_store.is_team_member(session.connection(), group):
            return None
        role = team_store.current_role(session.connection())
        coder = coder_store.coder_by_name(session, role)
        if coder is None:
            raise ThematicaError(f"role {role!r} is no coder of this project (thematica team add-coder)")
        return coder.name


def resolve_coder(project: Project, asked: str | None) -> str:
    """Who codes: the connected team coder (``asked`` may only name them), else ``asked``."""
    connected = connected_coder(project)
    if connected is not None:
        if asked is not None and coder_store.name_key(asked) != coder_store.name_key(connected):
            raise ThematicaError(f"connected as {connected}: --coder may not name {coder_store.clean_name(asked)!r}")
        return connected
    if asked is None:
        raise ThematicaError("say who codes with --coder NAME")
    return checked_coder_name(asked)


def acting_as(project: Project, asked: str) -> str:
    """``--as NAME`` on a team server may name only the connected coder; elsewhere it is taken as given
    (the service checks it)."""
    connected = connected_coder(project)
    if connected is not None and coder_store.name_key(asked) != coder_store.name_key(connected):
        raise ThematicaError(f"connected as {connected}: --as may not name {coder_store.clean_name(asked)!r}")
    return asked
