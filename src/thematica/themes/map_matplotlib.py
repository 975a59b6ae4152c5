"""The earlier matplotlib drawing of the thematic map (a radial tree with labels pushed apart).

Kept only for ``reports.analysis_report``, which embeds it until it embeds the Graphviz map of
``reports.figures.thematic_map``; the CLI's ``map`` command and every new caller use the latter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from thematica.files import private_path, write_private
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import CodedMaterial


@dataclass
class MapModel:
    graph: nx.DiGraph
    positions: dict[str, tuple[float, float]]


def build_graph(material: CodedMaterial, with_codes: bool = True) -> nx.DiGraph:
    graph = nx.DiGraph()
    prevalence = {p.name: p for p in theme_prevalence(material)}
    for theme in material.themes:
        p = prevalence[theme.name]
        graph.add_node(f"theme:{theme.name}", label=theme.name, kind="subtheme" if theme.parent else "theme",
                       cases=len(p.cases), of=p.of_cases, segments=p.segments)
    for theme in material.themes:
        if theme.parent:
            graph.add_edge(f"theme:{theme.parent}", f"theme:{theme.name}", kind="contains")
        if with_codes:
            for code in theme.codes:
                node = f"code:{code}"
                graph.add_node(node, label=code.rsplit("/", 1)[-1], kind="code")
                graph.add_edge(f"theme:{theme.name}", node, kind="groups")
    for source, target, label in material.links:
        graph.add_edge(f"theme:{source}", f"theme:{target}", kind="link", label=label)
    return graph


def layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Main themes evenly on a circle; each one's subthemes and codes on an arc further out."""
    tree = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True) if d["kind"] != "link")
    tree.add_nodes_from(graph.nodes)
    roots = [n for n in graph.nodes if graph.nodes[n]["kind"] == "theme"] or list(graph.nodes)
    positions: dict[str, tuple[float, float]] = {}
    sector = 2 * math.pi / max(1, len(roots))
    radius = 3.0 + 0.35 * len(roots)
    for index, root in enumerate(roots):
        angle = index * sector
        positions[root] = (radius * math.cos(angle), radius * math.sin(angle))
        _fan(tree, root, angle, sector * 0.9, radius, positions)
    for node in graph.nodes:  # anything not reached (e.g. a link-only theme)
        positions.setdefault(node, (0.0, 0.0))
    return positions


def _fan(tree: nx.DiGraph, node: str, angle: float, width: float, radius: float, positions: dict) -> None:
    children = sorted(tree.successors(node), key=lambda n: (tree.nodes[n].get("kind") != "subtheme", n))
    if not children:
        return
    step = width / len(children)
    for index, child in enumerate(children):
        child_angle = angle - width / 2 + step * (index + 0.5)
        child_radius = radius + 2.2 + 0.6 * (index % 2)
        positions[child] = (child_radius * math.cos(child_angle), child_radius * math.sin(child_angle))
        _fan(tree, child, child_angle, step, child_radius, positions)


