"""``thematica report`` on the demo project: the results section in Markdown, HTML and DOCX, with
method, themes with definitions and prevalence, quotes with case labels, the map and the codebook."""

from __future__ import annotations

import html.parser
import io
import re

import docx
import pytest
from PIL import Image

from thematica.cli import main
from tests.conftest import demo_project
from thematica.store.project import open_project
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import load_material
from thematica.themes.service import toggle_exemplar

THEMES = ("Een veilige plek om patronen te zien", "De groep als spiegel en als schuurpapier", "Van behandeling naar werk")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = demo_project(tmp_path_factory.mktemp("demo"))
    with open_project(path) as project:
        material = load_material(project)
        theme = material.themes[0]
        chosen = next(s for s in material.segments if s.code in material.theme_codes(theme) and s.case == "R4")
        toggle_exemplar(project, chosen.id, theme.name, "anouk")
    return path, chosen


def _report(path, out, *extra):
    with pytest.raises(SystemExit) as exit_:  # in process: the command, not an interpreter start, is under test
        main(["report", str(path), "--out", str(out), *extra])
    assert exit_.value.code == 0
    return out


def test_markdown_reads_like_a_results_section(demo, tmp_path):
    path, exemplar = demo
    text = _report(path, tmp_path / "results.md").read_text(encoding="utf-8")
    assert text.startswith("# Results") and "## Method" in text and "anouk and bas coded independently" in text
    with open_project(path) as project:
        prevalence = {p.name: p for p in theme_prevalence(load_material(project))}
    for theme in THEMES:
        assert f"### {theme}" in text and f"*{prevalence[theme].wording} participants;" in text
    assert "Cliënten beschrijven dat veiligheid" in text                       # definition, diacritics intact
    assert f"> “{exemplar.text.strip()}” (R4)" in text                           # the marked exemplar, with its case
    assert "![Thematic map of themes, subthemes and codes](results-map.svg)" in text
    assert b"<text" in (tmp_path / "results-map.svg").read_bytes() and not (tmp_path / "results-map.png").exists()
    assert "## Appendix: codebook" in text and "Veiligheid en acceptatie" in text


