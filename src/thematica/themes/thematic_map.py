"""The thematic map as a graph description: Graphviz DOT (laid out by ``dot``), Mermaid, terminal tree.

Each theme is one box: its name, its status and its prevalence ("k of N cases", segments), and the
codes it groups. A theme with subthemes becomes a frame (a Graphviz cluster) holding the theme and
its subthemes, joined by grey lines, so a subtheme is always drawn inside its parent. Links between
themes are arrows with the label on the edge (Graphviz places edge labels as nodes of their own, so
they never cover a box; a label is a small node on its link, so it stays out of every frame too). A legend gives the status colours and the two kinds of line. The DOT text
is the file users get with ``--out map.dot``: HTML-like labels, so names need only XML escaping
(no ``\\n`` escapes), and ids are quoted DOT strings.

The drawing (SVG, PDF, PNG) is ``reports.figures.thematic_map``.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import CodedMaterial
from thematica.themes.map_matplotlib import draw_matplotlib  # noqa: F401 (reports.analysis_report)

FONT = "DejaVu Sans"
STATUS_COLOURS = {  # Okabe–Ito hues, light fill for legibility of black text
    "candidate": ("#FFF3D6", "#E69F00"),
    "reviewed": ("#DDEBF7", "#0072B2"),
    "final": ("#D8F0E5", "#009E73"),
}
OTHER_STATUS = ("#EEEEEE", "#777777")
LINK_COLOUR = "#C4450C"
CONTAINS_COLOUR = "#7F7F7F"
NAME_WIDTH = 26  # characters per line of a theme name
CODE_WIDTH = 34
COLUMNS = 3  # main themes per row


@dataclass(frozen=True)
class MapTheme:
    name: str
    parent: str | None
    status: str
    cases: int
    of_cases: int
    segments: int
    codes: tuple[str, ...]

    @property
    def prevalence(self) -> str:
        return f"{self.cases} of {self.of_cases} cases"

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "parent": self.parent, "status": self.status, "cases": self.cases,
                "of_cases": self.of_cases, "segments": self.segments, "codes": list(self.codes)}


def map_themes(material: CodedMaterial) -> list[MapTheme]:
    prevalence = {p.name: p for p in theme_prevalence(material)}
    return [MapTheme(t.name, t.parent, t.status, len(prevalence[t.name].cases), prevalence[t.name].of_cases,
                     prevalence[t.name].segments, tuple(t.codes)) for t in material.themes]


def dot_string(text: str) -> str:
    """A DOT double-quoted string: backslash and double quote escaped, newlines as spaces."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html(text: str) -> str:
    return html.escape(text.replace("\n", " "), quote=True)


def _lines(text: str, width: int) -> str:
    """Wrapped, escaped lines joined with HTML-label line breaks."""
    return '<BR ALIGN="CENTER"/>'.join(_html(line) for line in textwrap.wrap(text, width) or [""])


def _theme_label(theme: MapTheme, sub: bool) -> str:
    fill, border = STATUS_COLOURS.get(theme.status, OTHER_STATUS)
    size = 11 if sub else 13
    rows = [f'<TR><TD><FONT POINT-SIZE="{size}"><B>{_lines(theme.name, NAME_WIDTH)}</B></FONT></TD></TR>',
            f'<TR><TD><FONT POINT-SIZE="9">{_html(theme.status)} · {_html(theme.prevalence)} · '
            f'{theme.segments} segments</FONT></TD></TR>']
    if theme.codes:
        codes = '<BR ALIGN="LEFT"/>'.join("· " + _html(textwrap.shorten(code.rsplit("/", 1)[-1], CODE_WIDTH,
                                                                           placeholder="…"))
                                           for code in theme.codes)
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#333333">{codes}'
                    f'<BR ALIGN="LEFT"/></FONT></TD></TR>')
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" STYLE="ROUNDED" '
            f'BGCOLOR="{fill}" COLOR="{border}">{"".join(rows)}</TABLE>>')


