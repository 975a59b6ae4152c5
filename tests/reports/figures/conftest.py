"""Shared pieces of the figure tests: the demo project (built once, with subthemes and links added),
and readers of the figures' files (SVG text and boxes, PDF fonts, PNG resolution)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import demo_project
from thematica.store.project import open_project
from thematica.themes import service

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo project, plus two subthemes, three labelled links and every status."""
    path = demo_project(tmp_path_factory.mktemp("demo"))
    with open_project(str(path), create=False) as project:
        spiegel, plek, werk = ("De groep als spiegel en als schuurpapier", "Een veilige plek om patronen te zien",
                               "Van behandeling naar werk")
        service.add_theme(project, "Durven spreken", "test", parent=spiegel,
                          codes=["Groepsinteracties/Zich durven uiten in de groep"])
        service.add_theme(project, 'Schuren & "botsen" <ëï>', "test", parent=spiegel,
                          codes=["Groepsinteracties/Spanning en conflict in de groep"])
        service.link_themes(project, plek, spiegel, "maakt mogelijk", "test")
        service.link_themes(project, spiegel, werk, "wordt geoefend in", "test")
        service.link_themes(project, plek, werk, "voorwaarde voor", "test")
        service.update_theme(project, werk, "test", status="final")
        service.update_theme(project, "Durven spreken", "test", status="reviewed")
    return path


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    name: str

    def overlaps(self, other: "Box", tolerance: float = 0.5) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
                and min(self.y1, other.y1) - max(self.y0, other.y0) > tolerance)

    def contains(self, other: "Box", tolerance: float = 1.0) -> bool:
        return (other.x0 >= self.x0 - tolerance and other.x1 <= self.x1 + tolerance
                and other.y0 >= self.y0 - tolerance and other.y1 <= self.y1 + tolerance)


def _points(element: etree._Element) -> list[tuple[float, float]]:
    raw = element.get("points") or element.get("d") or ""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", raw)]
    return list(zip(numbers[0::2], numbers[1::2]))


