"""PDF, ODT, RTF and HTML readers, on files the tests make: text, paragraphs, speaker turns, Dutch letters."""

from __future__ import annotations

import pytest

from thematica.corpus.readers import read_document
from thematica.corpus.segmentation import segment_text
from thematica.corpus.turns import parse_turns
from thematica.errors import ThematicaError

LINES = ["I: Hoe ging het in de groep?", "R: Eerst spannend. Ideeën van één groepsgenoot hielpen.",
         "I: En daarna?", "R: Daarna voelde ik me veilig."]


def _speakers(text: str) -> list[str | None]:
    return [turn.speaker for turn in parse_turns(text)]


def _make_pdf(path, lines, *, text_layer: bool = True):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["pdf.fonttype"] = 42
    figure = plt.figure(figsize=(8.27, 11.69))
    if text_layer:
        for number, line in enumerate(lines):
            figure.text(0.08, 0.92 - number * 0.04, line, fontsize=11)
    else:
        import numpy as np

        figure.figimage(np.random.default_rng(1).random((200, 200)), 50, 50)  # a "scan": pixels only
    figure.savefig(path, format="pdf")
    plt.close(figure)
    return path


def test_pdf_text_with_turns_and_wrapped_lines(tmp_path):
    wrapped = [*LINES[:3], "R: Daarna voelde ik me", "veilig, ook zelf-", "standig."]
    read = read_document(_make_pdf(tmp_path / "R1.pdf", wrapped))
    assert read.format == "pdf"
    assert read.text == "\n".join([*LINES[:3], "R: Daarna voelde ik me veilig, ook zelfstandig."]) + "\n"
    assert _speakers(read.text) == ["I", "R", "I", "R"]


def test_a_pdf_without_a_text_layer_is_refused(tmp_path):
    with pytest.raises(ThematicaError, match=r"no text layer \(scanned\?\)"):
        read_document(_make_pdf(tmp_path / "scan.pdf", [], text_layer=False))


def test_a_damaged_pdf_is_refused_in_one_line(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    with pytest.raises(ThematicaError, match="PDF"):
        read_document(path)


def test_odt_headings_paragraphs_and_tables_in_order(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Interview R1"))
    for line in LINES[:2]:
        document.text.addElement(P(text=line))
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=1))
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text=LINES[2]))
    row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(P(text=LINES[3]))
    path = tmp_path / "R2.odt"
    document.save(str(path))
    read = read_document(path)
    assert read.format == "odt"
    assert read.text == "\n".join(["Interview R1", *LINES]) + "\n"
    assert _speakers(read.text) == [None, "I", "R", "I", "R"]


def test_odt_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "bad.odt"
    path.write_text("geen odt")
    with pytest.raises(ThematicaError, match="not a readable .odt"):
        read_document(path)


def test_rtf_with_code_page_escapes_and_unicode(tmp_path):
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}\f0 I: Hoe ging het in de groep?\par "
           r"R: Eerst spannend. Idee\'ebn van \'e9\'e9n groepsgenoot hielpen.\par "
           r"I: En daarna?\par R: Daarna voelde ik me veilig \u-10179?\u-8694?.\par}")
    path = tmp_path / "R3.rtf"
    path.write_bytes(rtf.encode("ascii"))
    read = read_document(path)
    assert read.format == "rtf"
    assert read.text.splitlines()[:3] == LINES[:3]
    assert read.text.splitlines()[3] == "R: Daarna voelde ik me veilig 😊."  # a surrogate pair, joined
    assert _speakers(read.text) == ["I", "R", "I", "R"]


def test_a_file_called_rtf_that_is_not_rtf_is_refused(tmp_path):
    path = tmp_path / "bad.rtf"
    path.write_text("gewoon tekst")
    with pytest.raises(ThematicaError, match="not an RTF file"):
        read_document(path)


def test_html_drops_scripts_and_styles_and_keeps_blocks(tmp_path):
    html = ("<!DOCTYPE html><html><head><title>R4</title><style>p { color: red }</style>"
            "<script>alert('geen tekst')</script></head><body>"
            f"<h1>Interview R4</h1><p>{LINES[0]}</p>\n<p>R: Eerst\n   spannend. Ideeën van<br>één groepsgenoot hielpen.</p>"
            f"<script>var x = 1;</script><div>{LINES[2]}</div><ul><li>{LINES[3]}</li></ul>"
            "<noscript>zet javascript aan</noscript><!-- opmerking --></body></html>")
    path = tmp_path / "R4.html"
    path.write_text(html, encoding="utf-8")
    read = read_document(path)
    assert read.format == "html"
    assert read.text == ("Interview R4\n" + LINES[0] + "\nR: Eerst spannend. Ideeën van\néén groepsgenoot hielpen.\n"
                         + LINES[2] + "\n" + LINES[3] + "\n")
    assert "alert" not in read.text and "color" not in read.text and "javascript" not in read.text
    units = segment_text(read.text, "nl", parse_turns(read.text))
    assert sum(unit.kind == "paragraph" for unit in units) == 6


def test_html_in_cp1252(tmp_path):
    path = tmp_path / "R5.htm"
    path.write_bytes("<p>R: Ideeën over één café.</p>".encode("cp1252"))
    assert read_document(path).text == "R: Ideeën over één café.\n"
