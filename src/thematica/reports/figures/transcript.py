"""The coded transcript (an appendix of a qualitative paper): the text in numbered lines with the codes
in the right-hand margin beside the lines they cover, as HTML, DOCX or PDF.

Layout, the same in every format: the text is wrapped to ``WIDTH`` characters (offsets kept, so a
line is a half-open span of the stored text); each segment becomes a stripe over the lines it
touches; overlapping stripes get their own columns (greedy interval colouring, the first free
column), so overlaps show as parallel stripes; each code's name is written once, on the first line
of its stripe (pushed down to the next free line in the PDF when two stripes start together).
Speaker turns are distinct: the label in bold, the interviewer's turns in grey italics, a rule
between turns. The header gives document, case, the case's attributes and whose coding it is.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from dataclasses import asdict, dataclass, field

from thematica.corpus.turns import is_interviewer, parse_turns
from thematica.reports.figures.qualitative import PALETTE

WIDTH = 78


@dataclass(frozen=True)
class Line:
    number: int
    start: int
    end: int
    text: str
    speaker: str | None
    turn_start: bool  # the first line of a speaker turn


@dataclass(frozen=True)
class Stripe:
    code: str
    first: int  # index into lines
    last: int
    column: int
    colour: str


@dataclass
class CodedTranscript:
    document: str
    case: str
    coding: str
    attributes: dict[str, str]
    lines: list[Line]
    stripes: list[Stripe]
    columns: int
    labels: dict[int, list[Stripe]] = field(default_factory=dict)  # line index → stripes starting there

    def to_dict(self) -> dict[str, object]:
        return {"document": self.document, "case": self.case, "coding": self.coding, "attributes": self.attributes,
                "lines": [line.__dict__ for line in self.lines], "stripes": [s.__dict__ for s in self.stripes]}


def wrap(text: str, width: int = WIDTH) -> list[tuple[int, int]]:
    """Spans of printed lines: each paragraph (``\\n``-separated) cut at spaces to at most ``width``
    characters (a longer word gets a line of its own); empty paragraphs are left out."""
    spans = []
    position = 0
    for paragraph in text.split("\n"):
        start = position
        position += len(paragraph) + 1
        if not paragraph.strip():
            continue
        line_start = line_end = start + len(paragraph) - len(paragraph.lstrip())
        for word in re.finditer(r"\S+\s*", paragraph):
            word_start = start + word.start()
            visible_end = start + word.start() + len(word.group().rstrip())
            if visible_end - line_start > width and line_end > line_start:
                spans.append((line_start, line_end))
                line_start = word_start
            line_end = visible_end
        spans.append((line_start, line_end))
    return spans


def build(document: str, case: str, coding: str, text: str, segments: list[tuple[str, int, int]],
          attributes: dict[str, str], width: int = WIDTH) -> CodedTranscript:
    turns = parse_turns(text)
    lines = []
    seen_turns: set[int] = set()
    for number, (start, end) in enumerate(wrap(text, width), start=1):
        turn = next((i for i, t in enumerate(turns) if t.start <= start < max(t.end, t.start + 1)), None)
        speaker = turns[turn].speaker if turn is not None else None
        opens = turn is not None and turn not in seen_turns
        if turn is not None:
            seen_turns.add(turn)
        lines.append(Line(number, start, end, text[start:end], speaker, opens))
    codes = sorted({code for code, _, _ in segments})
    colour = {code: PALETTE[i % (len(PALETTE) - 1)] for i, code in enumerate(codes)}
    occupied: list[int] = []  # per column: the last line index it is taken to
    stripes = []
    for code, start, end in sorted(segments, key=lambda s: (s[1], -s[2], s[0])):
        covered = [i for i, line in enumerate(lines) if line.start < end and start < line.end]
        if not covered:
            continue
        first, last = covered[0], covered[-1]
        column = next((c for c, taken in enumerate(occupied) if taken < first), len(occupied))
        if column == len(occupied):
            occupied.append(last)
        else:
            occupied[column] = last
        stripes.append(Stripe(code, first, last, column, colour[code]))
    transcript = CodedTranscript(document, case, coding, attributes, lines, stripes, len(occupied))
    for stripe in stripes:
        transcript.labels.setdefault(stripe.first, []).append(stripe)
    return transcript


def _header(t: CodedTranscript) -> list[str]:
    attributes = "; ".join(f"{k}: {v}" for k, v in t.attributes.items()) or "no case attributes"
    return [f"Coded transcript: {t.document}", textwrap.shorten(f"Case {t.case} ({attributes})", 150, placeholder="…)"),
            f"Coding: {t.coding}; {len(t.stripes)} segments; line numbers every line; codes in the right margin"]


def to_html(t: CodedTranscript) -> str:
    header = _header(t)
    rows = []
    for index, line in enumerate(t.lines):
        cells = []
        for column in range(t.columns):
            stripe = next((s for s in t.stripes if s.column == column and s.first <= index <= s.last), None)
            cells.append(f'<td class="stripe" style="background:{stripe.colour}" title="{html.escape(stripe.code)}">'
                         "</td>" if stripe else '<td class="stripe"></td>')
        labels = "<br>".join(f'<span style="color:{s.colour}">■</span> {html.escape(s.code)}'
                             for s in t.labels.get(index, []))
        classes = " ".join(c for c in ("turn" if line.turn_start else "",
                                       "interviewer" if is_interviewer(line.speaker) else "") if c)
        text = html.escape(line.text)
        if line.turn_start and line.speaker and line.text.startswith(line.speaker):
            text = f"<b>{html.escape(line.speaker)}</b>{html.escape(line.text[len(line.speaker):])}"
        rows.append(f'<tr class="{classes}"><td class="number">{line.number}</td><td class="text">{text}</td>'
                    f'{"".join(cells)}<td class="codes">{labels}</td></tr>')
    style = ("body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;margin:2em}"
             "table{border-collapse:collapse}td{padding:1px 4px;vertical-align:top}"
             ".number{color:#888;text-align:right;font-size:8pt;width:2.5em}.text{width:42em;white-space:pre-wrap}"
             ".stripe{width:5px;padding:0;border-left:1px solid white}.codes{font-size:8pt;width:18em}"
             "tr.turn td{border-top:1px solid #CCC}tr.interviewer .text{color:#666;font-style:italic}"
             "h1{font-size:14pt}p.meta{color:#444;margin:0.2em 0}")
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(header[0])}</title>'
            f"<style>{style}</style></head><body><h1>{html.escape(header[0])}</h1>"
            + "".join(f'<p class="meta">{html.escape(h)}</p>' for h in header[1:])
            + f"<table>{''.join(rows)}</table></body></html>\n")


DOCX_ROW_POINTS = 10.0  # every row exactly one line of 7.5-pt text high
DOCX_CELL_MARGINS_CM = 0.4  # Word's default left and right cell margins together
LABEL_POINTS = 7.0


def text_points(text: str, size: float = LABEL_POINTS) -> float:
    """The width of ``text`` in points at ``size`` pt, measured in DejaVu Sans (FreeType): a font
    wider than the ones Word and LibreOffice set a DOCX in, so what fits here fits there."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    font = FT2Font(findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(size, 72)
    font.set_text(text)
    return float(font.get_width_height()[0]) / 64


