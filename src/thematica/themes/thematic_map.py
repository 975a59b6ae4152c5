"""The thematic map as a graph description: Graphviz DOT (laid out by ``dot``), Mermaid, terminal tree.

Each theme is one box: its name, its status and its prevalence ("k of N cases", passages), and the
codes it groups. A theme with subthemes becomes a frame (a Graphviz cluster) holding the theme and
its subthemes, joined by grey lines, so a subtheme is always drawn inside its parent. Links between
themes are arrows with the label on the edge (Graphviz places edge labels as nodes of their own, so
they never cover a box; a label is a small node on its link, so it stays out of every frame too). A legend gives the status colours and the two kinds of line. The DOT text
is the file users get with ``--out map.dot``: HTML-like labels, so names need only XML escaping
(no ``\\n`` escapes), and ids are quoted DOT strings.

How ``dot`` is asked to arrange it is a :class:`MapLayout` (themes per row, compact boxes, subthemes
beside their parent, ...), its words a :class:`MapWords` (a report's language); the defaults give
the map ``thematica map`` draws. The drawing (SVG, PDF, PNG), and the choice of a layout that fits
an A4 page, is ``reports.figures.thematic_map``.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import CodedMaterial

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
    return '<BR ALIGN="CENTER"/>'.join(_html(line) for line in textwrap.wrap(text, width, break_long_words=False,
                                                                             break_on_hyphens=False) or [""])


@dataclass(frozen=True)
class MapWords:
    """The map's own words, in the language of the document it goes into (English by default).

    ``title``, ``prevalence`` and ``segments`` are format strings (``{coding}``, ``{cases}``, ``{of_cases}``,
    ``{segments}``); ``statuses`` translates a theme status for its box and the legend, ``codings`` the
    name of the coding the counts use for the title (unknown ones print as stored)."""

    title: str = "Thematic map ({coding}; prevalence: cases with a coded passage)"
    prevalence: str = "{cases} of {of_cases} cases"
    segments: str = "{segments} passages"
    legend: str = "Legend"
    status_key: str = "status (fill colour)"
    box_key: str = "box: name, status, k of N cases, passages, codes"
    relation: str = "link (its label)"
    subtheme: str = "subtheme (in its frame)"
    statuses: Mapping[str, str] = field(default_factory=dict)
    codings: Mapping[str, str] = field(default_factory=dict)

    def status(self, status: str) -> str:
        return self.statuses.get(status, status)

    def heading(self, coding: str) -> str:
        """The map's title naming ``coding`` (the consensus coding's name, or "all coders")."""
        return self.title.format(coding=self.codings.get(coding, coding))


@dataclass(frozen=True)
class MapLayout:
    """How ``dot`` is asked to arrange the map; a report tries several until one fits its page.

    ``columns``: main themes per row (invisible edges stack the rest below); ``rankdir`` TB or LR;
    ``codes``: list each theme's codes in its box; ``name_width``: characters per line of a theme
    name; ``legend_below``: the legend as one row under the map instead of a column beside it;
    ``title``: the map's own title line (a report's caption replaces it); ``smallest``: the font
    size of the smallest text (codes, legend notes) in points, the rest scaled from it; ``compact``
    (for a map that must fit a page): names only a little larger than the rest, status and
    prevalence on two short lines (one with ``beside``), the passage count left out (a report's
    prevalence table gives it), link labels wrapped shorter, a two-line legend, closer spacing, and
    each row of themes below the whole frame above it with a rank between rows for link labels;
    ``beside``: a main theme's subthemes in a row beside it (in its frame) instead of below it;
    ``free_links``: a link does not put its target on a lower rank than its source (the rows stay
    as the grid puts them; the arrow may then run upwards); ``stacked`` (full boxes): the passage
    count on a line of its own under status and prevalence, so a box with longer words (Dutch)
    keeps all its content at a narrower width."""

    columns: int = COLUMNS
    rankdir: str = "TB"
    codes: bool = True
    name_width: int = NAME_WIDTH
    legend_below: bool = False
    title: bool = True
    smallest: float = 8.0
    compact: bool = False
    beside: bool = False
    free_links: bool = False
    stacked: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"columns": self.columns, "rankdir": self.rankdir, "codes": self.codes, "name_width": self.name_width,
                "legend_below": self.legend_below, "title": self.title, "smallest": self.smallest,
                "compact": self.compact, "beside": self.beside, "free_links": self.free_links,
                "stacked": self.stacked}


def _points(size: float) -> str:
    return f"{size:g}"


def _theme_label(theme: MapTheme, sub: bool, layout: MapLayout, words: MapWords) -> str:
    fill, border = STATUS_COLOURS.get(theme.status, OTHER_STATUS)
    small = layout.smallest
    size = small + ((0 if sub else 0.5) if layout.compact else (3 if sub else 5))
    line = words.prevalence.format(cases=theme.cases, of_cases=theme.of_cases)
    counts = words.segments.format(segments=theme.segments)
    rows = [f'<TR><TD><FONT POINT-SIZE="{_points(size)}"><B>{_lines(theme.name, layout.name_width)}</B></FONT>'
            '</TD></TR>']
    if layout.compact:
        joint = " · " if layout.beside else "<BR/>"
        rows.append(f'<TR><TD><FONT POINT-SIZE="{_points(small)}">{_html(words.status(theme.status))}{joint}'
                    f'{_html(line)}</FONT></TD></TR>')  # the passages are in the report's prevalence table
    else:
        joint = "<BR/>" if layout.stacked else " · "
        rows.append(f'<TR><TD><FONT POINT-SIZE="{_points(small + 1)}">{_html(words.status(theme.status))} · '
                    f'{_html(line)}{joint}{_html(counts)}</FONT></TD></TR>')
    if theme.codes and layout.codes:
        width = layout.name_width + 12 if layout.compact else CODE_WIDTH
        codes = '<BR ALIGN="LEFT"/>'.join("· " + _html(textwrap.shorten(code.rsplit("/", 1)[-1], width,
                                                                           placeholder="…"))
                                           for code in theme.codes)
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{_points(small)}" COLOR="#333333">{codes}'
                    f'<BR ALIGN="LEFT"/></FONT></TD></TR>')
    # CELLSPACING: a margin between the text and the (rounded) border, which the corners would eat into
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="{0 if layout.compact else 3}" CELLPADDING="3" STYLE="ROUNDED" '
            f'BGCOLOR="{fill}" COLOR="{border}">{"".join(rows)}</TABLE>>')


def _legend(statuses: list[str], links: bool, subthemes: bool, layout: MapLayout, words: MapWords) -> list[str]:
    small, mid = _points(layout.smallest), _points(layout.smallest + 1)

    def swatch(status: str) -> str:
        fill, border = STATUS_COLOURS.get(status, OTHER_STATUS)
        return (f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{mid}">{_html(words.status(status))}</FONT></TD>')

    key = f'<FONT POINT-SIZE="{mid}"><I>{_html(words.status_key)}</I></FONT>'
    note = f'<FONT POINT-SIZE="{small}">{_lines(words.box_key, 34)}</FONT>'
    if layout.legend_below:  # one node under the map: the key and swatches in a row, the line kinds as text
        samples = ""
        if links:
            samples += (f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{mid}"><FONT COLOR="{LINK_COLOUR}">- - -▸</FONT> '
                        f'{_html(words.relation)}</FONT></TD>')
        if subthemes:
            samples += (f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{mid}"><FONT COLOR="{CONTAINS_COLOUR}">───</FONT> '
                        f'{_html(words.subtheme)}</FONT></TD>')
        title = f'<TD ALIGN="LEFT"><B><FONT POINT-SIZE="{mid}">{_html(words.legend)}</FONT></B></TD>'
        swatches = f'<TD ALIGN="LEFT">{key}</TD>{"".join(swatch(s) for s in statuses)}'
        if layout.compact:  # two lines: the boxes hold less, the figure's note says what they give
            table = f"<TR>{title}{swatches}</TR>" + (
                f"<TR><TD></TD><TD COLSPAN=\"{2 * len(statuses)}\" ALIGN=\"LEFT\">"
                f'<TABLE BORDER="0" CELLSPACING="0"><TR>{samples}</TR></TABLE></TD></TR>' if samples else "")
        else:
            span = 1 + 2 * len(statuses)
            table = (f'<TR>{title}<TD COLSPAN="{span - 1}"> </TD></TR><TR>{swatches}</TR>'
                     + (f'<TR><TD COLSPAN="{span}" ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="2"><TR>{samples}'
                        '</TR></TABLE></TD></TR>' if samples else "")
                     + f'<TR><TD COLSPAN="{span}" ALIGN="LEFT"><FONT POINT-SIZE="{small}">{_html(words.box_key)}'
                     '</FONT></TD></TR>')
        return [f'  "legend:status" [shape=plain, label=<<TABLE BORDER="1" STYLE="ROUNDED" COLOR="#BBBBBB" '
                f'CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">{table}</TABLE>>];']
    table = (f'<TR><TD COLSPAN="2" ALIGN="LEFT">{key}</TD></TR>'
             + "".join(f"<TR>{swatch(s)}</TR>" for s in statuses)
             + f'<TR><TD COLSPAN="2" ALIGN="LEFT">{note}</TD></TR>')
    lines = ["  subgraph cluster_legend {",
             f'    label=<<B>{_html(words.legend)}</B>>; fontsize={_points(layout.smallest + 2)}; style="rounded"; '
             'color="#BBBBBB"; margin=8;',
             f'    "legend:status" [shape=plain, label=<<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="2">'
             f'{table}</TABLE>>];']
    kinds: list[tuple[str, str, str, str]] = []
    if links:
        kinds.append(("a", "b", words.relation, f'style=dashed, color="{LINK_COLOUR}", fontcolor="{LINK_COLOUR}", '
                                                  'penwidth=1.4'))
    if subthemes:
        kinds.append(("c", "d", words.subtheme, f'arrowhead=none, color="{CONTAINS_COLOUR}", penwidth=1.2'))
    for start, end, text, style in kinds:
        lines += [f'    "legend:{start}" [shape=point, width=0.04, color="#444444"];',
                  f'    "legend:{end}" [shape=point, width=0.04, color="#444444"];',
                  f'    "legend:{start}" -> "legend:{end}" [label=<<FONT POINT-SIZE="{mid}">{_lines(text, 14)}</FONT>>, '
                  f'{style}, minlen=2];',
                  f'    {{ rank=same; "legend:{start}"; "legend:{end}"; }}']
    lines.append("  }")
    return lines


def map_dot(material: CodedMaterial, layout: MapLayout | None = None, words: MapWords | None = None) -> str:
    """The thematic map in DOT (top to bottom by default; themes with subthemes as framed clusters)."""
    layout, words = layout or MapLayout(), words or MapWords()
    themes = map_themes(material)
    if not themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    names = {t.name for t in themes}
    children: dict[str | None, list[MapTheme]] = {}
    for theme in themes:
        children.setdefault(theme.parent if theme.parent in names else None, []).append(theme)
    heading = words.heading(material.coding)  # compact: smaller, on lines of about 50 characters
    title = (f"labelloc=t, fontsize={_points(layout.smallest + (3 if layout.compact else 6))}, "
             f"label=<{_lines(heading, 50 if layout.compact else len(heading) + 1)}>, " if layout.title else "")
    lines = ["digraph thematic_map {",
             f'  graph [rankdir={layout.rankdir}, newrank=true, compound=true, '
             f'nodesep={0.15 if layout.compact else 0.4}, ranksep={0.12 if layout.compact else 0.55}, '
             f'pad={0.04 if layout.compact else 0.15}, '
             f'{title}fontname={dot_string(FONT)}];',
             f"  node [shape=plain, fontname={dot_string(FONT)}];",
             f"  edge [fontname={dot_string(FONT)}, fontsize={_points(layout.smallest + 1)}];"]
    cluster_ids = iter(range(1_000_000))

    def place(theme: MapTheme, depth: int) -> None:
        node = f"  {dot_string('theme:' + theme.name)} [label={_theme_label(theme, depth > 0, layout, words)}];"
        kids = children.get(theme.name, [])
        if not kids:
            lines.append("  " * depth + node)
            return
        indent = "  " * depth
        lines.append(f"{indent}  subgraph cluster_{next(cluster_ids)} {{")
        lines.append(f'{indent}    style="rounded,dashed"; color="{CONTAINS_COLOUR}"; margin={6 if layout.compact else 10}; '
                     'label="";')
        lines.append(indent + "  " + node)
        for kid in kids:
            place(kid, depth + 1)
        for kid in kids:
            lines.append(f"{indent}    {dot_string('theme:' + theme.name)} -> {dot_string('theme:' + kid.name)} "
                         f'[arrowhead=none, color="{CONTAINS_COLOUR}", penwidth=1.2];')
        if layout.beside and depth == 0:
            row = "; ".join(dot_string("theme:" + t.name) for t in [theme, *kids])
            lines.append(f"{indent}    {{ rank=same; {row}; }}")
        lines.append(f"{indent}  }}")

    for theme in children.get(None, []):
        place(theme, 0)
    for number, (source, target, label) in enumerate(material.links):
        text = f'<<FONT POINT-SIZE="{_points(layout.smallest + 1)}" COLOR="{LINK_COLOUR}">' \
               f'{_lines(label, 10 if layout.compact else 22)}</FONT>>'
        # The label is a node of its own on the edge (outside every frame, as it belongs to none), the
        # edge runs source — label → target, so the arrow shows the direction.
        node = dot_string(f"link:{number}")
        lines.append(f'  {node} [shape=box, style="rounded,filled", fillcolor=white, color=white, width=0, height=0, '
                     f'margin="0.05,0.03", label={text}];')
        near = ", weight=4" if layout.compact else ""  # compact: the label stays close to where its link starts
        lines.append(f"  {dot_string('theme:' + source)} -> {node} "
                     f'[style=dashed, color="{LINK_COLOUR}", penwidth=1.4, arrowhead=none{near}];')
        free = ", constraint=false" if layout.free_links else ""  # the link does not rank its target below it
        lines.append(f"  {node} -> {dot_string('theme:' + target)} "
                     f'[style=dashed, color="{LINK_COLOUR}", penwidth=1.4, arrowsize=0.9{free}];')
    tops = children.get(None, [])
    def deepest(theme: MapTheme) -> list[MapTheme]:
        """The themes on the lowest rank of ``theme``'s frame (itself when it has no subthemes); with
        ``beside`` the first level of subthemes shares its parent's rank."""
        ranks = {theme.name: 0}
        todo = [theme]
        while todo:
            current = todo.pop()
            for kid in children.get(current.name, []):
                if kid.name not in ranks:
                    step = 0 if layout.beside and current is theme else 1
                    ranks[kid.name] = ranks[current.name] + step
                    todo.append(kid)
        lowest = max(ranks.values())
        return [t for t in themes if ranks.get(t.name) == lowest]

    for index in range(len(tops) - layout.columns):  # main themes in rows of ``columns``: the map keeps its width
        below = dot_string('theme:' + tops[index + layout.columns].name)
        # compact: the next row starts under the whole frame (an edge from its lowest level, so no hidden
        # edge runs past the frame) and the columns are kept straight
        lowest = deepest(tops[index])
        above = ([tops[index]] if tops[index] in lowest else lowest) if layout.compact else [tops[index]]
        # compact: columns kept straight, and a rank between rows for the link labels
        spacing = f"weight=5, minlen={2 if material.links else 1}" if layout.compact else "weight=0"
        for theme in above:
            lines.append(f"  {dot_string('theme:' + theme.name)} -> {below} [style=invis, {spacing}];")
    statuses = sorted({t.status for t in themes} | set(STATUS_COLOURS),
                      key=lambda s: (list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS else 9, s))
    lines += _legend(statuses, links=bool(material.links), subthemes=any(t.parent for t in themes), layout=layout, words=words)
    if layout.legend_below:  # under the last row of themes (right of it, left to right); from their lowest
        for top in tops[-layout.columns:]:  # level, so no hidden edge runs past a frame
            for theme in deepest(top):
                lines.append(f'  {dot_string("theme:" + theme.name)} -> "legend:status" '
                             f'[style=invis, weight=0, minlen={2 if material.links else 1}];')  # under the labels too
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: Mermaid's entity codes for the characters its parser reads."""
    replaced = text.replace("\n", " ").replace("#", "#35;")
    for character, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;"), ("&", "#amp;")):
        replaced = replaced.replace(character, code)
    return replaced


