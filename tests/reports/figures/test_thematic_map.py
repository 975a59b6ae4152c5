"""The thematic map laid out by Graphviz: nothing overlaps, every box says name, status and "k of N
cases", subthemes sit in their parent's frame, links carry their labels, and the exports are escaped."""

from __future__ import annotations

import re

import pydot
import pytest
from lxml import etree

from thematica.reports.figures.thematic_map import thematic_map
from thematica.store.project import open_project
from thematica.themes.data import CodedMaterial, CodedSegment, ThemeInfo, load_material
from thematica.themes.thematic_map import map_dot, mermaid_text, to_mermaid

from tests.conftest import run_cli_in_process


def demo_material(path):
    with open_project(str(path), create=False) as project:
        return load_material(project)


def _outline(figs, group):
    points = [tuple(map(float, pair.split(","))) for shape in group.iter("{http://www.w3.org/2000/svg}polygon",
                                                                       "{http://www.w3.org/2000/svg}path")
              for pair in re.findall(r"-?[\d.]+,-?[\d.]+", shape.get("points") or shape.get("d") or "")]
    return figs.Box(min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
                    max(p[1] for p in points), "frame")


def assert_clean_layout(figs, svg: bytes) -> None:
    drawing = figs.read_graphviz_svg(svg)
    collisions = figs.collisions
    boxes = list(drawing.nodes.values())
    assert collisions(boxes) == []
    assert collisions(drawing.edge_labels) == []
    assert [(label.name, box.name) for label in drawing.edge_labels for box in boxes if label.overlaps(box)] == []
    for name, box in drawing.outlines.items():  # no text sticks out of a theme's box
        if not name.startswith("theme:"):
            continue
        assert [t.name for t in drawing.node_texts[name] if not box.contains(t)] == [], name


