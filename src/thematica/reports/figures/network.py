"""Network meta-analysis figures: the network graph, the NMA forest and the rankogram.

Network graph (as netmeta's ``netgraph``): treatments on a circle, node area by participants, edge
width by the number of studies (the count printed on the edge), each multi-arm study shaded as a
polygon over its arms. Labels sit outside the circle beside their node; each edge count is placed
at the first point along its edge (from the middle outwards) where it covers no node, label or
other count — checked on the rendered extents, so crossings do not hide a count.

NMA forest: every treatment against the reference with its 95% CI and, when given, its
prediction interval. Rankogram: the probability of each rank per treatment, with the P-score (or
SUCRA) in the panel title. Both take the numbers as arguments.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np

from thematica.quant.meta_figure_data import NetworkGraph
from thematica.reports.figures.forest import RATIO_TICKS
from thematica.reports.figures.forest_rows import figure_interval
from thematica.reports.figures.render import figure_bytes, style
from thematica.reports.numbers import number

BLUE, ORANGE, GREY = "#1F4E79", "#C4450C", "#555555"


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float = 2.0) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > -pad and min(a[3], b[3]) - max(a[1], b[1]) > -pad


def network_plot(graph: NetworkGraph, fmt: str) -> bytes:
    with style() as plt:
        figure, axes = plt.subplots(figsize=(6.2, 5.6))
        axes.set_aspect("equal")
        axes.set_axis_off()
        count = len(graph.treatments)
        angles = {t: math.pi / 2 - 2 * math.pi * i / count for i, t in enumerate(graph.treatments)}
        position = {t: (math.cos(a), math.sin(a)) for t, a in angles.items()}
        for arms in graph.multi_arm:
            polygon = [position[t] for t in sorted(arms, key=lambda t: angles[t])]
            axes.fill([c[0] for c in polygon], [c[1] for c in polygon], color="#E69F00", alpha=0.18, lw=0, zorder=1)
        largest = max(graph.studies.values(), default=1)
        for (first, second), studies in graph.studies.items():
            (x1, y1), (x2, y2) = position[first], position[second]
            axes.plot([x1, x2], [y1, y2], color="#7F7F7F", lw=1 + 5 * studies / largest, zorder=2,
                      solid_capstyle="butt")
        biggest = max(graph.participants.values()) if graph.participants else 1.0
        sizes = {t: (120 + 900 * (graph.participants[t] / biggest) if graph.participants else 400.0)
                 for t in graph.treatments}
        for treatment in graph.treatments:
            axes.scatter(*position[treatment], s=sizes[treatment], color=BLUE, zorder=3, edgecolor="white", lw=1.2)
        axes.set_xlim(-1.9, 1.9)
        axes.set_ylim(-1.5, 1.5)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        taken: list[tuple[float, float, float, float]] = []
        for treatment in graph.treatments:  # the discs, as boxes in display space
            x, y = axes.transData.transform(position[treatment])
            radius = math.sqrt(sizes[treatment]) / 2 * figure.dpi / 72
            taken.append((x - radius, y - radius, x + radius, y + radius))
        for treatment in graph.treatments:
            x, y = position[treatment]
            angle = angles[treatment]
            radius_points = math.sqrt(sizes[treatment]) / 2 + 4
            label = "\n".join(textwrap.wrap(treatment, 18))
            participants = f"\n(n = {graph.participants[treatment]:g})" if graph.participants else ""
            text = axes.annotate(label + participants, xy=(x, y), xytext=(radius_points * math.cos(angle),
                                 radius_points * math.sin(angle)), textcoords="offset points", fontsize=8.5,
                                 ha="left" if math.cos(angle) > 0.2 else "right" if math.cos(angle) < -0.2 else "center",
                                 va="bottom" if math.sin(angle) > 0.2 else "top" if math.sin(angle) < -0.2 else "center",
                                 zorder=5)
            box = text.get_window_extent(renderer)
            taken.append((box.x0, box.y0, box.x1, box.y1))
        order = sorted(graph.studies.items(), key=lambda item: -item[1])  # the largest comparison first
        for (first, second), studies in order:
            (x1, y1), (x2, y2) = position[first], position[second]
            for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.35, 0.65, 0.2, 0.8):
                text = axes.text(x1 + t * (x2 - x1), y1 + t * (y2 - y1), str(studies), fontsize=8, ha="center",
                                 va="center", zorder=6, bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="#BBBBBB",
                                                                 lw=0.5))
                box = text.get_window_extent(renderer).expanded(1.25, 1.3)
                corners = (box.x0, box.y0, box.x1, box.y1)
                if not any(_overlap(corners, other) for other in taken) or t == 0.8:
                    taken.append(corners)
                    break
                text.remove()
        note = "node area: participants" if graph.participants else "node size equal (contrast-level data)"
        caption = f"edge width and number: studies; {note}" + ("; shaded: multi-arm studies" if graph.multi_arm else "")
        axes.set_title("Network of comparisons\n" + "\n".join(textwrap.wrap(caption, 60)), fontsize=9)
        return figure_bytes(figure, fmt)


def nma_forest(treatments: Sequence[str], estimates: Sequence[float], ci_low: Sequence[float],
               ci_high: Sequence[float], reference: str, measure: str, natural: bool, fmt: str,
               pi_low: Sequence[float] | None = None, pi_high: Sequence[float] | None = None,
               p_scores: Sequence[float] | None = None) -> bytes:
    """Each treatment against ``reference``: point and 95% CI, the prediction interval as a thinner
    orange line beneath; values on the analysis scale (log for ratios), labels on the natural scale."""
    n = len(treatments)
    scale = math.exp if natural else (lambda v: v)
    with style() as plt:
        height = 0.32 * (n + 2) + 0.8
        figure = plt.figure(figsize=(7.4, height))
        axes = figure.add_axes((0.30, 0.8 / height, 0.36, 1 - 1.25 / height))
        axes.set_ylim(n - 0.5, -0.7)
        values = [v for seq in (ci_low, ci_high, pi_low or [], pi_high or []) for v in seq if math.isfinite(v)] + [0.0]
        low, high = min(values), max(values)
        if natural:
            first = max([t for t in RATIO_TICKS if math.log(t) <= low] or [RATIO_TICKS[0]])
            last = min([t for t in RATIO_TICKS if math.log(t) >= high] or [RATIO_TICKS[-1]])
            ticks = [t for t in RATIO_TICKS if first <= t <= last]
            axes.set_xlim(math.log(first), math.log(last))
            axes.set_xticks([math.log(t) for t in ticks])
            axes.set_xticklabels([f"{t:g}" for t in ticks])
        else:
            pad = (high - low) * 0.08 or 0.5
            axes.set_xlim(low - pad, high + pad)
        axes.axvline(0.0, color=GREY, lw=0.8, ls=(0, (4, 3)))
        axes.set_yticks([])
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        transform = axes.get_yaxis_transform()
        axes.text(-0.05, -0.9, "Treatment", transform=transform, ha="right", fontweight="bold", fontsize=8.5)
        axes.text(1.05, -0.9, f"{measure} [95% CI]" + ("  [95% PI]" if pi_low is not None else ""),
                  transform=transform, ha="left", fontweight="bold", fontsize=8.5)
        if p_scores is not None:
            axes.text(1.98, -0.9, "P-score", transform=transform, ha="right", fontweight="bold", fontsize=8.5)
        for y, name in enumerate(treatments):
            axes.text(-0.05, y, textwrap.shorten(name, 34, placeholder="…"), transform=transform, ha="right",
                      va="center", fontsize=8.5)
            if name == reference:
                axes.text(1.05, y, "reference", transform=transform, ha="left", va="center", fontsize=8.5,
                          style="italic")
                continue
            if pi_low is not None and pi_high is not None:
                axes.plot([pi_low[y], pi_high[y]], [y + 0.18, y + 0.18], color=ORANGE, lw=1.2)
            axes.plot([ci_low[y], ci_high[y]], [y, y], color="black", lw=1.1)
            axes.plot(estimates[y], y, "s", color=BLUE, markersize=6)
            cell = figure_interval(scale(estimates[y]), scale(ci_low[y]), scale(ci_high[y]))
            if pi_low is not None and pi_high is not None:
                cell += f"  [{number(scale(pi_low[y]))}, {number(scale(pi_high[y]))}]"
            axes.text(1.05, y, cell, transform=transform, ha="left", va="center", fontsize=8.5)
            if p_scores is not None:
                axes.text(1.98, y, number(p_scores[y]), transform=transform, ha="right", va="center", fontsize=8.5)
        if p_scores is not None:
            index = list(treatments).index(reference)
            axes.text(1.98, index, number(p_scores[index]), transform=transform, ha="right", va="center",
                      fontsize=8.5)
        axes.set_xlabel(f"{measure} versus {reference}" + (" (log scale)" if natural else ""))
        if pi_low is not None:
            axes.plot([], [], color="black", lw=1.1, label="95% CI")
            axes.plot([], [], color=ORANGE, lw=1.2, label="95% prediction interval")
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, frameon=False, fontsize=8)
        return figure_bytes(figure, fmt)


def rankogram(treatments: Sequence[str], probabilities: np.ndarray, fmt: str,
              scores: Sequence[float] | None = None, score_name: str = "P-score") -> bytes:
    """``probabilities[i, r]`` = P(treatment i has rank r + 1); one panel of bars per treatment."""
    matrix = np.asarray(probabilities, dtype=float)
    if matrix.shape != (len(treatments), len(treatments)):
        raise ValueError("the rank-probability matrix must be treatments × ranks")
    n = len(treatments)
    columns = min(n, 3)
    rows = math.ceil(n / columns)
    order = np.argsort(-np.asarray(scores)) if scores is not None else np.arange(n)
    with style() as plt:
        figure, grid = plt.subplots(rows, columns, figsize=(2.3 * columns + 0.4, 1.9 * rows + 0.4), squeeze=False,
                                    sharey=True)
        for panel, index in zip(grid.flat, order):
            panel.bar(np.arange(1, n + 1), matrix[index], color=BLUE, width=0.7)
            title = "\n".join(textwrap.wrap(treatments[index], 24))
            if scores is not None:
                title += f"\n{score_name} {number(scores[index])}"
            panel.set_title(title, fontsize=8.5)
            panel.set_xticks(np.arange(1, n + 1))
            panel.set_ylim(0, 1)
            panel.spines[["top", "right"]].set_visible(False)
        for panel in grid.flat[n:]:
            panel.set_axis_off()
        for panel in grid[:, 0]:
            panel.set_ylabel("probability")
        for panel in grid.flat[:n]:
            panel.set_xlabel("rank (1 = best)", fontsize=8)
        figure.suptitle("Rankogram: probability of each rank", fontsize=10)
        figure.tight_layout()
        return figure_bytes(figure, fmt)