def to_mermaid(material: CodedMaterial, words: MapWords | None = None) -> str:
    """A Mermaid flowchart: theme boxes (name, status, k of N cases, passages, codes), subthemes in their parent's
    subgraph, dashed labelled links; status as a class with the map's colours; the boxes in ``words``' language."""
    words = words or MapWords()
    themes = map_themes(material)
    ids = {theme.name: f"t{index}" for index, theme in enumerate(themes)}
    children: dict[str | None, list[MapTheme]] = {}
    for theme in themes:
        children.setdefault(theme.parent if theme.parent in ids else None, []).append(theme)
    lines = ["flowchart TB"]

    def box(theme: MapTheme) -> str:  # as in the DOT: name, status · k of N cases · passages, then the codes
        codes = "".join("<br/>· " + mermaid_text(textwrap.shorten(code.rsplit("/", 1)[-1], CODE_WIDTH, placeholder="…"))
                        for code in theme.codes)
        counts = (f"{words.prevalence.format(cases=theme.cases, of_cases=theme.of_cases)} · "
                  f"{words.segments.format(segments=theme.segments)}")
        return (f'{ids[theme.name]}["<b>{mermaid_text(theme.name)}</b><br/>{mermaid_text(words.status(theme.status))} · '
                f'{mermaid_text(counts)}{codes}"]')

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