def test_demo_map_has_no_overlap_and_says_everything(demo_path, check_formats, figs):
    material = demo_material(demo_path)
    svg = check_formats(lambda fmt: thematic_map(material, fmt))
    assert_clean_layout(figs, svg)
    drawing = figs.read_graphviz_svg(svg)
    text = " ".join(drawing.texts)
    assert "6 of 6 cases" in text and "final" in text and "reviewed" in text and "candidate" in text
    assert 'Schuren & "botsen" <ëï>' in text  # escaped in DOT, whole in the drawing
    link_labels = {" ".join(t.name for t in drawing.node_texts[name]) for name in drawing.nodes
                   if name.startswith("link:")}
    assert link_labels == {"maakt mogelijk", "wordt geoefend in", "voorwaarde voor"}
    assert "Legend" in text and "link (its label)" in text and "passages" in text and "segments" not in text
    edges = [g for g in etree.fromstring(svg).iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"]
    source = map_dot(material)
    label_node = re.search(r'"(link:\d+)" \[[^\n]*maakt mogelijk', source).group(1)  # type: ignore[union-attr]
    into_target = next(g for g in edges if g.findtext("{http://www.w3.org/2000/svg}title", "").startswith(
        label_node + "->theme:De groep"))
    assert into_target.find("{http://www.w3.org/2000/svg}polygon") is not None  # the arrow head: direction shows
    frames = [_outline(figs, g) for g in etree.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "cluster" and "legend" not in (g.findtext("{http://www.w3.org/2000/svg}title") or "")]
    labels = [drawing.nodes[name] for name in drawing.nodes if name.startswith("link:")]
    assert [(b.name, f.name) for b in labels for f in frames if b.overlaps(f) and not f.contains(b)] == []
    parent = drawing.nodes["theme:De groep als spiegel en als schuurpapier"]
    assert frames, "the theme with subthemes is a frame"
    sub = drawing.nodes["theme:Durven spreken"]
    assert sub.y0 > parent.y1  # below its parent, inside the same frame (checked in DOT below)
    cluster = source[source.index("subgraph cluster_"):source.index("  }", source.index("subgraph cluster_"))]
    assert '"theme:Durven spreken"' in cluster and '"theme:De groep als spiegel en als schuurpapier"' in cluster


def test_many_themes_and_long_names_do_not_overlap(figs):
    themes = [ThemeInfo(i, f"Thema nummer {i} met een lange naam die moet worden afgebroken",
                        None if i < 10 else f"Thema nummer {i - 10} met een lange naam die moet worden afgebroken",
                        ("candidate", "reviewed", "final")[i % 3], "", "",
                        [f"Familie {i}/Code met een wat langere naam {i}-{k}" for k in range(4)]) for i in range(15)]
    segments = [CodedSegment(n, "D", "P1", 0, 5, t.codes[0], "consensus", "tekst") for n, t in enumerate(themes)]
    links = [(themes[i].name, themes[(i * 7 + 3) % 15].name, f"relatie {i} ‘met’ quotes") for i in range(12)
             if i != (i * 7 + 3) % 15]
    material = CodedMaterial("consensus", [("D", "P1")], {"D": "tekst"}, {"D": [(0, 5)]}, segments, [], themes,
                             links, {})
    svg = thematic_map(material, "svg")
    assert_clean_layout(figs, svg)
    drawing = figs.read_graphviz_svg(svg)
    assert len([n for n in drawing.nodes if n.startswith("link:")]) == len(links)


def test_a4_option_scales_a_wide_map_to_text_width(demo_path):
    svg = thematic_map(demo_material(demo_path), "svg", fit_a4=True)
    width = float(etree.fromstring(svg).get("width").removesuffix("pt"))
    assert width <= 6.7 * 72 + 1


def test_dot_export_is_valid_and_escaped(demo_path):
    source = map_dot(demo_material(demo_path))
    assert "\\n" not in source  # the old bug: a literal \n in every label
    graphs = pydot.graph_from_dot_data(source)
    assert graphs, "pydot parses the DOT"

    def nodes(graph: pydot.Dot) -> set[str]:
        return {n.get_name().strip('"') for n in graph.get_nodes()} | {
            name for sub in graph.get_subgraphs() for name in nodes(sub)}

    assert {"theme:Durven spreken", "theme:De groep als spiegel en als schuurpapier"} <= nodes(graphs[0])
    assert "Schuren &amp; &quot;botsen&quot; &lt;ëï&gt;" in source


def test_mermaid_export_escapes_what_its_parser_reads(demo_path):
    assert mermaid_text('a "b" <c> | d # e & f') == "a #quot;b#quot; #lt;c#gt; #124; d #35; e #amp; f"
    text = to_mermaid(demo_material(demo_path))
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    assert any(re.fullmatch(r'\s+t\d+\["<b>Schuren #amp; #quot;botsen#quot; #lt;ëï#gt;</b><br/>candidate · \d of 6 cases'
                            r' · \d+ passages(<br/>· [^"<]+)*"\]', line) for line in lines)
    assert any(re.fullmatch(r'\s+t\d+ -\.->\|"maakt mogelijk"\| t\d+', line) for line in lines)
    labels = re.findall(r'"([^"]*)"', text)
    assert all('"' not in label for label in labels)
    assert "classDef final" in text and "subgraph" in text


def test_map_command_writes_each_format(demo_path, tmp_path):
    for suffix in ("svg", "pdf", "png", "dot", "mmd"):
        out = tmp_path / f"map.{suffix}"
        completed = run_cli_in_process("map", str(demo_path), "--out", str(out))
        assert completed.returncode == 0, completed.stderr
        assert out.stat().st_size > 100 and out.stat().st_mode & 0o077 == 0
    bad = run_cli_in_process("map", str(demo_path), "--out", str(tmp_path / "m.gif"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


MAIN = ["Een veilige plek in de groep", "De groep als spiegel", "Van behandeling naar werk",
        "Grenzen leren aangeven", "Omgaan met terugval", "De rol van de therapeut"]
SUB = ["Herkenning bij lotgenoten", "Feedback durven ontvangen", "Werkervaring opdoen",
       "Nee zeggen zonder schuld", "Signalen vroeg herkennen", "Vertrouwen in de begeleiding"]


def big_material() -> CodedMaterial:
    """12 themes (6 main, each with a subtheme), 3 codes each, 9 labelled links, 10 participants."""
    from thematica.coding.codebook import CodeInfo

    themes, codes = [], []
    for i, name in enumerate(MAIN + SUB):
        paths = [f"Thema {i}/{word} {i}" for word in ("Ervaring met", "Betekenis van", "Gevolg voor")]
        codes += [CodeInfo(100 + 3 * i + k, path, path.rsplit("/", 1)[-1], None, "", "", "", "", "")
                  for k, path in enumerate(paths)]
        themes.append(ThemeInfo(i, name, None if i < 6 else MAIN[i - 6], ("candidate", "reviewed", "final")[i % 3],
                                "", "", paths))
    cases = [f"R{k}" for k in range(1, 11)]
    documents = [(f"D{k}", case) for k, case in enumerate(cases)]
    segments = [CodedSegment(n, f"D{n % 10}", cases[n % 10], 0, 5, codes[(n * 7) % len(codes)].path, "consensus",
                             "tekst") for n in range(120)]
    links = [(MAIN[0], MAIN[1], "maakt mogelijk"), (MAIN[1], MAIN[2], "wordt geoefend in"),
             (MAIN[0], MAIN[2], "voorwaarde voor"), (MAIN[3], MAIN[4], "beschermt tegen"),
             (MAIN[5], MAIN[0], "draagt bij aan"), (SUB[1], SUB[3], "versterkt"),
             (MAIN[4], MAIN[2], "bedreigt"), (SUB[5], MAIN[3], "ondersteunt"), (MAIN[2], SUB[2], "vraagt om")]
    return CodedMaterial("consensus", documents, {d: "tekst" for d, _ in documents},
                         {d: [(0, 5)] for d, _ in documents}, segments, codes, themes, links, {})


def _says_everything(figs, svg: bytes, material: CodedMaterial) -> None:
    drawing = figs.read_graphviz_svg(svg)
    for theme in material.themes:  # name, status and "k of N cases" in every box
        box = " ".join(t.name for t in drawing.node_texts[f"theme:{theme.name}"])
        assert theme.status in box and re.search(r"\d+ of \d+ cases", box), box
    assert len([n for n in drawing.nodes if n.startswith("link:")]) == len(material.links)
    assert "Legend" in " ".join(drawing.texts)


@pytest.mark.parametrize("which", ["demo", "big"])
def test_fitted_to_a4_the_smallest_text_prints_at_nine_points(which, demo_path, figs):
    from thematica.reports.figures.thematic_map import A4_LANDSCAPE, A4_PORTRAIT, fit_map, printed_font_points

    material = demo_material(demo_path) if which == "demo" else big_material()
    fitted = fit_map(material)
    page = A4_LANDSCAPE if fitted.landscape else A4_PORTRAIT
    assert fitted.width_cm <= page.width_cm + 0.01 and fitted.height_cm <= page.height_cm + 0.01
    assert printed_font_points(fitted.svg, fitted.width_cm) >= 9.0 - 1e-6
    assert fitted.smallest_points >= 9.0 - 1e-6
    assert_clean_layout(figs, fitted.svg)
    _says_everything(figs, fitted.svg, material)
    if which == "big":  # the big map had to be laid out again: the usual layout is far too wide for A4
        natural = etree.fromstring(thematic_map(material, "svg"))
        assert float(natural.get("width").removesuffix("pt")) > A4_LANDSCAPE.width_cm * 72 / 2.54 * 1.5
        assert fitted.layout.compact


def test_printed_size_counts_the_svg_scale_and_the_print_width():
    from thematica.reports.figures.thematic_map import printed_font_points

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" viewBox="0.00 0.00 200.00 100.00">'
           b'<g transform="scale(0.5 0.5) rotate(0) translate(4 96)"><text font-size="14.00">a</text>'
           b'<text font-size="10.00">b</text><text font-size="6.00"> </text></g></svg>')
    # 10 user units × 0.5 = 5 viewBox units; 200 units printed 400 pt wide (14.11 cm): 10 pt
    assert printed_font_points(svg, 400 / 72 * 2.54) == pytest.approx(10.0)
    assert printed_font_points(svg, 200 / 72 * 2.54) == pytest.approx(5.0)


def test_a_wide_map_for_a4_is_laid_out_again_not_shrunk(demo_path, figs):
    from thematica.reports.figures.thematic_map import printed_font_points, svg_size_points

    material = demo_material(demo_path)
    natural = float(etree.fromstring(thematic_map(material, "svg")).get("width").removesuffix("pt"))
    assert natural > 6.7 * 72 * 1.5  # far wider than the column as usually drawn
    svg = thematic_map(material, "svg", fit_a4=True)
    width, _ = svg_size_points(svg)  # the viewBox: the width attribute is rounded to whole points
    assert width <= 6.7 * 72 + 1
    assert printed_font_points(svg, width / 72 * 2.54) >= 9.0 - 1e-6
    assert_clean_layout(figs, svg)


def _three_long_dutch_themes() -> CodedMaterial:
    """Three main themes with long Dutch names and codes, no subthemes, no links (as a new study starts)."""
    from thematica.coding.codebook import CodeInfo

    names = ["Een veilige plek om patronen te zien", "De groep als spiegel en als schuurpapier",
             "Van behandeling naar werk"]
    leaves = [["Herkenning bij groepsgenoten X", "Werken met het relationele patroon", "Veiligheid en acceptatie"],
              ["Feedback van groepsgenoten", "Spanning en conflict in de groep", "Zich durven uiten in de groep"],
              ["Verbinding met dagelijks leven", "Werk en re-integratie", "Oefenen buiten de therapie"]]
    codes, themes = [], []
    for i, (name, words) in enumerate(zip(names, leaves)):
        paths = [f"Thema {i}/{w}" for w in words]
        codes += [CodeInfo(10 * i + k, path, path.rsplit("/", 1)[-1], None, "", "", "", "", "")
                  for k, path in enumerate(paths)]
        themes.append(ThemeInfo(i, name, None, "candidate", "", "", paths))
    cases = [f"R{k}" for k in range(1, 7)]
    documents = [(f"D{k}", case) for k, case in enumerate(cases)]
    segments = [CodedSegment(n, f"D{n % 6}", cases[n % 6], 0, 5, codes[n % len(codes)].path, "anouk", "tekst")
                for n in range(134)]
    return CodedMaterial("all coders", documents, {d: "tekst" for d, _ in documents},
                         {d: [(0, 5)] for d, _ in documents}, segments, codes, themes, [], {})


def test_dutch_map_keeps_the_full_boxes_when_they_fit(figs):
    """Longer Dutch words must not cost the passage counts or the code names while a full layout fits."""
    from thematica.reports.analysis_report import map_note, map_words
    from thematica.reports.figures.thematic_map import fit_map

    material = _three_long_dutch_themes()
    english, dutch = fit_map(material, words=map_words("en")), fit_map(material, words=map_words("nl"))
    assert not english.layout.compact and not dutch.layout.compact and dutch.layout.codes
    assert dutch.landscape and dutch.width_cm > 20       # the landscape page's width, not a third of it
    drawing = figs.read_graphviz_svg(dutch.svg)
    for theme in material.themes:
        box = " ".join(t.name for t in drawing.node_texts[f"theme:{theme.name}"])
        assert "passages" in box and "van 6 deelnemers" in box, box
        assert "Werken met het relationele patroon" in box or theme.name != material.themes[0].name
    assert_clean_layout(figs, dutch.svg)
    text = " ".join(drawing.texts)  # no links drawn: neither the legend nor the note speaks of them
    assert "verband" not in text and "verband" not in map_note(material, "nl")
    assert "link" not in map_note(material, "en") and "subtheme" not in map_note(material, "en")


def test_one_set_of_words_in_every_map_output(demo_path):
    """The terminal map, the SVG/DOT map and the Mermaid export use the report's words (passages,
    link), and the Mermaid boxes list the codes as the DOT boxes do."""
    from thematica.reports.analysis_report import map_words
    from thematica.themes.thematic_map import MapWords, to_terminal

    report, default = map_words("en"), MapWords()
    for name in ("prevalence", "segments", "legend", "status_key", "box_key", "relation", "subtheme"):
        assert getattr(report, name) == getattr(default, name), name
    material = demo_material(demo_path)
    terminal, mermaid, dot = to_terminal(material), to_mermaid(material), map_dot(material)
    for text in (terminal, mermaid, dot):
        assert "passages" in text and "segment" not in text
    for theme in material.themes:
        for code in theme.codes:
            leaf = mermaid_text(code.rsplit("/", 1)[-1])
            assert f"<br/>· {leaf}" in mermaid, code


def test_map_command_speaks_the_project_language_unless_told(demo_path, tmp_path):
    """`thematica map --out` uses the project's report language (as `thematica report` does), with a
    title of its own in that language; --language overrides it; the .dot export follows it too."""
    from thematica.corpus.project_details import project_details, set_project_details

    with open_project(str(demo_path), create=False) as project:
        before = project_details(project).language
        set_project_details(project, language="nl")
    try:
        texts = {}
        for name, extra in (("project", ()), ("en", ("--language", "en")), ("nl", ("--language", "nl"))):
            out = tmp_path / f"{name}.svg"
            completed = run_cli_in_process("map", str(demo_path), "--out", str(out), *extra)
            assert completed.returncode == 0, completed.stderr
            texts[name] = " ".join(" ".join(t.itertext()) for t in etree.fromstring(out.read_bytes()).iter(
                "{http://www.w3.org/2000/svg}text"))
        assert texts["project"] == texts["nl"]
        assert "Thematische kaart" in texts["nl"] and "deelnemers" in texts["nl"] and "Legenda" in texts["nl"]
        assert "Thematic" not in texts["nl"] and " cases" not in texts["nl"]
        assert "Thematic map" in texts["en"] and "Legend" in texts["en"] and "deelnemers" not in texts["en"]
        dot = tmp_path / "map.dot"
        assert run_cli_in_process("map", str(demo_path), "--out", str(dot)).returncode == 0
        assert "Thematische kaart" in dot.read_text(encoding="utf-8")
        mermaid = tmp_path / "map.mmd"
        assert run_cli_in_process("map", str(demo_path), "--out", str(mermaid)).returncode == 0
        terminal = run_cli_in_process("map", str(demo_path))
        boxes = "\n".join(line for line in mermaid.read_text(encoding="utf-8").splitlines() if '["' in line)
        for text in (boxes, terminal.stdout):  # every output, not only the figures (status ids stay as stored)
            assert "van 6 deelnemers" in text and "voorlopig" in text and " cases" not in text and "candidate" not in text
        assert terminal.stdout.startswith("Thematische kaart")
        english = run_cli_in_process("map", str(demo_path), "--language", "en").stdout
        assert english.startswith("Thematic map") and "of 6 cases" in english and "candidate" in english
        bad = run_cli_in_process("map", str(demo_path), "--out", str(dot), "--language", "de")
        assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    finally:
        with open_project(str(demo_path), create=False) as project:
            set_project_details(project, language=before)
