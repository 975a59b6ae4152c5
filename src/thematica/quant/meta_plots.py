"""What the meta-analysis figures show, computed from the data (the drawing is ``reports.figures``).

* ``forest_rows``: the rows of a forest plot as metafor's ``forest()`` prints them — per study the
  arm data (events/total, or M (SD) n), the weight and the estimate with its 95% CI; per subgroup
  its own pooled diamond; the overall diamond with the prediction interval.
* ``cumulative``: the pooled estimate after each study in file order (metafor's ``cumul()``), with
  the same method (and Hartung–Knapp if asked).
* ``forest_text``: a forest plot in characters for the terminal.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from thematica.files import private_path
from thematica.maths.normal import Z95
from thematica.quant.meta.pooling import Pooled, pool
from thematica.quant.meta_analysis import MetaResult
from thematica.quant.meta_files import BINARY, CONTINUOUS, read_pairwise, read_rows

Z = Z95


@dataclass(frozen=True)
class ForestRow:
    """One row: ``kind`` is study, summary (a diamond), prediction, header or note; values on the
    analysis scale (log for ratios)."""

    kind: str
    label: str
    cells: tuple[str, ...] = ()
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    weight: float | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ForestData:
    measure: str
    natural: bool
    headers: tuple[str, ...]  # the arm columns' headers
    rows: list[ForestRow] = field(default_factory=list)
    title: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "natural": self.natural, "headers": list(self.headers),
                "rows": [r.to_dict() for r in self.rows], "title": self.title}


def _number(text: str) -> str:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return f"{value:g}"


def arm_cells(path: Path, measure: str, arms: tuple[str, str]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:  # noqa: E501
    """Column headers and, per study, the arm data as printed: ``events/total`` or ``M (SD) n``."""
    header, rows = read_rows(path)
    studies = [row.get("study") or f"study {n}" for n, row in enumerate(rows, start=1)]
    if all(c in header for c in BINARY) and measure in ("RR", "OR", "RD"):
        cells: dict[str, tuple[str, ...]] = {s: (f"{_number(r['events_t'])}/{_number(r['n_t'])}", f"{_number(r['events_c'])}/{_number(r['n_c'])}")
                 for s, r in zip(studies, rows)}
        return (f"{arms[0]}\nevents/total", f"{arms[1]}\nevents/total"), cells
    if all(c in header for c in CONTINUOUS) and measure in ("SMD", "MD"):
        cells = {s: (f"{_number(r['mean_t'])} ({_number(r['sd_t'])}) {_number(r['n_t'])}",
                     f"{_number(r['mean_c'])} ({_number(r['sd_c'])}) {_number(r['n_c'])}") for s, r in zip(studies, rows)}
        return (f"{arms[0]}\nM (SD) n", f"{arms[1]}\nM (SD) n"), cells
    return (), {}


def _p(p: float) -> str:
    if math.isnan(p):
        return "p = —"
    if p < 0.001:
        return "p < .001"  # APA, as reports.numbers.p_value (which this pure layer may not import)
    return "p > .999" if f"{p:.3f}" == "1.000" else f"p = {p:.3f}".replace("0.", ".", 1)


def heterogeneity(pooled: Pooled) -> str:
    return (f"Q = {pooled.q:.2f}, df = {pooled.q_df}, {_p(pooled.q_p)}; I² = {pooled.i2:.1f}%, "
            f"τ² = {pooled.tau2:.3f}")


def model_name(pooled: Pooled) -> str:
    name = "FE model" if pooled.method == "FE" else f"RE model ({pooled.method}{', HK' if pooled.hartung_knapp else ''})"
    return name


def forest_rows(result: MetaResult, path: Path, arms: tuple[str, str] = ("Treatment", "Control"),
                subgroup: str | None = None) -> ForestData:
    """The standard forest: studies (grouped by ``subgroup`` with a diamond each), overall diamond, PI."""
    headers, cells = arm_cells(path, result.measure, arms)
    weights = dict(zip((e.study for e in result.effects.effects), result.weights()))
    effects = {e.study: e for e in result.effects.effects}

    def study_row(name: str) -> ForestRow:
        effect = effects[name]
        return ForestRow("study", name, cells.get(name, ()), effect.estimate, effect.estimate - Z * effect.se,
                         effect.estimate + Z * effect.se, weights[name])

    def summary(label: str, pooled: Pooled) -> list[ForestRow]:
        rows = [ForestRow("summary", label, (), pooled.estimate, pooled.ci_low, pooled.ci_high)]
        if pooled.pi_low is not None and pooled.pi_high is not None:
            rows.append(ForestRow("prediction", "95% prediction interval", (), pooled.estimate, pooled.pi_low,
                                  pooled.pi_high))
        if pooled.k > 1:
            rows.append(ForestRow("note", "Heterogeneity: " + heterogeneity(pooled)))
        return rows

    rows: list[ForestRow] = []
    if subgroup and result.subgroups:
        membership = read_pairwise(path, result.measure, subgroup).subgroups
        for name, pooled in result.subgroups.items():
            rows.append(ForestRow("header", f"{subgroup}: {name or '(blank)'}"))
            rows += [study_row(e.study) for e in result.effects.effects if membership.get(e.study, "") == name]
            rows += summary(f"{model_name(pooled)} for {name or '(blank)'}", pooled)
            rows.append(ForestRow("gap", ""))
    else:
        rows += [study_row(e.study) for e in result.effects.effects]
    rows += summary(f"{model_name(result.pooled)}, all studies", result.pooled)
    if subgroup and result.subgroup_q:
        q, df, p = result.subgroup_q
        rows.append(ForestRow("note", f"Test for subgroup differences: Q = {q:.2f}, df = {df}, {_p(p)}"))
    return ForestData(result.measure, result.natural, headers, rows, f"{result.measure}, {model_name(result.pooled)}")


def leave_one_out_rows(result: MetaResult) -> ForestData:
    """One row per omitted study: the pooled estimate without it (metafor's ``leave1out``)."""
    rows = [ForestRow("point", f"omitting {study}", (), p.estimate, p.ci_low, p.ci_high,
                      detail=f"I² = {p.i2:.1f}%, τ² = {p.tau2:.3f}")
            for study, p in result.leave_one_out.items()]
    rows.append(ForestRow("summary", f"{model_name(result.pooled)}, all studies", (), result.pooled.estimate,
                          result.pooled.ci_low, result.pooled.ci_high, detail=f"I² = {result.pooled.i2:.1f}%, "
                          f"τ² = {result.pooled.tau2:.3f}"))
    return ForestData(result.measure, result.natural, (), rows, f"Leave-one-out, {result.measure}")


def cumulative(result: MetaResult) -> list[tuple[str, Pooled]]:
    """The pooled estimate after adding each study in file order (the first alone, then two, ...)."""
    y = [e.estimate for e in result.effects.effects]
    v = [e.variance for e in result.effects.effects]
    return [(effect.study, pool(y[:n], v[:n], result.pooled.method, result.pooled.hartung_knapp))
            for n, effect in enumerate(result.effects.effects, start=1)]


def cumulative_rows(result: MetaResult) -> ForestData:
    rows = [ForestRow("point", f"+ {study}", (), p.estimate, p.ci_low, p.ci_high,
                      detail=f"k = {p.k}" + (f", I² = {p.i2:.1f}%" if p.k > 1 else ""))
            for study, p in cumulative(result)]
    return ForestData(result.measure, result.natural, (), rows, f"Cumulative meta-analysis, {result.measure}")


def forest_text(result: MetaResult, width: int = 28) -> str:
    """A forest plot in characters: ■ estimate, ─ 95% CI, ◆ pooled, │ no effect."""
    rows = [(e.study, e.estimate - Z * e.se, e.estimate, e.estimate + Z * e.se) for e in result.effects.effects]
    pooled = result.pooled
    rows.append((f"{pooled.method} pooled", pooled.ci_low, pooled.estimate, pooled.ci_high))
    low = min(r[1] for r in rows + [("", 0, 0, 0)])
    high = max(r[3] for r in rows + [("", 0, 0, 0)])
    span = high - low or 1

    def column(value: float) -> int:
        return int(round((value - low) / span * (width - 1)))

    rows = [(name[:22], a, estimate, b) for name, a, estimate, b in rows]
    label_width = max(len(r[0]) for r in rows)
    lines = []
    for name, a, estimate, b in rows:
        marks = [" "] * width
        for position in range(column(a), column(b) + 1):
            marks[position] = "─"
        marks[column(0.0)] = "│" if marks[column(0.0)] == " " else "┼"
        marks[column(estimate)] = "◆" if name.endswith("pooled") else "■"
        lines.append(f"{name:<{label_width}}  {''.join(marks)}  {result.scale(estimate):.2f} "
                     f"[{result.scale(a):.2f}, {result.scale(b):.2f}]")
    return "\n".join(lines) + "\n"


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