def margin_label(code: str, points: float) -> str:
    """A code's margin label on ONE line at most ``points`` wide (with its colour mark "■ "): the
    full path when it fits, else the code's own name (its last part), shortened with "…" when that
    is still too long (the full names stand in the legend under the transcript). The longest
    shortening that fits is found by bisection (a longer prefix is never narrower), about 7
    measurements instead of one per character (each costs about 1.4 ms)."""
    def fits(text: str) -> bool:
        return text_points("■ " + text) <= points

    if fits(code):
        return code
    name = code.rsplit("/", 1)[-1]
    if fits(name):
        return name

    def cut(end: int) -> str:
        return name[:end].rstrip() + "…"

    low, high = 0, len(name) - 1  # the longest fitting end lies in [low, high]; 0: none fits
    while low < high:
        middle = (low + high + 1) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle - 1
    return cut(low) if low else "…"


def label_rows(t: CodedTranscript) -> dict[int, list[Stripe]]:
    """Margin labels placed one per row: a label whose line already has one moves down to the next
    free row (as in the PDF), so no row grows taller; only past the last row do labels share it."""
    rows: dict[int, list[Stripe]] = {}
    last = max(len(t.lines) - 1, 0)
    for index in sorted(t.labels):
        for stripe in t.labels[index]:
            slot = index
            while slot in rows and slot < last:
                slot += 1
            rows.setdefault(slot, []).append(stripe)
    return rows


