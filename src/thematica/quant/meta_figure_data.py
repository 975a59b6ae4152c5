"""What the meta-analysis figures are computed from (their drawing and wording: ``reports.figures``).

* ``cumulative``: the pooled estimate after each study in file order (metafor's ``cumul()``), with
  the same method (and Hartung–Knapp if asked).
* ``network_graph``: the network's shape — treatments, participants, studies per comparison,
  multi-arm studies — read from its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thematica.quant.meta.pooling import Pooled, pool
from thematica.quant.meta_analysis import MetaResult


def cumulative(result: MetaResult) -> list[tuple[str, Pooled]]:
    """The pooled estimate after adding each study in file order (the first alone, then two, ...)."""
    y = [e.estimate for e in result.effects.effects]
    v = [e.variance for e in result.effects.effects]
    return [(effect.study, pool(y[:n], v[:n], result.pooled.method, result.pooled.hartung_knapp))
            for n, effect in enumerate(result.effects.effects, start=1)]


@dataclass(frozen=True)
class NetworkGraph:
    """What the network plot draws: per treatment its participants (None for contrast-level data),
    per comparison the number of studies, and the arms of every multi-arm study."""

    treatments: tuple[str, ...]
    participants: dict[str, float] | None
    studies: dict[tuple[str, str], int]
    multi_arm: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, object]:
        return {"treatments": list(self.treatments), "participants": self.participants,
                "studies": [{"first": a, "second": b, "studies": n} for (a, b), n in self.studies.items()],
                "multi_arm": [list(arms) for arms in self.multi_arm]}


def network_graph(path: Path, measure: str) -> NetworkGraph:
    """The network's shape read from its file (arm- or contrast-level)."""
    from thematica.quant.meta.network import Arm
    from thematica.quant.meta_files import read_network

    data = read_network(path, measure)
    arms_of: dict[str, list[str]] = {}
    participants: dict[str, float] | None = {}
    for row in data:
        if isinstance(row, Arm):
            arms_of.setdefault(row.study, []).append(row.treatment)
            if participants is not None and row.n is not None:
                participants[row.treatment] = participants.get(row.treatment, 0.0) + row.n
        else:
            participants = None
            listed = arms_of.setdefault(row.study, [])
            listed += [t for t in (row.first, row.second) if t not in listed]
    studies: dict[tuple[str, str], int] = {}
    for arms in arms_of.values():
        unique = sorted(set(arms))
        for i, first in enumerate(unique):
            for second in unique[i + 1:]:
                studies[(first, second)] = studies.get((first, second), 0) + 1
    treatments = tuple(sorted({t for arms in arms_of.values() for t in arms}))
    multi = tuple(tuple(sorted(set(arms))) for arms in arms_of.values() if len(set(arms)) > 2)
    return NetworkGraph(treatments, participants or None, studies, multi)
