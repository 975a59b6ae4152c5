"""The CONSORT 2010 flow diagram from the trial analysis (``quant.stats.trial.consort_flow``), drawn by Graphviz.

Enrolment (assessed for eligibility and excluded, when the number screened is given — trial data
hold only the randomised), randomised, allocation per arm, follow-up per timepoint (assessed, and
not assessed with the reasons from the status columns, e.g. "status=gestopt"), and analysis
(complete cases at the last timepoint). Stage names run down the left as in the CONSORT template.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from thematica.errors import ThematicaError
from thematica.quant.stats.trial import Report
from thematica.reports.figures.render import FONT, graphviz_bytes
from thematica.reports.language import add_phrases, check_language, phrase

add_phrases({
    "consort.enrolment": {"en": "Enrolment", "nl": "Inclusie"},
    "consort.allocation": {"en": "Allocation", "nl": "Toewijzing"},
    "consort.follow_up": {"en": "Follow-up {at}", "nl": "Follow-up {at}"},
    "consort.analysis": {"en": "Analysis", "nl": "Analyse"},
    "consort.screened": {"en": "Assessed for eligibility (n = {n})", "nl": "Beoordeeld op geschiktheid (n = {n})"},
    "consort.excluded": {"en": "Excluded (n = {n})", "nl": "Geëxcludeerd (n = {n})"},
    "consort.randomised": {"en": "Randomised (n = {n})", "nl": "Gerandomiseerd (n = {n})"},
    "consort.allocated": {"en": "Allocated to {arm} (n = {n})", "nl": "Toegewezen aan {arm} (n = {n})"},
    "consort.baseline": {"en": "• assessed at baseline ({time}): {n}", "nl": "• gemeten bij de voormeting ({time}): {n}"},
    "consort.baseline_missing": {"en": "• not assessed at baseline: {n}", "nl": "• niet gemeten bij de voormeting: {n}"},
    "consort.assessed": {"en": "Assessed {at} (n = {n})", "nl": "Gemeten {at} (n = {n})"},
    "consort.not_assessed": {"en": "Not assessed {at}: {n}", "nl": "Niet gemeten {at}: {n}"},
    "consort.analysed": {"en": "Analysed (n = {n})", "nl": "Geanalyseerd (n = {n})"},
    "consort.complete": {"en": "complete cases at the last timepoint;", "nl": "volledige gegevens op het laatste meetmoment;"},
    "consort.mixed": {"en": "mixed model: every participant measured", "nl": "gemengd model: elke gemeten deelnemer"},
    "consort.status": {"en": "Participants by {column}:", "nl": "Deelnemers naar {column}:"},
    # a timepoint with its unit ("3 months", "na 3 maanden"), or without one as the data number it
    "consort.time": {"en": "{time} {unit}", "nl": "{time} {unit}"},
    "consort.at_time": {"en": "at {time} {unit}", "nl": "na {time} {unit}"},
    "consort.timepoint": {"en": "timepoint {time}", "nl": "meetmoment {time}"},
    "consort.at_timepoint": {"en": "at timepoint {time}", "nl": "op meetmoment {time}"},
    "consort.unit.days": {"en": "days", "nl": "dagen"}, "consort.unit.day": {"en": "day", "nl": "dag"},
    "consort.unit.weeks": {"en": "weeks", "nl": "weken"}, "consort.unit.week": {"en": "week", "nl": "week"},
    "consort.unit.months": {"en": "months", "nl": "maanden"}, "consort.unit.month": {"en": "month", "nl": "maand"},
    "consort.unit.years": {"en": "years", "nl": "jaar"}, "consort.unit.year": {"en": "year", "nl": "jaar"},
})

TIME_UNITS = ("days", "weeks", "months", "years")


def check_time_unit(unit: str | None) -> str | None:
    if unit is not None and unit not in TIME_UNITS:
        raise ThematicaError(f"--time-unit must be one of {', '.join(TIME_UNITS)}, not {unit!r}")
    return unit


def timepoint_words(time: str, unit: str | None, language: str) -> tuple[str, str]:
    """A timepoint as a noun ("3 months", "timepoint 3") and with its preposition ("at 3 months",
    "na 3 maanden", "op meetmoment 3"); the unit is singular for 1 ("1 month", "1 maand")."""
    if unit is None:
        return phrase("consort.timepoint", language, time=time), phrase("consort.at_timepoint", language, time=time)
    try:
        one = float(time) == 1
    except ValueError:
        one = False
    word = phrase(f"consort.unit.{unit.removesuffix('s') if one else unit}", language)
    return (phrase("consort.time", language, time=time, unit=word),
            phrase("consort.at_time", language, time=time, unit=word))


@dataclass(frozen=True)
class ArmFlow:
    arm: str
    allocated: int
    timepoints: list[tuple[str, int, int]]  # (time, assessed, not assessed)
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def analysed(self) -> int:
        return self.timepoints[-1][1] if self.timepoints else self.allocated


@dataclass(frozen=True)
class Flow:
    arms: list[ArmFlow]
    screened: int | None = None

    @property
    def randomised(self) -> int:
        return sum(arm.allocated for arm in self.arms)

    def to_dict(self) -> dict[str, object]:
        return {"screened": self.screened, "randomised": self.randomised,
                "arms": [{"arm": a.arm, "allocated": a.allocated, "analysed": a.analysed, "reasons": a.reasons,
                          "timepoints": [{"time": t, "assessed": n, "not_assessed": m} for t, n, m in a.timepoints]}
                         for a in self.arms]}


def flow_from_report(report: Report, screened: int | None = None) -> Flow:
    flow = [r for r in report.results if r.analysis == "flow"]
    arms = list(dict.fromkeys(r.group for r in flow if r.statistic == "randomised" and r.group is not None))
    if not arms:
        raise ThematicaError("no trial flow to draw: import trial data first ('thematica trial import')")
    result = []
    for arm in arms:
        mine = [r for r in flow if r.group == arm]
        allocated = int(next(r.value for r in mine if r.statistic == "randomised") or 0)
        times = list(dict.fromkeys(r.timepoint for r in mine if r.statistic == "assessed" and r.timepoint is not None))
        timepoints = [(time, int(next(r.value or 0 for r in mine if r.timepoint == time and r.statistic == "assessed")),
                       int(next(r.value or 0 for r in mine if r.timepoint == time and r.statistic == "not_assessed")))
                      for time in times]
        reasons = {r.outcome: int(r.value or 0) for r in mine if r.outcome != "participants" and r.statistic == "n"}
        result.append(ArmFlow(arm, allocated, timepoints, reasons))
    total = sum(a.allocated for a in result)
    if screened is not None and screened < total:
        raise ThematicaError(f"--screened {screened} is fewer than the {total} randomised")
    return Flow(result, screened)


def _box(lines: list[str], bold_first: bool = False) -> str:
    cells = []
    for index, line in enumerate(lines):
        text = html.escape(line)
        cells.append(f"<B>{text}</B>" if bold_first and index == 0 else text)
    return "<" + '<BR ALIGN="LEFT"/>'.join(cells) + '<BR ALIGN="LEFT"/>>'


def status_lines(reasons: dict[str, int], language: str) -> list[str]:
    """The participants' status, per status column: its name once in a heading, then "• value: n"."""
    by_column: dict[str, list[tuple[str, int]]] = {}
    for reason, count in reasons.items():
        column, _, value = reason.partition("=") if "=" in reason else ("status", "", reason)
        by_column.setdefault(column, []).append((value, count))
    lines = []
    for column, values in by_column.items():
        lines.append(phrase("consort.status", language, column=column))
        lines += [f"• {value}: {count}" for value, count in values]
    return lines