def to_docx(t: CodedTranscript) -> bytes:
    from docx import Document
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    header = _header(t)
    document.add_heading(header[0], level=1)
    for meta in header[1:]:
        document.add_paragraph(meta).runs[0].font.size = Pt(9)
    table = document.add_table(rows=0, cols=2 + t.columns + 1)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = [Cm(1.0), Cm(11.4)] + [Cm(0.2)] * t.columns + [Cm(max(3.0, 4.8 - 0.2 * t.columns))]
    for column_, width_ in zip(table.columns, widths):  # the grid (LibreOffice and Word read it)
        column_.width = width_

    def shade(cell: object, colour: str) -> None:
        properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), colour.lstrip("#"))
        properties.append(fill)

    label_points = (widths[-1].cm - DOCX_CELL_MARGINS_CM) * 72 / 2.54
    placed, shortened = label_rows(t), False
    for index, line in enumerate(t.lines):
        row = table.add_row()
        row.height, row.height_rule = Pt(DOCX_ROW_POINTS), WD_ROW_HEIGHT_RULE.EXACTLY  # even line spacing
        cells = row.cells
        for cell, width in zip(cells, widths):
            cell.width = width
        number = cells[0].paragraphs[0].add_run(str(line.number))
        number.font.size = Pt(7)
        number.font.color.rgb = RGBColor(0x88, 0x88, 0x88)
        paragraph = cells[1].paragraphs[0]
        interviewer = is_interviewer(line.speaker)
        rest = line.text
        if line.turn_start and line.speaker and line.text.startswith(line.speaker):
            paragraph.add_run(line.speaker).bold = True
            rest = line.text[len(line.speaker):]
        run = paragraph.add_run(rest)
        run.italic = interviewer
        for piece in paragraph.runs:
            piece.font.size = Pt(7.5)
            if interviewer:
                piece.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        for column in range(t.columns):
            stripe = next((s for s in t.stripes if s.column == column and s.first <= index <= s.last), None)
            if stripe:
                shade(cells[2 + column], stripe.colour)
        for number_, stripe in enumerate(placed.get(index, [])):
            target = cells[-1].paragraphs[0] if number_ == 0 else cells[-1].add_paragraph()
            mark = target.add_run("■ ")
            mark.font.color.rgb = RGBColor.from_string(stripe.colour.lstrip("#").upper())
            label = margin_label(stripe.code, label_points)
            shortened |= label != stripe.code
            name = target.add_run(label)
            mark.font.size = name.font.size = Pt(LABEL_POINTS)
        for cell in cells:
            for paragraph_ in cell.paragraphs:
                paragraph_.paragraph_format.space_after = Pt(0)
                paragraph_.paragraph_format.space_before = Pt(0)
    if shortened:  # the legend: the full names of the codes whose margin labels are cut
        legend = document.add_paragraph()
        legend.paragraph_format.space_before = Pt(6)
        legend.add_run("Codes in the margin, in full:").font.size = Pt(8)
        for code, colour in dict.fromkeys((s.code, s.colour) for s in t.stripes):
            entry = document.add_paragraph()
            entry.paragraph_format.space_after = Pt(0)
            mark = entry.add_run("■ ")
            mark.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
            full = entry.add_run(code)
            mark.font.size = full.font.size = Pt(7.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_FOOTER_Y = 0.02  # the page footer's baseline, as a share of the page height (from the bottom)
PDF_BODY_BOTTOM = 0.045  # no line's centre below this: half a line and the footer's height stay clear


@dataclass(frozen=True)
class PdfPage:
    """One PDF page of the transcript: lines [start, end) with the first line's centre at ``top``
    (shares of the page height), one line every ``step``; ``room``: the lines the page can hold
    (margin labels pushed down by others stay within it)."""

    start: int
    end: int
    top: float
    step: float
    room: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def pdf_pages(count: int, lines_per_page: int = 62) -> list[PdfPage]:
    """Page breaks: the first page starts lower (under the title and header lines), so it holds
    fewer lines; every page ends where its last line's centre is still above ``PDF_BODY_BOTTOM``,
    so the body never reaches the footer: lines = min(lines_per_page, ⌊(top − bottom) / step⌋ + 1)."""
    step = 1 / (lines_per_page + 6)
    pages: list[PdfPage] = []
    start = 0
    while start < max(count, 1):
        top = 1 - (6.5 if not pages else 2.5) * step
        room = min(lines_per_page, int((top - PDF_BODY_BOTTOM) / step + 1e-9) + 1)
        pages.append(PdfPage(start, min(start + room, max(count, 1)), top, step, room))
        start += room
    return pages


def to_pdf(t: CodedTranscript, lines_per_page: int = 62) -> bytes:
    """A4 pages drawn with matplotlib (TrueType fonts embedded): numbers, text, stripes, code names;
    page breaks from :func:`pdf_pages`."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from thematica.reports.figures.render import STYLE, style

    buffer = io.BytesIO()
    with style() as plt, PdfPages(buffer, metadata={"CreationDate": None}) as pages:
        for page_number, layout in enumerate(pdf_pages(len(t.lines), lines_per_page), start=1):
            page_start, step, y0, room = layout.start, layout.step, layout.top, layout.room
            figure = plt.figure(figsize=(8.27, 11.69))
            if page_start == 0:
                for number, text in enumerate(_header(t)):
                    figure.text(0.06, 0.975 - number * 0.016, text, fontsize=11 if number == 0 else 7.5,
                                fontweight="bold" if number == 0 else "normal", va="top")
            page = t.lines[page_start:layout.end]
            stripe_x = 0.69
            label_x = stripe_x + 0.008 * max(t.columns, 1) + 0.01
            used: set[int] = set()
            for offset, line in enumerate(page):
                index = page_start + offset
                y = y0 - offset * step
                if line.turn_start and offset:
                    figure.add_artist(matplotlib.lines.Line2D([0.06, 0.68], [y + step * 0.6] * 2, lw=0.3,
                                                              color="#BBBBBB"))
                figure.text(0.055, y, str(line.number), fontsize=6, color="#888888", ha="right", va="center")
                interviewer = is_interviewer(line.speaker)
                text = line.text
                colour, slant = ("#666666", "italic") if interviewer else ("black", "normal")
                if line.turn_start and line.speaker and text.startswith(line.speaker):
                    label = figure.text(0.06, y, line.speaker, fontsize=7, fontweight="bold", va="center")
                    figure.add_artist(matplotlib.text.Annotation(
                        text[len(line.speaker):], xy=(1, 0.5), xycoords=label, xytext=(0, 0), textcoords="offset points",
                        va="center", fontsize=7, color=colour, fontstyle=slant))
                else:
                    figure.text(0.06, y, text, fontsize=7, va="center", color=colour, fontstyle=slant)
                for stripe in t.labels.get(index, []):
                    slot = offset
                    while slot in used and slot < room - 1:
                        slot += 1
                    used.add(slot)
                    figure.text(label_x, y0 - slot * step, "■ ", fontsize=6, color=stripe.colour, va="center")
                    figure.text(label_x + 0.012, y0 - slot * step, textwrap.shorten(stripe.code.rsplit("/", 1)[-1], 38,
                                placeholder="…"), fontsize=6, va="center")
            for stripe in t.stripes:
                first, last = max(stripe.first, page_start), min(stripe.last, page_start + len(page) - 1)
                if first > last:
                    continue
                x = stripe_x + 0.008 * stripe.column
                top = y0 - (first - page_start) * step + step * 0.45
                bottom = y0 - (last - page_start) * step - step * 0.45
                figure.add_artist(matplotlib.patches.Rectangle((x, bottom), 0.005, top - bottom, color=stripe.colour,
                                                               lw=0))
            figure.text(0.5, PDF_FOOTER_Y, f"{t.document}, page {page_number}", fontsize=6.5,
                        ha="center", color="#888888")
            with matplotlib.rc_context(STYLE):
                pages.savefig(figure)
            plt.close(figure)
    return buffer.getvalue()
