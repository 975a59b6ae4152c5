"""The CONSORT 2010 flow diagram from the trial analysis (``quant.stats.trial.consort_flow``), drawn by Graphviz.

Enrolment (assessed for eligibility and excluded, when the number screened is given — trial data
hold only the randomised), randomised, allocation per arm, follow-up per timepoint (assessed, and
not assessed with the reasons from the status columns, e.g. "status=gestopt"), and analysis
(complete cases at the last timepoint). Stage names run down the left as in the CONSORT template.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.quant.stats.trial import Report
from thematica.reports.figures.render import FONT, graphviz_bytes


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


def flow_dot(flow: Flow) -> str:
    """DOT of the diagram: one column per arm under a shared randomisation box."""
    lines = ["digraph consort {",
             f'  graph [rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.35, fontname="{FONT}", splines=ortho];',
             f'  node [shape=box, fontname="{FONT}", fontsize=10, margin="0.15,0.08", style=filled, fillcolor=white];',
             '  edge [arrowsize=0.7, color="#333333"];']
    stages = ["Enrolment", "Allocation"] + [f"Follow-up {t}" for t, _, _ in flow.arms[0].timepoints[1:]] + ["Analysis"]
    for index, stage in enumerate(stages):
        lines.append(f'  "stage{index}" [label="{html.escape(stage)}", shape=box, style="rounded,filled", '
                     'fillcolor="#DDEBF7", color="#0072B2", fontsize=10, width=1.3];')
    lines.append("  " + " -> ".join(f'"stage{i}"' for i in range(len(stages))) + " [style=invis];")
    enrol = []
    if flow.screened is not None:
        lines.append(f'  screened [label={_box([f"Assessed for eligibility (n = {flow.screened})"])}];')
        lines.append(f'  excluded [label={_box([f"Excluded (n = {flow.screened - flow.randomised})"])}];')
        lines.append("  screened -> excluded [constraint=false];")
        lines.append("  screened -> randomised;")
        enrol.append("screened")
    lines.append(f'  randomised [label={_box([f"Randomised (n = {flow.randomised})"], True)}];')
    lines.append('  { rank=same; "stage0"; ' + " ".join(enrol or ["randomised"]) + " }")
    if flow.screened is not None:
        lines.append('  { rank=same; screened; excluded; }')
    for number, arm in enumerate(flow.arms):
        first_time = arm.timepoints[0] if arm.timepoints else None
        allocation = [f"Allocated to {arm.arm} (n = {arm.allocated})"]
        if first_time:
            allocation.append(f"• assessed at baseline ({first_time[0]}): {first_time[1]}")
            allocation.append(f"• not assessed at baseline: {first_time[2]}")
        lines.append(f'  "alloc{number}" [label={_box(allocation, True)}];')
        lines.append(f'  randomised -> "alloc{number}";')
        previous = f'"alloc{number}"'
        for step, (time, assessed, missing) in enumerate(arm.timepoints[1:], start=1):
            node = f'"follow{number}_{step}"'
            lines.append(f"  {node} [label={_box([f'Assessed at {time} (n = {assessed})', f'Not assessed at {time}: {missing}'])}];")
            lines.append(f"  {previous} -> {node};")
            previous = node
        analysis = [f"Analysed (n = {arm.analysed})", "complete cases at the last timepoint;",
                    "mixed model: every participant measured"]
        if arm.reasons:
            analysis.append("Status of participants:")
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


def consort_diagram(flow: Flow, fmt: str) -> bytes:
    return graphviz_bytes(flow_dot(flow), fmt)


def add_to_docx(path: Path, png: bytes, caption: str = "Figure. CONSORT 2010 flow diagram") -> None:
    """Append the diagram (a 300-dpi PNG) to an existing DOCX, 16 cm wide, under a caption."""
    import docx
    from docx.shared import Cm

    from thematica.files import write_private

    document = docx.Document(str(path))
    document.add_heading(caption, level=2)
    document.add_picture(io.BytesIO(png), width=Cm(16))
    buffer = io.BytesIO()
    document.save(buffer)
    write_private(path, buffer.getvalue())
