"""The thematic map drawn by Graphviz (``dot``) from ``themes.thematic_map.map_dot``.

``dot`` ranks the boxes, routes the edges and places every edge label as a node of its own, so no
box, label or edge label overlaps another (tests/reports/figures check the SVG). A4 width: the
drawing is scaled to at most 6.7 in (17 cm) wide when it is wider, never enlarged.
"""

from __future__ import annotations

from thematica.reports.figures.render import graphviz_bytes
from thematica.themes.data import CodedMaterial
from thematica.themes.thematic_map import map_dot

A4_WIDTH_INCHES = 6.7


def thematic_map(material: CodedMaterial, fmt: str, fit_a4: bool = False) -> bytes:
    """The map as ``svg``, ``pdf`` or ``png`` (300 dpi). ``fit_a4`` scales a wide map to A4 text width."""
    source = map_dot(material)
    if fit_a4:
        source = source.replace("  graph [", f'  graph [size="{A4_WIDTH_INCHES},100", ', 1)
    return graphviz_bytes(source, fmt)
