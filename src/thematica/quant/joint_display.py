"""Joint display: themes × outcome groups — which participants voiced which theme, with their outcomes."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class JointCell:
    theme: str
    group: str
    cases: list[str]
    of: int

    def to_dict(self) -> dict:
        return {**asdict(self), "count": len(self.cases)}


def joint_display(theme_cases: dict[str, list[str]], groups: dict[str, str]) -> list[JointCell]:
    """``theme_cases``: theme -> cases voicing it; ``groups``: case -> outcome group."""
    order = {"improved": 0, "unchanged": 1, "worsened": 2}
    names = sorted(set(groups.values()), key=lambda g: (order.get(g, 3), g))
    cells = []
    for theme, cases in theme_cases.items():
        for group in names:
            members = [case for case, g in groups.items() if g == group]
            cells.append(JointCell(theme, group, sorted(c for c in cases if c in members), len(members)))
    return cells
