"""The thematic map as a networkx graph with a radial layout, for the REFI-QDA export's Graph.

A .qdpx Graph stores a position per vertex, so the export needs coordinates without drawing:
main themes evenly on a circle, each one's subthemes and codes on an arc further out. The map
people look at is drawn by Graphviz (``reports.figures.thematic_map``).
"""

from __future__ import annotations

import math

import networkx as nx

from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import CodedMaterial


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


def _fan(tree: nx.DiGraph, node: str, angle: float, width: float, radius: float,
         positions: dict[str, tuple[float, float]]) -> None:
    children = sorted(tree.successors(node), key=lambda n: (tree.nodes[n].get("kind") != "subtheme", n))
    if not children:
        return
    step = width / len(children)
    for index, child in enumerate(children):
        child_angle = angle - width / 2 + step * (index + 0.5)
        child_radius = radius + 2.2 + 0.6 * (index % 2)
        positions[child] = (child_radius * math.cos(child_angle), child_radius * math.sin(child_angle))
        _fan(tree, child, child_angle, step, child_radius, positions)