def to_terminal(material: CodedMaterial, words: MapWords | None = None) -> str:
    """The map as an indented outline: each theme with its prevalence, passages and status (in
    ``words``' language), its codes, then the links."""
    words = words or MapWords()
    by_name = {theme.name: theme for theme in map_themes(material)}
    lines = [words.heading(material.coding)]

    def walk(parent: str | None, depth: int) -> None:
        for theme in [t for t in material.themes if t.parent == parent]:
            shown = by_name[theme.name]
            counts = (f"{words.prevalence.format(cases=shown.cases, of_cases=shown.of_cases)}, "
                      f"{words.segments.format(segments=shown.segments)}, {words.status(theme.status)}")
            lines.append(f"{'  ' * depth}◆ {theme.name}  [{counts}]")
            for code in theme.codes:
                lines.append(f"{'  ' * (depth + 1)}· {code}")
            walk(theme.name, depth + 1)

    walk(None, 0)
    if material.links:
        lines.append("Links:")
        lines += [f"  {source} —{label}→ {target}" for source, target, label in material.links]
    return "\n".join(lines) + "\n"


def export_text(material: CodedMaterial, out: Path, words: MapWords | None = None) -> None:
    """The editable exports: ``.dot`` (Graphviz) and ``.mmd`` (Mermaid), in ``words``' language."""
    if not material.themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    suffix = Path(out).suffix.lower()
    if suffix == ".dot":
        write_private(out, map_dot(material, words=words))
    elif suffix in (".mmd", ".mermaid"):
        write_private(out, to_mermaid(material, words))
    else:
        raise ThematicaError("map text files are .dot or .mmd", path=str(out))
