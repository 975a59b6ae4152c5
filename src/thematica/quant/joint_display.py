"""Joint display: themes × outcome groups — which participants voiced which theme, in which group.

Pure: the caller brings ``theme -> cases voicing it`` (from the coding) and ``case -> group`` (from
the trial). Groups keep the order improved / unchanged / worsened when those are the groups, else
alphabetical; each cell says "k of n", n being the group's size among the linked cases.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANGE_ORDER = {"improved": 0, "unchanged": 1, "worsened": 2}


@dataclass(frozen=True)
class JointCell:
    theme: str
    group: str
    cases: list[str]
    of: int


@dataclass(frozen=True)
class JointDisplay:
    groups: list[str]  # column order
    cells: list[JointCell]  # theme by theme, each in column order
    members: dict[str, list[str]]  # group -> its cases
    ungrouped: list[str]  # cases that voiced a theme but have no group (not linked, outcome missing)

    def row(self, theme: str) -> list[JointCell]:
        return [cell for cell in self.cells if cell.theme == theme]

    @property
    def themes(self) -> list[str]:
        return list(dict.fromkeys(cell.theme for cell in self.cells))


def joint_display(theme_cases: dict[str, list[str]], groups: dict[str, str]) -> JointDisplay:
    """``theme_cases``: theme -> cases voicing it; ``groups``: case -> outcome group."""
    names = sorted(set(groups.values()), key=lambda g: (CHANGE_ORDER.get(g, 3), g))
    members = {name: sorted(case for case, group in groups.items() if group == name) for name in names}
    cells = [JointCell(theme, name, sorted(c for c in cases if c in members[name]), len(members[name]))
             for theme, cases in theme_cases.items() for name in names]
    voiced = {case for cases in theme_cases.values() for case in cases}
    return JointDisplay(names, cells, members, sorted(voiced - set(groups)))