def test_html_is_well_formed_and_embeds_the_map(demo, tmp_path):
    path, _ = demo
    page = _report(path, tmp_path / "results.html").read_text(encoding="utf-8")
    tags: list[str] = []

    class Checker(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Checker().feed(page)
    assert {"h1", "h2", "h3", "blockquote", "table", "svg"} <= set(tags) and "img" not in tags
    assert all(theme.replace("&", "&amp;") in page for theme in THEMES)


def test_docx_opens_with_themes_quotes_and_the_map(demo, tmp_path):
    path, exemplar = demo
    document = docx.Document(str(_report(path, tmp_path / "results.docx")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert all(theme in text for theme in THEMES) and exemplar.text.strip()[:40] in text
    assert len(document.inline_shapes) == 1 and document.tables
    assert (tmp_path / "results.docx").stat().st_mode & 0o077 == 0


def _cli(*arguments):
    with pytest.raises(SystemExit) as exit_:  # in process: the command is under test, not an interpreter start
        main(list(arguments))
    assert exit_.value.code == 0


@pytest.fixture(scope="module")
def met(tmp_path_factory):
    """The demo with a subtheme added last (so the store lists it after other main themes), a theme
    whose name carries a '#' and HTML, and 5 of the 180 disagreements decided."""
    path = demo_project(tmp_path_factory.mktemp("met"))
    _cli("theme", "add", str(path), "Veiligheid bij de therapeut", "--parent", THEMES[0], "--codes",
         "Therapeutfactoren/Veiligheid en acceptatie")
    _cli("theme", "add", str(path), "Thema # kop <script>x</script>")  # a line break is refused at entry
    _cli("consensus", "open", str(path), "--coders", "anouk,bas", "--as", "anouk")
    for _ in range(5):
        _cli("consensus", "decide", str(path), "--coders", "anouk,bas", "keep_a", "--as", "anouk")
    return path


def test_no_command_line_text_and_the_decided_share_is_stated(met, tmp_path, demo):
    text = _report(met, tmp_path / "r.md").read_text(encoding="utf-8")
    union = _report(demo[0], tmp_path / "u.md").read_text(encoding="utf-8")
    for report in (text, union):
        assert "--" not in report.replace("---", "").replace("--:", "") and "thematica " not in report
    assert "5 of the 180 passages on which the coders differed have been decided (keep A 5); 175 are still open" in text
    assert "resolved" not in text
    assert "no consensus coding yet" in union


def test_subthemes_sit_under_their_parent(met, tmp_path):
    lines = _report(met, tmp_path / "r.md").read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines if line.startswith("#")]
    parent = headings.index(f"### {THEMES[0]}")
    assert headings[parent + 1] == "#### Veiligheid bij de therapeut"
    assert "### Thema # kop &lt;script&gt;x&lt;/script&gt;" in headings            # one heading, escaped
    assert not any(line.startswith("# kop") for line in lines)


def test_html_embeds_the_map_and_requests_nothing(met, tmp_path):
    out = tmp_path / "r.html"
    page = _report(met, out).read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "<script>" not in page
    assert not [f for f in tmp_path.iterdir() if f.suffix == ".png"]
    assert not re.search(r"(src|href)=['\"](?!#)", page) and "url(http" not in page


def test_docx_map_labels_print_at_nine_points_or_more(met, tmp_path):
    from thematica.reports.analysis_report import thematic_map_figure
    from thematica.reports.figures.thematic_map import printed_font_points

    document = docx.Document(str(_report(met, tmp_path / "r.docx", "--language", "nl")))
    shape = document.inline_shapes[0]
    with open_project(met) as project:
        figure = thematic_map_figure(load_material(project), "nl")
    # the width as stored in the DOCX (whole EMUs, 1/360 000 cm): 9 pt to within its rounding
    assert figure is not None and figure.svg is not None and printed_font_points(figure.svg, shape.width.cm) >= 8.999
    assert abs(shape.width.cm - figure.width_cm) < 0.05
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert len(landscape) == int(figure.landscape) and all(round(s.page_width.mm) == 297 for s in landscape)
    page = landscape[0] if landscape else document.sections[0]
    assert shape.width <= page.page_width - page.left_margin - page.right_margin     # within the text width
    assert shape.height <= page.page_height - page.top_margin - page.bottom_margin
    with Image.open(io.BytesIO(figure.png or b"")) as image:                              # crisp: 300 dpi as printed
        assert image.width / (shape.width.cm / 2.54) >= 295
    assert b"graphviz" in figure.svg and b"van 6 deelnemers" in figure.svg and b"Legenda" in figure.svg
    text = [p.text for p in document.paragraphs]
    assert "Resultaten" in text and "Figuur 1" in text and "Tabel 1" in text
    assert any("5 van de 180 passages" in t for t in text)
    assert document.core_properties.author == "anouk" and document.core_properties.language == "nl-NL"  # the demo's lead


def test_the_map_speaks_the_reports_language(demo):
    from thematica.reports.analysis_report import thematic_map_figure

    path, _ = demo
    with open_project(path) as project:
        material = load_material(project)
    dutch, english = thematic_map_figure(material, "nl"), thematic_map_figure(material, "en")
    assert dutch is not None and english is not None
    assert re.search(rb"\d van \d", dutch.svg) and not re.search(rb"\d of \d", dutch.svg)
    assert re.search(rb"\d of \d", english.svg)


# "of" is Dutch too ("or"), so the English words looked for are ones Dutch does not have
ENGLISH = re.compile(r"\b(the|and|with|union|coders?|participants|segments|cases|Legend|Note|Figure|Table|"
                     r"candidate|reviewed|final|fill colour|link|frame)\b")
DUTCH_SYNONYMS = re.compile(r"(?i)\b(casus\w*|respondent\w*|codeur\w*|vereniging)\b")


def test_the_dutch_report_and_its_map_have_no_english_left(demo, tmp_path):
    path, _ = demo
    text = _report(path, tmp_path / "r.md", "--language", "nl").read_text(encoding="utf-8")
    assert "coderingen van alle beoordelaars samen" in text and "Beoordelaars: anouk, bas." in text
    assert ENGLISH.findall(text) == []
    # one Dutch word each, as the Dutch seed papers write them: deelnemers (not casussen or respondenten),
    # beoordelaars (not codeurs), and the coders' codings together (not a literal "vereniging", union)
    assert DUTCH_SYNONYMS.findall(text) == [] and "deelnemers" in text
    svg = (tmp_path / "r-map.svg").read_bytes().decode("utf-8")
    words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert ENGLISH.findall(words) == [] and "Legenda" in words and "voorlopig" in words
    assert DUTCH_SYNONYMS.findall(words) == [] and "van 6 deelnemers" in words


def test_docx_case_lists_get_their_whole_width(demo, tmp_path):
    """'R1, R2, R3, R4, R5, R6' fits a third of the line, so it is never broken before 'R6'."""
    from thematica.reports.writers.docx import CELL_PADDING_CM, text_width_cm

    path, _ = demo
    document = docx.Document(str(_report(path, tmp_path / "r.docx", "--language", "nl")))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells[1:3]] == ["Aantal deelnemers", "Deelnemers"]
    longest = max((row.cells[2].text for row in table.rows[1:]), key=text_width_cm)
    assert longest == "R1, R2, R3, R4, R5, R6"
    assert table.columns[2].width.cm >= text_width_cm(longest) * 1.08 + CELL_PADDING_CM - 0.01
    assert table.columns[3].width.cm >= text_width_cm("Passages") * 1.08 + CELL_PADDING_CM - 0.01