def _legend(statuses: list[str], links: bool, subthemes: bool) -> list[str]:
    rows = ''.join(f'<TR><TD BGCOLOR="{STATUS_COLOURS.get(s, OTHER_STATUS)[0]}" COLOR="{STATUS_COLOURS.get(s, OTHER_STATUS)[1]}" '
                   f'BORDER="1" WIDTH="18"> </TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{_html(s)}</FONT></TD></TR>' for s in statuses)
    lines = ["  subgraph cluster_legend {",
             f'    label=<<B>Legend</B>>; fontsize=10; style="rounded"; color="#BBBBBB"; margin=8;',
             f'    "legend:status" [shape=plain, label=<<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="2">'
             f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9"><I>status (fill colour)</I></FONT></TD></TR>'
             f'{rows}<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="8">box: name, status, k of N cases,'
             '<BR ALIGN="LEFT"/>segments, codes</FONT></TD></TR></TABLE>>];']
    if links:
        lines += ['    "legend:a" [shape=point, width=0.04, color="#444444"];',
                  '    "legend:b" [shape=point, width=0.04, color="#444444"];',
                  f'    "legend:a" -> "legend:b" [label=<relation<BR/>(its label)>, style=dashed, color="{LINK_COLOUR}", '
                  f'fontcolor="{LINK_COLOUR}", penwidth=1.4, minlen=2];',
                  '    { rank=same; "legend:a"; "legend:b"; }']
    if subthemes:
        lines += ['    "legend:c" [shape=point, width=0.04, color="#444444"];',
                  '    "legend:d" [shape=point, width=0.04, color="#444444"];',
                  f'    "legend:c" -> "legend:d" [label=<subtheme<BR/>(in its frame)>, arrowhead=none, '
                  f'color="{CONTAINS_COLOUR}", penwidth=1.2, minlen=2];',
                  '    { rank=same; "legend:c"; "legend:d"; }']
    lines.append("  }")
    return lines


def map_dot(material: CodedMaterial) -> str:
    """The thematic map in DOT (top to bottom; themes with subthemes as framed clusters)."""
    themes = map_themes(material)
    if not themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    names = {t.name for t in themes}
    children: dict[str | None, list[MapTheme]] = {}
    for theme in themes:
        children.setdefault(theme.parent if theme.parent in names else None, []).append(theme)
    lines = ["digraph thematic_map {",
             f'  graph [rankdir=TB, newrank=true, compound=true, nodesep=0.4, ranksep=0.55, pad=0.15, '
             f'fontname={dot_string(FONT)}, labelloc=t, fontsize=14, '
             f'label={dot_string(f"Thematic map ({material.coding}; prevalence: cases with a coded segment)")}];',
             f"  node [shape=plain, fontname={dot_string(FONT)}];",
             f"  edge [fontname={dot_string(FONT)}, fontsize=9];"]
    cluster_ids = iter(range(1_000_000))

    def place(theme: MapTheme, depth: int) -> None:
        node = f"  {dot_string('theme:' + theme.name)} [label={_theme_label(theme, depth > 0)}];"
        kids = children.get(theme.name, [])
        if not kids:
            lines.append("  " * depth + node)
            return
        indent = "  " * depth
        lines.append(f"{indent}  subgraph cluster_{next(cluster_ids)} {{")
        lines.append(f'{indent}    style="rounded,dashed"; color="{CONTAINS_COLOUR}"; margin=10; label="";')
        lines.append(indent + "  " + node)
        for kid in kids:
            place(kid, depth + 1)
        for kid in kids:
            lines.append(f"{indent}    {dot_string('theme:' + theme.name)} -> {dot_string('theme:' + kid.name)} "
                         f'[arrowhead=none, color="{CONTAINS_COLOUR}", penwidth=1.2];')
        lines.append(f"{indent}  }}")

    for theme in children.get(None, []):
        place(theme, 0)
    for number, (source, target, label) in enumerate(material.links):
        # The label is a node of its own on the edge (outside every frame, as it belongs to none), the
        # edge runs source — label → target, so the arrow shows the direction.
        node = dot_string(f"link:{number}")
        lines.append(f'  {node} [shape=box, style="rounded,filled", fillcolor=white, color=white, width=0, height=0, '
                     f'margin="0.05,0.03", label=<<FONT POINT-SIZE="9" COLOR="{LINK_COLOUR}">{_lines(label, 22)}'
                     "</FONT>>];")
        lines.append(f"  {dot_string('theme:' + source)} -> {node} "
                     f'[style=dashed, color="{LINK_COLOUR}", penwidth=1.4, arrowhead=none];')
        lines.append(f"  {node} -> {dot_string('theme:' + target)} "
                     f'[style=dashed, color="{LINK_COLOUR}", penwidth=1.4, arrowsize=0.9];')
    tops = children.get(None, [])
    for index in range(len(tops) - COLUMNS):  # main themes in rows of COLUMNS: the map stays A4-wide
        lines.append(f"  {dot_string('theme:' + tops[index].name)} -> {dot_string('theme:' + tops[index + COLUMNS].name)} "
                     "[style=invis, weight=0];")
    statuses = sorted({t.status for t in themes} | set(STATUS_COLOURS),
                      key=lambda s: (list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS else 9, s))
    lines += _legend(statuses, links=True, subthemes=any(t.parent for t in themes))
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_dot(material: CodedMaterial) -> str:
    return map_dot(material)


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: Mermaid's entity codes for the characters its parser reads."""
    replaced = text.replace("\n", " ").replace("#", "#35;")
    for character, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;"), ("&", "#amp;")):
        replaced = replaced.replace(character, code)
    return replaced


