"""The coded transcript: lines keep their offsets, every segment is a stripe beside its lines,
overlaps get parallel columns, turns and attributes show, and the three formats carry it all."""

from __future__ import annotations

import io

from hypothesis import given, settings, strategies as st

from thematica.reports.figures.transcript import build, to_docx, to_html, to_pdf, wrap

from tests.conftest import run_cli_in_process

TEXT = ("Interview R9 – één gesprek\n\nI: Hoe was de groep voor jou, in het begin van de behandeling?\n"
        "R: Eerst eng. Later voelde ik me veilig, ook bij de therapeut, en durfde ik te praten over "
        "wat er thuis gebeurde met mijn partner en mijn kinderen. 😊 Café-gesprekken hielpen ook.\n"
        "I: Mooi.\n")


def coded():
    start = TEXT.index("Eerst")
    safe = TEXT.index("veilig")
    segments = [("Groep/Spanning", start, start + 10), ("Groep/Veiligheid", safe, TEXT.index("kinderen")),
                ("Therapeut", TEXT.index("therapeut"), TEXT.index("therapeut") + 9),
                ("Effect", TEXT.index("Café"), len(TEXT) - 10)]
    return build("R9", "Cem", "consensus", TEXT, segments, {"geslacht": "man", "leeftijd": "41"}, width=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "woord", "langerwoordzonderspatie", " ", "\n", "ë"]), max_size=60),
       st.integers(8, 30))
def test_wrap_keeps_offsets_and_width(pieces, width):
    text = "".join(pieces)
    spans = wrap(text, width)
    for start, end in spans:
        line = text[start:end]
        assert "\n" not in line and line == line.rstrip() and line.strip()
        assert len(line) <= width or " " not in line
    assert [w for s, e in spans for w in text[s:e].split()] == text.split()


def test_stripes_sit_beside_their_lines_and_overlaps_get_columns():
    t = coded()
    assert sorted(s.code for s in t.stripes) == ["Effect", "Groep/Spanning", "Groep/Veiligheid", "Therapeut"]
    assert all(t.lines[s.first].start < t.lines[s.last].end for s in t.stripes)
    by_code = {s.code: s for s in t.stripes}
    safe, therapist = by_code["Groep/Veiligheid"], by_code["Therapeut"]
    assert safe.first <= therapist.first <= safe.last and safe.column != therapist.column
    therapist_offset = TEXT.index("therapeut")
    line = t.lines[therapist.first]
    assert line.start <= therapist_offset < line.end
    assert t.columns >= 2
    starts = [line for line in t.lines if line.turn_start]
    assert [line.speaker for line in starts] == [None, "I", "R", "I"]  # the heading, then the turns


