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
    "consort.follow_up": {"en": "Follow-up {time}", "nl": "Follow-up {time}"},
    "consort.analysis": {"en": "Analysis", "nl": "Analyse"},
    "consort.screened": {"en": "Assessed for eligibility (n = {n})", "nl": "Beoordeeld op geschiktheid (n = {n})"},
    "consort.excluded": {"en": "Excluded (n = {n})", "nl": "Geëxcludeerd (n = {n})"},
    "consort.randomised": {"en": "Randomised (n = {n})", "nl": "Gerandomiseerd (n = {n})"},
    "consort.allocated": {"en": "Allocated to {arm} (n = {n})", "nl": "Toegewezen aan {arm} (n = {n})"},
    "consort.baseline": {"en": "• assessed at baseline ({time}): {n}", "nl": "• gemeten bij de voormeting ({time}): {n}"},
    "consort.baseline_missing": {"en": "• not assessed at baseline: {n}", "nl": "• niet gemeten bij de voormeting: {n}"},
    "consort.assessed": {"en": "Assessed at {time} (n = {n})", "nl": "Gemeten op {time} (n = {n})"},
    "consort.not_assessed": {"en": "Not assessed at {time}: {n}", "nl": "Niet gemeten op {time}: {n}"},
    "consort.analysed": {"en": "Analysed (n = {n})", "nl": "Geanalyseerd (n = {n})"},
    "consort.complete": {"en": "complete cases at the last timepoint;", "nl": "volledige gegevens op het laatste meetmoment;"},
    "consort.mixed": {"en": "mixed model: every participant measured", "nl": "gemengd model: elke gemeten deelnemer"},
    "consort.status": {"en": "Status of participants:", "nl": "Status van de deelnemers:"},
})


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


def flow_dot(flow: Flow, language: str = "en") -> str:
    """DOT of the diagram: one column per arm under a shared randomisation box, worded in ``language``
    (the report's: nl or en)."""
    check_language(language)

    def p(key: str, **values: object) -> str:
        return phrase(f"consort.{key}", language, **values)

    lines = ["digraph consort {",
             f'  graph [rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.35, fontname="{FONT}", splines=ortho];',
             f'  node [shape=box, fontname="{FONT}", fontsize=10, margin="0.15,0.08", style=filled, fillcolor=white];',
             '  edge [arrowsize=0.7, color="#333333"];']
    stages = ([p("enrolment"), p("allocation")] + [p("follow_up", time=t) for t, _, _ in flow.arms[0].timepoints[1:]]
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
            allocation.append(p("baseline", time=first_time[0], n=first_time[1]))
            allocation.append(p("baseline_missing", n=first_time[2]))
        lines.append(f'  "alloc{number}" [label={_box(allocation, True)}];')
        lines.append(f'  randomised -> "alloc{number}";')
        previous = f'"alloc{number}"'
        for step, (time, assessed, missing) in enumerate(arm.timepoints[1:], start=1):
            node = f'"follow{number}_{step}"'
            box = _box([p("assessed", time=time, n=assessed), p("not_assessed", time=time, n=missing)])
            lines.append(f"  {node} [label={box}];")
            lines.append(f"  {previous} -> {node};")
            previous = node
        analysis = [p("analysed", n=arm.analysed), p("complete"), p("mixed")]
        if arm.reasons:
            analysis.append(p("status"))
            analysis += [f"• {reason.split('=', 1)[-1]} ({reason.split('=', 1)[0]}): {count}"
                         for reason, count in arm.reasons.items()]
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


def consort_diagram(flow: Flow, fmt: str, language: str = "en") -> bytes:
    """The diagram as ``svg``, ``pdf`` or ``png``, its boxes worded in ``language`` (nl or en)."""
    return graphviz_bytes(flow_dot(flow, language), fmt)