def text_box(element: etree._Element, name: str = "") -> Box:
    """The box of a Graphviz SVG ``<text>``: its width measured with the font it names (DejaVu Sans)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    size = float(element.get("font-size", "14"))
    weight = "bold" if element.get("font-weight") == "bold" else "normal"
    style = "italic" if element.get("font-style") == "italic" else "normal"
    width, height, descent = TextToPath().get_text_width_height_descent(
        element.text or "", FontProperties(family="DejaVu Sans", size=size, weight=weight, style=style), ismath=False)
    x, y = float(element.get("x")), float(element.get("y"))
    anchor = element.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return Box(left, y - (height - descent), left + width, y + descent, name or (element.text or ""))


@dataclass
class GraphvizDrawing:
    nodes: dict[str, Box]  # everything a node draws: outline and text
    outlines: dict[str, Box]  # the node's largest drawn shape (its box), when it has one
    node_texts: dict[str, list[Box]]
    edge_labels: list[Box]
    texts: list[str]


def read_graphviz_svg(svg: bytes) -> GraphvizDrawing:
    root = etree.fromstring(svg)
    nodes: dict[str, Box] = {}
    outlines: dict[str, Box] = {}
    node_texts: dict[str, list[Box]] = {}
    labels: list[Box] = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = group.findtext(f"{SVG}title") or ""
        if kind == "node":
            shapes = [_points(shape) for shape in group.iter(f"{SVG}polygon", f"{SVG}path")]
            for ellipse in group.iter(f"{SVG}ellipse"):
                cx, cy, rx, ry = (float(ellipse.get(k)) for k in ("cx", "cy", "rx", "ry"))
                shapes.append([(cx - rx, cy - ry), (cx + rx, cy + ry)])
            boxes = [Box(min(p[0] for p in s), min(p[1] for p in s), max(p[0] for p in s), max(p[1] for p in s), title)
                     for s in shapes if s]
            node_texts[title] = [text_box(t) for t in group.iter(f"{SVG}text") if (t.text or "").strip()]
            every = boxes + node_texts[title]
            nodes[title] = Box(min(b.x0 for b in every), min(b.y0 for b in every), max(b.x1 for b in every),
                               max(b.y1 for b in every), title)
            if boxes:
                outlines[title] = max(boxes, key=lambda b: (b.x1 - b.x0) * (b.y1 - b.y0))
        elif kind == "edge":
            labels += [text_box(t, f"{title}: {t.text}") for t in group.iter(f"{SVG}text") if (t.text or "").strip()]
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    return GraphvizDrawing(nodes, outlines, node_texts, labels, texts)


def collisions(boxes: list[Box]) -> list[tuple[str, str]]:
    return [(a.name, b.name) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]


def pdf_font_types(pdf: bytes) -> set[str]:
    """The /Subtype of every font a PDF embeds (TrueType, Type0 over CIDFontType2 = TrueType, Type3...)."""
    from pypdf import PdfReader

    found: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            subtype = str(font["/Subtype"])
            if subtype == "/Type0":
                subtype = str(font["/DescendantFonts"][0].get_object()["/Subtype"])
            found.add(subtype)
    return found


def png_dpi(png: bytes) -> tuple[float, float]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.info["dpi"]


def svg_texts(svg: bytes) -> list[str]:
    root = etree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.fixture
def check_formats() -> Callable[[Callable[[str], bytes]], bytes]:
    """Draw a figure in all three formats and check the print properties; returns the SVG."""

    def check(draw: Callable[[str], bytes]) -> bytes:
        svg, pdf, png = draw("svg"), draw("pdf"), draw("png")
        assert b"<text" in svg and svg_texts(svg), "SVG text must be <text>, not paths"
        assert b"<path" not in svg or b'id="DejaVu' not in svg  # no glyph outlines standing in for text
        assert pdf.startswith(b"%PDF-")
        types = pdf_font_types(pdf)
        assert types and types <= {"/TrueType", "/CIDFontType2"}, types
        assert round(png_dpi(png)[0]) == 300 and png.startswith(b"\x89PNG")
        return svg

    return check


def matplotlib_text_boxes(svg: bytes) -> list[Box]:
    """Boxes of the unrotated ``<text>`` of a matplotlib SVG (``translate(x y)`` is the baseline start)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    boxes = []
    for element in etree.fromstring(svg).iter(f"{SVG}text"):
        transform = element.get("transform", "")
        found = re.fullmatch(r"translate\(([-\d.e]+) ([-\d.e]+)\)", transform)
        if element.get("x") is not None and re.fullmatch(r"(rotate\(-?0 [^)]*\))?", transform):
            x, y = float(element.get("x")), float(element.get("y"))
        elif found:
            x, y = float(found.group(1)), float(found.group(2))
        else:
            continue  # rotated text (axis labels): not checked
        if not (element.text or "").strip():
            continue
        css = element.get("style", "")
        size = float(re.search(r"font-size: ([\d.]+)px", css).group(1))  # type: ignore[union-attr]
        weight = "bold" if re.search(r"font-weight: (bold|[6-9]00)", css) else "normal"
        style = "italic" if "font-style: italic" in css else "normal"
        width, height, descent = TextToPath().get_text_width_height_descent(
            element.text, FontProperties(family="DejaVu Sans", size=size, weight=weight, style=style), ismath=False)
        anchor = "middle" if "text-anchor: middle" in css else "end" if "text-anchor: end" in css else "start"
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        boxes.append(Box(left, y - (height - descent), left + width, y + descent, element.text))
    return boxes


def matplotlib_markers(svg: bytes) -> list[Box]:
    """Boxes of the markers (``<use>`` of a ``<defs>`` path, e.g. scatter discs) of a matplotlib SVG."""
    root = etree.fromstring(svg)
    shapes = {path.get("id"): _points(path) for path in root.iter(f"{SVG}path") if path.get("id")}
    boxes = []
    for use in root.iter(f"{SVG}use"):
        points = shapes.get((use.get("{http://www.w3.org/1999/xlink}href") or "").lstrip("#"))
        if not points or use.get("x") is None:
            continue
        x, y = float(use.get("x")), float(use.get("y"))
        boxes.append(Box(x + min(p[0] for p in points), y + min(p[1] for p in points), x + max(p[0] for p in points),
                         y + max(p[1] for p in points), f"marker at {x:.0f},{y:.0f}"))
    return boxes


@pytest.fixture
def figs() -> object:
    """The readers above, for the test modules (conftest is not importable under importlib mode)."""
    import types

    return types.SimpleNamespace(read_graphviz_svg=read_graphviz_svg, collisions=collisions, text_box=text_box,
                                 pdf_font_types=pdf_font_types, png_dpi=png_dpi, svg_texts=svg_texts, Box=Box,
                                 matplotlib_text_boxes=matplotlib_text_boxes,
                                 matplotlib_markers=matplotlib_markers)