def test_html_docx_pdf_carry_lines_codes_turns_and_attributes(check_formats, figs):
    t = coded()
    page = to_html(t)
    assert "geslacht: man; leeftijd: 41" in page and "Groep/Veiligheid" in page and "😊" in page
    assert page.count('<td class="number">') == len(t.lines) and "<b>R</b>" in page
    from docx import Document

    document = Document(io.BytesIO(to_docx(t)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Case Cem (geslacht: man; leeftijd: 41)" in text
    table = document.tables[0]
    assert len(table.rows) == len(t.lines) and len(table.columns) == 3 + t.columns
    assert any("Café" in row.cells[1].text for row in table.rows)
    assert "Groep/Veiligheid" in "\n".join(row.cells[-1].text for row in table.rows)
    pdf = to_pdf(t)
    assert figs.pdf_font_types(pdf) <= {"/TrueType", "/CIDFontType2"}
    from pypdf import PdfReader

    extracted = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Coded transcript: R9" in extracted and "één" in extracted and "Veiligheid" in extracted


def test_transcript_command(demo_path, tmp_path):
    for suffix in ("html", "docx", "pdf"):
        out = tmp_path / f"r1.{suffix}"
        done = run_cli_in_process("transcript", str(demo_path), "R1", "--coder", "anouk", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 2000 and out.stat().st_mode & 0o077 == 0
    bad = run_cli_in_process("transcript", str(demo_path), "R1", "--out", str(tmp_path / "x.txt"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    missing = run_cli_in_process("transcript", str(demo_path), "R99", "--out", str(tmp_path / "x.html"))
    assert missing.returncode == 2 and not (tmp_path / "x.html").exists()


def _page_texts(pdf: bytes) -> list[list[tuple[str, float]]]:
    """Every page's text pieces with their baseline height (pt from the bottom), via pypdf."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces: list[tuple[str, float]] = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: pieces.append((text, cm[5] + tm[5]))
                          if text.strip() else None)
        pages.append(pieces)
    return pages


def test_pdf_body_never_reaches_the_page_footer():
    """A long transcript: on every page (the first holds the header too) the lowest line stays a
    line's height above the footer, and every line number appears once, in order."""
    text = "\n".join(f"{'I' if n % 2 else 'R'}: Regel {n} van het gesprek, met wat woorden erbij." for n in range(150))
    t = build("R1", "Anna", "anouk", text, [("Code", 0, 30), ("Code/Lang", 40, len(text) - 5)], {}, width=60)
    pages = _page_texts(to_pdf(t))
    assert len(pages) >= 3
    numbers = []
    for number, pieces in enumerate(pages, start=1):
        footer = [y for piece, y in pieces if piece == f"R1, page {number}"]
        assert len(footer) == 1, number
        body = [(piece, y) for piece, y in pieces if piece != f"R1, page {number}"]
        lowest = min(y for _, y in body)
        assert lowest > footer[0] + 6.5 + 7, (number, lowest, footer[0])  # footer height plus a line of 7 pt
        numbers += [int(piece) for piece, _ in sorted(body, key=lambda p: -p[1]) if piece.isdigit()]
    assert numbers == [line.number for line in t.lines]


def test_docx_rows_stay_one_line_high():
    """Long code names and two codes starting on one line: every margin label is one line that fits
    its column (full path, else its own name, else cut with "…"), one label per row, rows exactly
    one line high, and the legend under the table gives the full names."""
    from docx import Document
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    from thematica.reports.figures.transcript import margin_label, text_points

    long_one = "Specifieke DIT-interventies/Werken met het relationele patroon in de groep en daarbuiten"
    start = TEXT.index("Eerst")
    t = build("R9", "Cem", "consensus", TEXT, [(long_one, start, start + 30), ("Groep/Spanning", start, start + 10),
                                               ("Therapeutfactoren/Veiligheid en acceptatie", start, start + 20)],
              {}, width=40)
    table = Document(io.BytesIO(to_docx(t))).tables[0]
    width = (table.columns[-1].width.cm - 0.4) * 72 / 2.54
    labels = []
    for row in table.rows:
        assert row.height_rule == WD_ROW_HEIGHT_RULE.EXACTLY
        texts = [p.text for p in row.cells[-1].paragraphs if p.text.strip()]
        assert len(texts) <= 1
        labels += texts
    assert len(labels) == 3 and all(text_points(label) <= width for label in labels)
    assert "■ Groep/Spanning" in labels and any(label.endswith("…") for label in labels)
    document_text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(t))).paragraphs)
    assert long_one in document_text  # the legend: the full name
    assert margin_label("A/B", 50) == "A/B" and margin_label("Lang/" + "x" * 80, 60).endswith("…")


def test_margin_label_bisection_finds_the_longest_shortening_that_fits():
    """The same label as trying every length from the longest down, on names of every width."""
    from thematica.reports.figures.transcript import margin_label, text_points

    def by_every_length(code: str, points: float) -> str:
        for candidate in (code, code.rsplit("/", 1)[-1]):
            if text_points("■ " + candidate) <= points:
                return candidate
        name = code.rsplit("/", 1)[-1]
        for end in range(len(name) - 1, 0, -1):
            if text_points("■ " + name[:end].rstrip() + "…") <= points:
                return name[:end].rstrip() + "…"
        return "…"

    names = ["Familie/Werken met het relationele patroon in de groep", "Ervaring/één naïeve café-ervaring",
             "WWWWWW iiiiii WWWWWW", "Kort"]
    for code in names:
        for points in (8, 14, 25, 40, 60, 90, 140):
            assert margin_label(code, points) == by_every_length(code, points), (code, points)