def draw_matplotlib(material: CodedMaterial, out: Path | None, print_width_cm: float | None = None,
                    smallest_font: float = 9.0, print_height_cm: float | None = None, of: str = "of"):
    """Draw the map; labels are pushed apart until none overlap, then edges are drawn to them.

    With ``print_width_cm`` the figure is drawn at that width (a report's column), every label at
    least ``smallest_font`` points, so the printed labels are legible (≥ 9 pt). ``of`` is the prevalence
    word of the report's language ("5 of 6", "5 van 6")."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graph = build_graph(material)
    positions = layout(graph)
    count = graph.number_of_nodes()
    size = (14 + count / 12, 11 + count / 14)
    floor = 0.0
    if print_width_cm is not None:
        width = print_width_cm / 2.54
        size, floor = (width, (print_height_cm or print_width_cm) / 2.54), smallest_font
    figure, axes = plt.subplots(figsize=size)
    axes.set_axis_off()
    colours = {"theme": "#0072B2", "subtheme": "#56B4E9", "code": "#BBBBBB"}
    texts = {}
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        if data["kind"] == "code":
            texts[node] = axes.text(x, y, data["label"], fontsize=max(7, floor), ha="center", va="center", zorder=3,
                                    bbox=dict(boxstyle="round,pad=0.25", fc="#F2F2F2", ec=colours["code"]))
        else:
            share = data["cases"] / max(1, data["of"])
            points = floor + 1 + 2 * share if floor else 9 + 4 * share
            texts[node] = axes.text(x, y, f"{data['label']}\n{data['cases']} {of} {data['of']}", fontsize=points,
                                    ha="center", va="center", zorder=4, color="white", fontweight="bold",
                                    bbox=dict(boxstyle="round,pad=0.5", fc=colours[data["kind"]], ec="none"))
    xs = [p[0] for p in positions.values()] or [0]
    ys = [p[1] for p in positions.values()] or [0]
    axes.set_xlim(min(xs) - 3, max(xs) + 3)
    axes.set_ylim(min(ys) - 2, max(ys) + 2)
    separate_labels(figure, axes, list(texts.values()))
    final = {node: text.get_position() for node, text in texts.items()}
    for u, v, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = final[u], final[v]
        if data["kind"] == "link":
            axes.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops=dict(  # clipped at the boxes' edges,
                arrowstyle="-|>,head_length=0.8,head_width=0.4", color="#D55E00", lw=1.6,  # so the head shows
                connectionstyle="arc3,rad=0.25", patchA=texts[u].get_bbox_patch(), patchB=texts[v].get_bbox_patch(),
                shrinkA=2, shrinkB=2), zorder=5)
            axes.text((x1 + x2) / 2, (y1 + y2) / 2, data.get("label", ""), fontsize=max(8, floor), color="#D55E00",
                      ha="center", va="center", zorder=5, bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none"))
        else:
            axes.plot([x1, x2], [y1, y2], color="#999999", lw=0.8 if data["kind"] == "groups" else 1.6, zorder=1)
    axes.set_title(f"Thematic map ({material.coding})", fontsize=max(11, floor + 2) if floor else 14)
    if out is not None:
        figure.savefig(str(private_path(out)), dpi=150, bbox_inches="tight")
    return figure, axes


def label_boxes(figure, texts) -> list:
    """Display-space boxes of the labels, their rounded frames included (padding ≈ 0.5 em)."""
    renderer = figure.canvas.get_renderer()
    boxes = []
    for text in texts:
        box = text.get_window_extent(renderer)
        pad = text.get_fontsize() * figure.dpi / 72 * (0.55 if text.get_bbox_patch() else 0.1)
        boxes.append(box.expanded(1, 1).padded(pad))
    return boxes


def separate_labels(figure, axes, texts, rounds: int = 300) -> int:
    """Push overlapping labels apart (in display space) until none overlap; returns overlaps left."""
    import numpy as np

    figure.canvas.draw()
    to_data = axes.transData.inverted()
    for _ in range(rounds):
        boxes = label_boxes(figure, texts)
        moves = np.zeros((len(texts), 2))
        clashes = 0
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx <= -2 or dy <= -2:
                    continue
                clashes += 1
                centre = np.array([(a.x0 + a.x1 - b.x0 - b.x1) / 2, (a.y0 + a.y1 - b.y0 - b.y1) / 2])
                if not centre.any():
                    centre = np.array([0.0, 1.0])
                direction = centre / np.linalg.norm(centre)
                push = (min(dx, dy) + 4) / 2 * (np.abs(direction) + 0.2)
                moves[i] += direction * push
                moves[j] -= direction * push
        if clashes == 0:
            return 0
        for text, move in zip(texts, moves):
            if move.any():
                x, y = axes.transData.transform(text.get_position())
                text.set_position(tuple(to_data.transform((x + move[0], y + move[1]))))
        _fit(axes, texts)
    return clashes


def _fit(axes, texts) -> None:
    xs = [t.get_position()[0] for t in texts]
    ys = [t.get_position()[1] for t in texts]
    axes.set_xlim(min(xs) - 3, max(xs) + 3)
    axes.set_ylim(min(ys) - 2, max(ys) + 2)
