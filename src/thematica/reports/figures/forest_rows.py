"""The rows of the meta-analysis figures, worded (the drawing: ``reports.figures.forest``).

* ``forest_rows``: the rows of a forest plot as metafor's ``forest()`` prints them — per study the
  arm data (events/total, or M (SD) n), the weight and the estimate with its 95% CI; per subgroup
  its own pooled diamond; the overall diamond with the prediction interval.
* ``leave_one_out_rows``, ``cumulative_rows``: metafor's ``leave1out`` and ``cumul`` as rows.
* ``forest_text``: a forest plot in characters for the terminal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from thematica.maths.normal import Z95
from thematica.quant.meta.pooling import Pooled
from thematica.quant.meta_analysis import MetaResult
from thematica.quant.meta_figure_data import cumulative
from thematica.quant.meta_files import BINARY, CONTINUOUS, read_pairwise, read_rows
from thematica.reports.numbers import NO_BREAK_SPACE, number, p_value, shortest

Z = Z95
LABEL_WIDTH = 32  # a study label longer than this is cut with "…" in the terminal forest ("Comstock & Webster 1969" is 23)


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
    return shortest(value)


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
    """``p = .045``, ``p < .001``, ``p > .999`` (``reports.numbers.p_value``), ``p = —`` when undefined."""
    shown = p_value(p).replace(NO_BREAK_SPACE, " ")
    return f"p {shown}" if shown[0] in "<>" else f"p = {shown}"


def figure_interval(estimate: float | None, low: float | None, high: float | None) -> str:
    """"0.49 [0.34, 0.70]" in a figure or the terminal: the numbers as ``reports.numbers`` prints them (true
    minus, no "−0.00"), joined by plain spaces (a figure's text never breaks across lines)."""
    return f"{number(estimate)} [{number(low)}, {number(high)}]"


def _spread(pooled: Pooled) -> str:
    return f"I² = {number(pooled.i2, 1)}%, τ² = {number(pooled.tau2, 3)}"


def heterogeneity(pooled: Pooled) -> str:
    return f"Q = {number(pooled.q)}, df = {pooled.q_df}, {_p(pooled.q_p)}; {_spread(pooled)}"


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
        rows.append(ForestRow("note", f"Test for subgroup differences: Q = {number(q)}, df = {df}, {_p(p)}"))
    return ForestData(result.measure, result.natural, headers, rows, f"{result.measure}, {model_name(result.pooled)}")


def leave_one_out_rows(result: MetaResult) -> ForestData:
    """One row per omitted study: the pooled estimate without it (metafor's ``leave1out``)."""
    rows = [ForestRow("point", f"omitting {study}", (), p.estimate, p.ci_low, p.ci_high,
                      detail=_spread(p))
            for study, p in result.leave_one_out.items()]
    rows.append(ForestRow("summary", f"{model_name(result.pooled)}, all studies", (), result.pooled.estimate,
                          result.pooled.ci_low, result.pooled.ci_high, detail=_spread(result.pooled)))
    return ForestData(result.measure, result.natural, (), rows, f"Leave-one-out, {result.measure}")


def cumulative_rows(result: MetaResult) -> ForestData:
    rows = [ForestRow("point", f"+ {study}", (), p.estimate, p.ci_low, p.ci_high,
                      detail=f"k = {p.k}" + (f", I² = {number(p.i2, 1)}%" if p.k > 1 else ""))
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

    rows = [(name if len(name) <= LABEL_WIDTH else name[:LABEL_WIDTH - 1] + "…", a, estimate, b)
            for name, a, estimate, b in rows]
    label_width = max(len(r[0]) for r in rows)
    lines = []
    for name, a, estimate, b in rows:
        marks = [" "] * width
        for position in range(column(a), column(b) + 1):
            marks[position] = "─"
        marks[column(0.0)] = "│" if marks[column(0.0)] == " " else "┼"
        marks[column(estimate)] = "◆" if name.endswith("pooled") else "■"
        lines.append(f"{name:<{label_width}}  {''.join(marks)}  "
                     + figure_interval(result.scale(estimate), result.scale(a), result.scale(b)))
    return "\n".join(lines) + "\n"
