"""The project's own details that reports carry: its title, its lead (the document author) and the
language reports are written in (``nl`` or ``en``), set at ``init`` and changeable later."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from thematica.errors import ThematicaError
from thematica.store import coders as coder_store, consensus as consensus_store, settings
from thematica.store.project import Project

LANGUAGES = ("nl", "en")
KEYS = {"title": "project.title", "lead": "project.lead", "language": "project.language"}
CONSENSUS = "consensus"  # reserved coder names: "consensus" and each meeting's "consensus:A+B"
LEAD_CODER_SETTING = "lead_coder_id"  # coding.visibility.LEAD_SETTING (corpus sits below coding)


@dataclass(frozen=True)
class ProjectDetails:
    title: str
    lead: str
    language: str
    coders: tuple[str, ...] = ()

    @property
    def author(self) -> str:
        """The lead, or (none set) the coders who did the analysis."""
        return self.lead or ", ".join(self.coders)

    def to_dict(self) -> dict:
        return asdict(self)


def project_details(project: Project) -> ProjectDetails:
    with project.reading() as session:
        title = settings.get_setting(session, KEYS["title"], "") or ""
        lead = settings.get_setting(session, KEYS["lead"], "") or ""
        if not lead:  # the lead of blind mode (``thematica lead``) writes the reports too
            lead_id = settings.get_setting(session, LEAD_CODER_SETTING)
            chief = coder_store.coder_by_id(session, int(lead_id)) if lead_id is not None else None
            lead = chief.name if chief is not None else ""
        language = settings.get_setting(session, KEYS["language"], "en") or "en"
        consensus = consensus_store.consensus_coder_ids(session)
        coders = tuple(c.name for c in coder_store.all_coders(session)
                       if c.id not in consensus and not c.name.casefold().startswith(CONSENSUS))
    if not title and project.path is not None:
        title = project.path.stem
    return ProjectDetails(title, lead, language, coders)


def set_project_details(project: Project, title: str | None = None, lead: str | None = None,
                        language: str | None = None) -> ProjectDetails:
    if language is not None and language not in LANGUAGES:
        raise ThematicaError(f"the report language is nl or en, not {language!r}")
    with project.transaction() as session:
        for key, value in (("title", title), ("lead", lead), ("language", language)):
            if value is not None:
                settings.set_setting(session, KEYS[key], value.strip())
    return project_details(project)


def report_language(project: Project, chosen: str | None) -> str:
    """``--language`` if given, else the project's."""
    if chosen is not None:
        if chosen not in LANGUAGES:
            raise ThematicaError(f"--language must be nl or en, not {chosen!r}")
        return chosen
    return project_details(project).language
