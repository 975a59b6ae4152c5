"""What the theme board shows a coder: themes with their codes, counts, cases and quotes.

Which coding the board counts follows the visibility rule (``coding.visibility``), so it lives
here, not in the widget. While blind: the consensus coding of the viewer's own meeting when it
holds segments, otherwise only the viewer's own segments (building themes must not reveal another
coder's codes, nor another pair's consensus). Not blind: the consensus coding when there is one,
otherwise every coder's.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.coding import visibility
from thematica.store import coders as coder_store
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import CodedMaterial, CodedSegment, consensus_codings, load_material
from thematica.store.project import Project

QUOTES_PER_THEME = 12


@dataclass(frozen=True)
class BoardTheme:
    name: str
    parent: str | None
    status: str
    definition: str
    codes: list[tuple[str, int]]  # (code path, segments in this coding)
    segments: int
    cases: list[str]
    of_cases: int
    quotes: list[tuple[CodedSegment, bool]]  # (segment, marked as exemplar), exemplars first
    links: list[str]  # "→ Other (label)" and "← Other (label)"


@dataclass(frozen=True)
class Board:
    coding: str
    themes: list[BoardTheme]
    unassigned: list[tuple[str, int]]  # codes in no theme, with their counts
    notes: list[str]


def board_material(project: Project, viewer: str) -> CodedMaterial:
    with project.reading() as session:
        blind = visibility.is_blind(session)
        visible = visibility.visible_to(session, viewer)
        consensus = consensus_codings(session, visible)
        coder = coder_store.coder_by_name(session, viewer)
        own = frozenset() if coder is None else frozenset({coder.id})
    if not blind:
        return load_material(project)
    if consensus:
        return load_material(project, coder_ids=frozenset(consensus))
    material = load_material(project, coder_ids=own, label=viewer)
    material.notes = [f"blind mode: counts and quotes use {viewer}'s own coding until there is a consensus"]
    return material


def build_board(project: Project, viewer: str) -> Board:
    material = board_material(project, viewer)
    counts: dict[str, int] = {}
    for segment in material.segments:
        counts[segment.code] = counts.get(segment.code, 0) + 1
    prevalence = {p.name: p for p in theme_prevalence(material)}
    assigned: set[str] = set()
    themes = []
    for theme in material.themes:
        codes = material.theme_codes(theme, with_subthemes=False)
        assigned |= codes
        marked = set(material.exemplars.get(theme.name, []))
        mine = [s for s in material.segments if s.code in material.theme_codes(theme)]
        mine.sort(key=lambda s: (s.id not in marked, s.document, s.start))
        themes.append(BoardTheme(theme.name, theme.parent, theme.status, theme.definition,
                                 [(path, counts.get(path, 0)) for path in sorted(codes)],
                                 prevalence[theme.name].segments, prevalence[theme.name].cases,
                                 prevalence[theme.name].of_cases,
                                 [(s, s.id in marked) for s in mine[:QUOTES_PER_THEME]],
                                 [f"→ {target} ({label})" for source, target, label in material.links
                                  if source == theme.name] +
                                 [f"← {source} ({label})" for source, target, label in material.links
                                  if target == theme.name]))
    leaves = [code.path for code in material.codes
              if not any(other.path.startswith(code.path + "/") for other in material.codes)]
    unassigned = [(path, counts.get(path, 0)) for path in leaves if path not in assigned]
    return Board(material.coding, themes, unassigned, material.notes)
