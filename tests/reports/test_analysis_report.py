"""``thematica report`` on the demo project: the results section in Markdown, HTML and DOCX, with
method, themes with definitions and prevalence, quotes with case labels, the map and the codebook."""

from __future__ import annotations

import html.parser

import docx
import pytest

from thematica.cli import main
from thematica.demo import build_demo
from thematica.store.project import open_project
from thematica.themes.analysis import theme_prevalence
from thematica.themes.data import load_material
from thematica.themes.service import toggle_exemplar

THEMES = ("Een veilige plek om patronen te zien", "De groep als spiegel en als schuurpapier", "Van behandeling naar werk")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = build_demo(tmp_path_factory.mktemp("demo"))
    with open_project(path) as project:
        material = load_material(project)
        theme = material.themes[0]
        chosen = next(s for s in material.segments if s.code in material.theme_codes(theme) and s.case == "R4")
        toggle_exemplar(project, chosen.id, theme.name, "anouk")
    return path, chosen


def _report(path, out):
    with pytest.raises(SystemExit) as exit_:  # in process: the command, not an interpreter start, is under test
        main(["report", str(path), "--out", str(out)])
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
    assert "![Thematic map](results-map.png)" in text and (tmp_path / "results-map.png").read_bytes()[:4] == b"\x89PNG"
    assert "## Appendix: codebook" in text and "Veiligheid en acceptatie" in text


def test_html_is_well_formed_and_embeds_the_map(demo, tmp_path):
    path, _ = demo
    page = _report(path, tmp_path / "results.html").read_text(encoding="utf-8")
    tags: list[str] = []

    class Checker(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Checker().feed(page)
    assert {"h1", "h2", "h3", "blockquote", "table", "img"} <= set(tags)
    assert all(theme.replace("&", "&amp;") in page for theme in THEMES)


def test_docx_opens_with_themes_quotes_and_the_map(demo, tmp_path):
    path, exemplar = demo
    document = docx.Document(str(_report(path, tmp_path / "results.docx")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert all(theme in text for theme in THEMES) and exemplar.text.strip()[:40] in text
    assert len(document.inline_shapes) == 1 and document.tables
    assert (tmp_path / "results.docx").stat().st_mode & 0o077 == 0
