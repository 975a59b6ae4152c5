"""Forest, funnel and network plots (matplotlib, Agg), and a forest plot as terminal text."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from thematica.files import private_path
from thematica.maths.normal import Z95
from thematica.quant.meta_analysis import MetaResult
from thematica.quant.meta.network import NetworkResult


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def forest_plot(result: MetaResult, out: Path) -> None:
    plt = _pyplot()
    effects = result.effects.effects
    rows = len(effects) + 2
    figure, axes = plt.subplots(figsize=(9, 0.42 * rows + 1.6))
    z = Z95
    weights = result.weights()
    for position, (effect, weight) in enumerate(zip(effects, weights)):
        y = rows - position
        low, high = effect.estimate - z * effect.se, effect.estimate + z * effect.se
        axes.plot([result.scale(low), result.scale(high)], [y, y], color="black", lw=1)
        axes.plot(result.scale(effect.estimate), y, "s", color="#0072B2", markersize=3 + weight / 4)
        axes.text(-0.02, y, effect.study, transform=axes.get_yaxis_transform(), ha="right", va="center", fontsize=9)
        axes.text(1.02, y, f"{result.scale(effect.estimate):.2f} [{result.scale(low):.2f}, {result.scale(high):.2f}]"
                  f"  {weight:.1f}%", transform=axes.get_yaxis_transform(), ha="left", va="center", fontsize=8)
    pooled = result.pooled
    diamond_y = 1
    xs = [result.scale(pooled.ci_low), result.scale(pooled.estimate), result.scale(pooled.ci_high), result.scale(pooled.estimate)]
    axes.fill(xs, [diamond_y, diamond_y + 0.3, diamond_y, diamond_y - 0.3], color="#D55E00")
    label = f"{pooled.method} (I² = {pooled.i2:.0f}%, τ² = {pooled.tau2:.3f})"
    axes.text(-0.02, diamond_y, label, transform=axes.get_yaxis_transform(), ha="right", va="center", fontsize=9,
              fontweight="bold")
    axes.text(1.02, diamond_y, f"{result.scale(pooled.estimate):.2f} [{xs[0]:.2f}, {xs[2]:.2f}]",
              transform=axes.get_yaxis_transform(), ha="left", va="center", fontsize=8, fontweight="bold")
    if pooled.pi_low is not None:
        axes.plot([result.scale(pooled.pi_low), result.scale(pooled.pi_high)], [0.4, 0.4], color="#D55E00", lw=2)
        axes.text(-0.02, 0.4, "95% prediction interval", transform=axes.get_yaxis_transform(), ha="right",
                  va="center", fontsize=8)
    axes.axvline(1 if result.natural else 0, color="grey", lw=0.8, ls="--")
    if result.natural:
        axes.set_xscale("log")
    axes.set_yticks([])
    axes.set_ylim(0, rows + 1)
    axes.set_xlabel(result.measure + (" (log scale)" if result.natural else ""))
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.32, right=0.72)
    figure.savefig(str(private_path(out)), dpi=150, bbox_inches="tight")
    plt.close(figure)


def funnel_plot(result: MetaResult, out: Path) -> None:
    plt = _pyplot()
    effects = result.effects.effects
    figure, axes = plt.subplots(figsize=(6, 5))
    se = np.array([e.se for e in effects])
    estimates = np.array([e.estimate for e in effects])
    axes.scatter(estimates, se, color="#0072B2")
    limit = se.max() * 1.1 if len(se) else 1
    centre = result.pooled.estimate
    axes.plot([centre - Z95 * limit, centre, centre + Z95 * limit], [limit, 0, limit], color="grey", ls="--")
    axes.axvline(centre, color="#D55E00")
    axes.set_ylim(limit, 0)
    axes.set_xlabel(f"{'log ' if result.natural else ''}{result.measure}")
    axes.set_ylabel("standard error")
    figure.savefig(str(private_path(out)), dpi=150, bbox_inches="tight")
    plt.close(figure)


def network_plot(result: NetworkResult, out: Path) -> None:
    import networkx as nx

    plt = _pyplot()
    graph = nx.Graph()
    graph.add_nodes_from(result.treatments)
    for pair, count in result.comparisons.items():
        first, second = sorted(pair)
        graph.add_edge(first, second, weight=count)
    positions = nx.circular_layout(graph)
    figure, axes = plt.subplots(figsize=(7, 7))
    widths = [1 + 1.5 * graph[u][v]["weight"] for u, v in graph.edges]
    nx.draw_networkx_edges(graph, positions, width=widths, edge_color="#999999", ax=axes)
    nx.draw_networkx_nodes(graph, positions, node_color="#0072B2", node_size=900, ax=axes)
    for node, (x, y) in positions.items():
        axes.text(x * 1.18, y * 1.18, node, ha="center", va="center", fontsize=10)
    nx.draw_networkx_edge_labels(graph, positions, edge_labels={(u, v): graph[u][v]["weight"] for u, v in graph.edges},
                                 font_size=8, ax=axes)
    axes.set_axis_off()
    axes.set_title("Network of comparisons (edge width = number of direct comparisons)")
    figure.savefig(str(private_path(out)), dpi=150, bbox_inches="tight")
    plt.close(figure)


def forest_text(result: MetaResult, width: int = 28) -> str:
    """A forest plot in characters: ■ estimate, ─ 95% CI, ◆ pooled, │ no effect."""
    z = Z95
    rows = [(e.study, e.estimate - z * e.se, e.estimate, e.estimate + z * e.se) for e in result.effects.effects]
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
        cells = [" "] * width
        for position in range(column(a), column(b) + 1):
            cells[position] = "─"
        cells[column(0.0)] = "│" if cells[column(0.0)] == " " else "┼"
        cells[column(estimate)] = "◆" if name.endswith("pooled") else "■"
        lines.append(f"{name:<{label_width}}  {''.join(cells)}  {result.scale(estimate):.2f} "
                     f"[{result.scale(a):.2f}, {result.scale(b):.2f}]")
    return "\n".join(lines) + "\n"