def flow_dot(flow: Flow, language: str = "en", time_unit: str | None = None) -> str:
    """DOT of the diagram: one column per arm under a shared randomisation box, worded in ``language``
    (the report's: nl or en), the timepoints in ``time_unit`` (days, weeks, months, years) when given."""
    check_language(language)
    check_time_unit(time_unit)

    def p(key: str, **values: object) -> str:
        return phrase(f"consort.{key}", language, **values)

    def when(time: str) -> tuple[str, str]:
        return timepoint_words(time, time_unit, language)

    lines = ["digraph consort {",
             f'  graph [rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.35, fontname="{FONT}", splines=ortho];',
             f'  node [shape=box, fontname="{FONT}", fontsize=10, margin="0.15,0.08", style=filled, fillcolor=white];',
             '  edge [arrowsize=0.7, color="#333333"];']
    stages = ([p("enrolment"), p("allocation")] + [p("follow_up", at=when(t)[1]) for t, _, _ in flow.arms[0].timepoints[1:]]
              + [p("analysis")])
    for index, stage in enumerate(stages):
        lines.append(f'  "stage{index}" [label="{html.escape(stage)}", shape=box, style="rounded,filled", '
                     'fillcolor="#DDEBF7", color="#0072B2", fontsize=10, width=1.3];')
    lines.append("  " + " -> ".join(f'"stage{i}"' for i in range(len(stages))) + " [style=invis];")
    enrol = []
    if flow.screened is not None:
        lines.append(f'  screened [label={_box([p("screened", n=flow.screened)])}];')
        lines.append(f'  excluded [label={_box([p("excluded", n=flow.screened - flow.randomised)])}];')
        lines.append("  screened -> excluded [constraint=false];")
        lines.append("  screened -> randomised;")
        enrol.append("screened")
    lines.append(f'  randomised [label={_box([p("randomised", n=flow.randomised)], True)}];')
    lines.append('  { rank=same; "stage0"; ' + " ".join(enrol or ["randomised"]) + " }")
    if flow.screened is not None:
        lines.append('  { rank=same; screened; excluded; }')
    for number, arm in enumerate(flow.arms):
        first_time = arm.timepoints[0] if arm.timepoints else None
        allocation = [p("allocated", arm=arm.arm, n=arm.allocated)]
        if first_time:
            allocation.append(p("baseline", time=when(first_time[0])[0], n=first_time[1]))
            allocation.append(p("baseline_missing", n=first_time[2]))
        lines.append(f'  "alloc{number}" [label={_box(allocation, True)}];')
        lines.append(f'  randomised -> "alloc{number}";')
        previous = f'"alloc{number}"'
        for step, (time, assessed, missing) in enumerate(arm.timepoints[1:], start=1):
            node = f'"follow{number}_{step}"'
            box = _box([p("assessed", at=when(time)[1], n=assessed), p("not_assessed", at=when(time)[1], n=missing)])
            lines.append(f"  {node} [label={box}];")
            lines.append(f"  {previous} -> {node};")
            previous = node
        analysis = [p("analysed", n=arm.analysed), p("complete"), p("mixed")]
        analysis += status_lines(arm.reasons, language)
        lines.append(f'  "analysis{number}" [label={_box(analysis, True)}];')
        lines.append(f'  {previous} -> "analysis{number}";')
    columns = len(stages)
    lines.append('  { rank=same; "stage1"; ' + " ".join(f'"alloc{i}"' for i in range(len(flow.arms))) + " }")
    for step in range(1, columns - 2):
        lines.append(f'  {{ rank=same; "stage{step + 1}"; ' +
                     " ".join(f'"follow{i}_{step}"' for i in range(len(flow.arms))) + " }")
    lines.append(f'  {{ rank=same; "stage{columns - 1}"; ' +
                 " ".join(f'"analysis{i}"' for i in range(len(flow.arms))) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def consort_diagram(flow: Flow, fmt: str, language: str = "en", time_unit: str | None = None) -> bytes:
    """The diagram as ``svg``, ``pdf`` or ``png``, its boxes worded in ``language`` (nl or en), the
    timepoints in ``time_unit`` when given (else "timepoint 3").

    The arrows are routed orthogonally (``splines=ortho``), as the CONSORT template draws them. Graphviz's
    orthogonal router fails on some box sizes (2.43: "maze.c: chkSgraph: Assertion" ...); the diagram is
    then drawn with straight polyline arrows instead of not at all."""
    source = flow_dot(flow, language, time_unit)
    try:
        return graphviz_bytes(source, fmt)
    except ThematicaError:
        return graphviz_bytes(source.replace("splines=ortho", "splines=polyline", 1), fmt)