def to_mermaid(material: CodedMaterial) -> str:
    """A Mermaid flowchart: theme boxes (name, status, k of N cases), subthemes in their parent's
    subgraph, dashed labelled links; status as a class with the map's colours."""
    themes = map_themes(material)
    ids = {theme.name: f"t{index}" for index, theme in enumerate(themes)}
    children: dict[str | None, list[MapTheme]] = {}
    for theme in themes:
        children.setdefault(theme.parent if theme.parent in ids else None, []).append(theme)
    lines = ["flowchart TB"]

    def box(theme: MapTheme) -> str:
        return (f'{ids[theme.name]}["<b>{mermaid_text(theme.name)}</b><br/>{mermaid_text(theme.status)} · '
                f'{theme.prevalence}"]')

    def place(theme: MapTheme, depth: int) -> None:
        indent = "    " * (depth + 1)
        kids = children.get(theme.name, [])
        if not kids:
            lines.append(indent + box(theme))
            return
        lines.append(f'{indent}subgraph {ids[theme.name]}_frame[" "]')
        lines.append(indent + "    " + box(theme))
        for kid in kids:
            place(kid, depth + 1)
        lines.append(indent + "end")

    for theme in children.get(None, []):
        place(theme, 0)
    for theme in themes:
        if theme.parent in ids:
            lines.append(f"    {ids[theme.parent]} --- {ids[theme.name]}")
    for source, target, label in material.links:
        lines.append(f'    {ids[source]} -.->|"{mermaid_text(label)}"| {ids[target]}')
    for status in sorted({t.status for t in themes}):
        fill, border = STATUS_COLOURS.get(status, OTHER_STATUS)
        members = ",".join(ids[t.name] for t in themes if t.status == status)
        lines.append(f"    classDef {status} fill:{fill},stroke:{border}")
        lines.append(f"    class {members} {status}")
    return "\n".join(lines) + "\n"


def to_terminal(material: CodedMaterial) -> str:
    prevalence = {p.name: p for p in theme_prevalence(material)}
    lines = [f"Thematic map ({material.coding})"]

    def walk(parent: str | None, depth: int) -> None:
        for theme in [t for t in material.themes if t.parent == parent]:
            p = prevalence[theme.name]
            lines.append(f"{'  ' * depth}◆ {theme.name}  [{p.wording} cases, {p.segments} segments, {theme.status}]")
            for code in theme.codes:
                lines.append(f"{'  ' * (depth + 1)}· {code}")
            walk(theme.name, depth + 1)

    walk(None, 0)
    if material.links:
        lines.append("Links:")
        lines += [f"  {source} —{label}→ {target}" for source, target, label in material.links]
    return "\n".join(lines) + "\n"


def export_text(material: CodedMaterial, out: Path) -> None:
    """The editable exports: ``.dot`` (Graphviz) and ``.mmd`` (Mermaid)."""
    if not material.themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    suffix = Path(out).suffix.lower()
    if suffix == ".dot":
        write_private(out, map_dot(material))
    elif suffix in (".mmd", ".mermaid"):
        write_private(out, to_mermaid(material))
    else:
        raise ThematicaError("map text files are .dot or .mmd", path=str(out))
