"""The thematic map drawn by Graphviz (``dot``) from ``themes.thematic_map.map_dot``, and fitted to a page.

``dot`` ranks the boxes, routes the edges and places every edge label as a node of its own, so no
box, label or edge label overlaps another (tests/reports/figures check the SVG).

Fitting to a page (a report's A4 page, or ``--a4``): the map is drawn at its natural size, where
its smallest text is 9 pt, and printed at that size when it fits. A map too big for the page is
not shrunk below 9 pt but laid out again (:func:`layouts`): the legend below instead of beside,
fewer themes per row, compact boxes (names barely larger than the rest, no passage count, tighter
spacing, each row of themes below the whole frame above it), subthemes beside their parent, links
that leave the rows alone, and only then without the code lists in the boxes (the codes stay in
the report's prevalence table). Only when no layout fits is the best one scaled down, and
:attr:`FittedMap.smallest_points` says how small its text prints.

Printed size of a Graphviz SVG's text: a ``<text>`` has ``font-size`` in user units, the groups
around it may scale (``transform="scale(s s)"``), and the ``viewBox`` width maps to the printed
width, so printed pt = font-size × s × printed width (pt) / viewBox width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thematica.reports.figures.render import graphviz_bytes
from thematica.themes.data import CodedMaterial
from thematica.themes.thematic_map import MapLayout, MapWords, map_dot

A4_WIDTH_INCHES = 6.7
POINTS_PER_CM = 72 / 2.54
SMALLEST_POINTS = 9.0
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Page:
    """The room a map may take on a page, in cm, and whether that page is on its side."""

    width_cm: float
    height_cm: float
    landscape: bool = False


# A4 with 2.5 cm margins, less the heading and caption above and the note below the figure (about 3 cm)
A4_PORTRAIT = Page(16.0, 21.5)
A4_LANDSCAPE = Page(24.7, 13.0, landscape=True)
A4_TEXT = Page(A4_WIDTH_INCHES * 2.54, 24.7)  # ``thematica map --a4``: the width only matters


@dataclass(frozen=True)
class FittedMap:
    """The map drawn in the layout that fits, with the size it prints at."""

    svg: bytes
    width_cm: float
    height_cm: float
    landscape: bool
    smallest_points: float  # the smallest text once printed at width_cm
    layout: MapLayout
    source: str  # the DOT text it was drawn from (to draw the same map as PNG or PDF)

    def draw(self, fmt: str) -> bytes:
        """The same map as ``svg``, ``pdf`` or ``png`` (300 dpi)."""
        return self.svg if fmt == "svg" else graphviz_bytes(self.source, fmt)

    def to_dict(self) -> dict[str, object]:
        return {"width_cm": round(self.width_cm, 2), "height_cm": round(self.height_cm, 2),
                "landscape": self.landscape, "smallest_points": round(self.smallest_points, 2),
                "layout": self.layout.to_dict()}


def _scale(transform: str) -> float:
    found = re.search(r"scale\(\s*([-\d.e]+)", transform or "")
    return float(found.group(1)) if found else 1.0


def svg_size_points(svg: bytes) -> tuple[float, float]:
    """The width and height of an SVG in its user units (the viewBox, else width and height)."""
    from lxml import etree

    root = etree.fromstring(svg)
    box = root.get("viewBox")
    if box:
        numbers = [float(n) for n in box.replace(",", " ").split()]
        return numbers[2], numbers[3]
    return (float(re.sub(r"[a-z]+$", "", root.get("width", "0"))),
            float(re.sub(r"[a-z]+$", "", root.get("height", "0"))))


def smallest_font_units(svg: bytes) -> float:
    """The smallest text of an SVG in viewBox units: each ``<text>``'s font size (attribute or
    style) times the scale of the groups around it; 0 when there is no sized text."""
    from lxml import etree

    root = etree.fromstring(svg)
    sizes: list[float] = []

    def visit(element: etree._Element, scale: float) -> None:
        scale *= _scale(element.get("transform", ""))
        if element.tag == f"{SVG}text" and "".join(element.itertext()).strip():
            declared = element.get("font-size") or ""
            styled = re.search(r"font-size:\s*([\d.]+)", element.get("style", "")) or re.search(
                r"font:[^;]*?([\d.]+)px", element.get("style", ""))
            value = declared.removesuffix("px").removesuffix("pt") or (styled.group(1) if styled else "")
            if value:
                sizes.append(float(value) * scale)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, scale)

    visit(root, 1.0)
    return min(sizes, default=0.0)


def printed_font_points(svg: bytes, width_cm: float) -> float:
    """The smallest text of ``svg`` in points when the drawing is printed ``width_cm`` wide."""
    width, _ = svg_size_points(svg)
    if width <= 0:
        return 0.0
    return smallest_font_units(svg) * width_cm * POINTS_PER_CM / width


def layouts(material: CodedMaterial, title: bool, smallest: float = SMALLEST_POINTS) -> list[MapLayout]:
    """The layouts to try, most informative first: codes listed in the boxes before codes left
    out; within each, the usual rows of three before narrower arrangements, full boxes (the passage
    count stacked on its own line when the words are long, as Dutch ones are) before compact ones,
    and links that rank their target below their source before links that leave the rows alone."""
    tops = sum(1 for t in material.themes if t.parent not in {u.name for u in material.themes})
    arrangements = [  # columns, rankdir, name width, legend below, compact, subthemes beside, passages stacked
        (3, "TB", 26, False, False, False, False), (3, "TB", 26, True, False, False, False),
        (3, "TB", 26, True, False, False, True), (3, "TB", 22, True, False, False, True),
        (2, "TB", 22, True, False, False, False), (2, "TB", 22, True, False, False, True),
        (3, "TB", 18, True, True, False, False), (2, "TB", 18, True, True, False, False),
        (2, "TB", 16, True, True, True, False), (2, "TB", 13, True, True, True, False),
        (3, "TB", 13, True, True, True, False), (1, "TB", 22, True, True, False, False),
        (1, "TB", 16, True, True, True, False), (max(1, (tops + 1) // 2), "LR", 16, True, True, False, False)]
    chosen: list[MapLayout] = []
    for codes in (True, False):
        for columns, rankdir, width, below, compact, beside, stacked in arrangements:
            for free in ((False, True) if compact and material.links else (False,)):
                layout = MapLayout(columns=columns, rankdir=rankdir, codes=codes, name_width=width,
                                   legend_below=below, title=title, smallest=smallest, compact=compact, beside=beside,
                                   free_links=free, stacked=stacked)
                if layout not in chosen:
                    chosen.append(layout)
    return chosen


def fit_map(material: CodedMaterial, pages: tuple[Page, ...] = (A4_PORTRAIT, A4_LANDSCAPE),
            words: MapWords | None = None, title: bool = False, smallest: float = SMALLEST_POINTS) -> FittedMap:
    """The first layout (see :func:`layouts`) that fits one of ``pages`` at natural size, its
    smallest text ``smallest`` pt; if none fits, the layout that prints its text largest."""
    best: FittedMap | None = None
    for layout in layouts(material, title, smallest):
        source = map_dot(material, layout, words)
        svg = graphviz_bytes(source, "svg")
        width, height = svg_size_points(svg)
        for page in pages:
            scale = min(1.0, page.width_cm * POINTS_PER_CM / width, page.height_cm * POINTS_PER_CM / height)
            width_cm = width * scale / POINTS_PER_CM
            fitted = FittedMap(svg, width_cm, height * scale / POINTS_PER_CM, page.landscape,
                               printed_font_points(svg, width_cm), layout, source)
            if fitted.smallest_points >= smallest - 1e-9:
                return fitted
            if best is None or fitted.smallest_points > best.smallest_points:
                best = fitted
    assert best is not None  # layouts() is never empty
    return best


def thematic_map(material: CodedMaterial, fmt: str, fit_a4: bool = False, words: MapWords | None = None) -> bytes:
    """The map as ``svg``, ``pdf`` or ``png`` (300 dpi), in ``words`` (English by default). ``fit_a4`` lays a
    wide map out again to fit A4 text width with text of at least 9 pt (scaling it down only when no layout fits)."""
    if not fit_a4:
        return graphviz_bytes(map_dot(material, words=words), fmt)
    fitted = fit_map(material, (A4_TEXT,), words=words, title=True)
    width, _ = svg_size_points(fitted.svg)
    if width <= A4_TEXT.width_cm * POINTS_PER_CM + 0.5:
        return fitted.draw(fmt)
    source = fitted.source.replace("  graph [", f'  graph [size="{A4_WIDTH_INCHES},100", ', 1)
    return graphviz_bytes(source, fmt)
