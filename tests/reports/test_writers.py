"""The three writers read back from their files: APA tables in DOCX (rules, repeated header, caption,
widths, A4, core properties), self-contained HTML, escaped Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import docx
import pytest
from docx.oxml.ns import qn

from thematica.reports import numbers
from thematica.reports.document import Document, Figure, Paragraph, Quote, Row, Section, Table
from thematica.reports.writers import write_document
from thematica.reports.writers.docx import column_widths, text_width_cm

LONG = "Therapeutische factoren/Veiligheid en acceptatie"
SVG = (b"<?xml version='1.0'?><!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN' "
       b"'http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd'><svg xmlns='http://www.w3.org/2000/svg' width='10' "
       b"height='10'><rect width='10' height='10'/></svg>")


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(2, 1))
    axes.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def _document(rows: int = 80, language: str = "en") -> Document:
    table = Table("Agreement per code", ("Code", "κ", "d [95% CI]", "p", "Both"),
                  tuple(Row((f"{LONG} {i}", numbers.number(-0.001 * i), numbers.estimate_interval(-0.3, -0.52, 0.04),
                             numbers.p_value(0.0004), "12")) for i in range(rows)),
                  note="κ = Cohen's kappa.")
    return Document("Results", (Section("Method", (Paragraph.of("Bell \x07 and escape \x1b[31m"), table,
                                                   Quote("Ik voelde me veilig <script>", "R4"),
                                                   Figure("Map", svg=SVG, png=_png()))),),
                    author="Anouk de Vries", language=language)


@pytest.fixture()
def written(tmp_path):
    out = write_document(_document(), tmp_path / "r.docx")
    return docx.Document(str(out))


def test_docx_pages_are_a4_with_margins_and_properties_from_the_project(written):
    for section in written.sections:
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
        assert {round(m.cm, 2) for m in (section.left_margin, section.right_margin, section.top_margin)} == {2.5}
    core = written.core_properties
    assert core.author == "Anouk de Vries" and core.last_modified_by == "Anouk de Vries" and core.title == "Results"
    assert "python-docx" not in (core.comments + core.author + core.last_modified_by)


def test_docx_table_has_horizontal_rules_only_and_a_repeated_header(written):
    table = written.tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    values = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
    assert values == {"top": "single", "bottom": "single", "left": "nil", "right": "nil", "insideH": "nil",
                      "insideV": "nil"}
    assert table.style is None or table.style.name in ("Normal Table", "Table Normal")
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    under = header.cells[1]._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom"))
    assert under.get(qn("w:val")) == "single"
    assert not table._tbl.xpath(".//w:shd")                                      # no shading


def test_docx_caption_above_note_below(written):
    paragraphs = written.paragraphs
    texts = [p.text for p in paragraphs]
    number = texts.index("Table 1")
    assert paragraphs[number].runs[0].bold and paragraphs[number].paragraph_format.keep_with_next
    assert texts[number + 1] == "Agreement per code" and paragraphs[number + 1].runs[0].italic
    body = written.element.body
    table_position = list(body).index(written.tables[0]._tbl)
    note = list(body)[table_position + 1]
    assert "".join(note.itertext()).startswith("Note. κ = Cohen's kappa.")


def test_docx_widths_keep_every_word_whole(written):
    table = written.tables[0]
    for column, cell in enumerate(table.rows[1].cells):
        tokens = [t for text in (c.cells[column].text for c in table.rows) for t in re.split(r"[ ]", text) if t]
        longest = max(text_width_cm(token) for token in tokens)
        assert cell.width.cm >= longest + 0.3
    ci = table.rows[1].cells[2].text
    assert "\u2212" in ci and "\u00a0" in ci and "-" not in ci


def test_a_table_too_wide_for_portrait_gets_a_landscape_section(tmp_path):
    wide = Table("Wide", tuple(f"Column{i}" for i in range(14)),
                 (Row(tuple(f"Langewoord{i}" for i in range(14))),))
    widths, fits = column_widths(wide, 16.0)
    assert not fits
    narrow = Table("Narrow", ("A", "B"), (Row(("1", "2")),))
    out = write_document(Document("W", (narrow, wide)), tmp_path / "w.docx")
    sections = docx.Document(str(out)).sections
    assert any(round(s.page_width.mm) == 297 for s in sections) and round(sections[-1].page_width.mm) == 210


def test_docx_survives_control_characters_and_embeds_the_figure(written):
    text = "\n".join(p.text for p in written.paragraphs)
    assert "Bell \u2407 and escape \u241b[31m" in text
    assert len(written.inline_shapes) == 1 and "Figure 1" in text


def test_dutch_table_words(tmp_path):
    out = write_document(_document(3, "nl"), tmp_path / "nl.docx")
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Tabel 1" in text and any(t.startswith("Noot.") for t in text) and "Figuur 1" in text


def test_html_is_self_contained_and_escapes(tmp_path):
    page = write_document(_document(3), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    sources: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag not in ("link", "script", "img", "iframe")
            sources.extend(value for name, value in attrs if name in ("src", "href") and value)

    Links().feed(page)
    assert sources == [] and "<svg" in page and "DOCTYPE svg" not in page
    assert "border-left" not in page and "th{border-bottom:1px solid #000" in page


def test_markdown_escapes_html_and_line_breaks(tmp_path):
    table = Table("T", ("Theme", "n"), (Row(("Veilig\n# Kop <b>x</b>", "1")),))
    document = Document("R", (Section("Thema\n# geïnjecteerd", (Paragraph.of("# niet een kop\n> geen citaat"), table)),))
    text = write_document(document, tmp_path / "r.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "## Thema # geïnjecteerd" in lines and not any(line.startswith("# niet") for line in lines)
    assert "\\# niet een kop &gt; geen citaat" in lines
    assert "| Veilig # Kop &lt;b&gt;x&lt;/b&gt; | 1 |" in lines and "|---|--:|" in lines
    assert "**Table 1**" in lines and "*T*" in lines


def test_numbers_follow_apa():
    assert numbers.number(-0.001) == "0.00" and numbers.number(-0.005001) == "\u22120.01"
    assert numbers.p_value(0.0004) == "<\u00a0.001" and numbers.p_value(0.0456) == ".046"
    assert numbers.p_value(0.0456, "nl") == ",046" and numbers.number(1.5, 2, "nl") == "1,50"
    assert numbers.interval(-0.5, 0.25) == "[\u22120.50,\u00a00.25]"
    assert numbers.interval(-0.5, 0.25, 2, "nl") == "[\u22120,50;\u00a00,25]"
    assert numbers.number(None) == "—" and numbers.number(float("nan")) == "—"
    assert numbers.count_percent(44, 75.86, denominator=58) == "44/58\u00a0(75.9)"


def test_a_document_whose_every_table_is_wide_is_landscape_throughout(tmp_path):
    wide = Table("Wide", tuple(f"Column{i}" for i in range(14)), (Row(tuple(f"Langewoord{i}" for i in range(14))),))
    out = write_document(Document("W", (Paragraph.of("Een regel."), wide)), tmp_path / "w.docx")
    sections = docx.Document(str(out)).sections
    assert len(sections) == 1 and round(sections[0].page_width.mm) == 297
