"""DOCX writer (python-docx): APA 7 pages and tables a journal accepts.

* A4 (210 × 297 mm), 2.5 cm margins, Times New Roman 12 pt (tables 10 pt), black headings;
* tables: "Table N" in bold, the title in italic above, horizontal rules only (top, under the
  header, bottom), the header row repeated on every page and no row split over pages, numbers
  right-aligned, column widths from their content so no word breaks (a table whose shortest
  widths do not fit the portrait width gets a landscape section of its own), "Note." below;
* core properties from the project (title, author = the lead, language), not the library's;
* every text passes :func:`thematica.safe_text.xml_safe` (XML cannot hold most control characters).

Column widths: each column gets at least its longest unbreakable token (a no-break space joins
a CI or a "M (SD)") measured with Times New Roman advance widths; a column whose longest cell
needs at most a third of the line then gets all of it (a list of case ids, "R1, R2, …, R6", is
never left with "R6" alone on a second line), and the rest of the line goes to the others in
proportion to how much more their longest cell needs.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from thematica.files import private_path
from thematica.reports.document import Block, BulletList, Document, Figure, Paragraph, Quote, Run, Section, Table
from thematica.reports.language import phrase
from thematica.safe_text import xml_safe

PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_CM = 210, 297, 2.5
PORTRAIT_TEXT_CM = PAGE_WIDTH_MM / 10 - 2 * MARGIN_CM       # 16.0 cm
LANDSCAPE_TEXT_CM = PAGE_HEIGHT_MM / 10 - 2 * MARGIN_CM     # 24.7 cm
FONT = "Times New Roman"
BODY_PT, TABLE_PT = 12, 10
CELL_PADDING_CM = 0.38                                      # Word's default 0.19 cm left and right
SHORT_SHARE = 3                                             # a column needing at most 1/3 of the line never wraps
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}

# Times New Roman advance widths in 1/1000 em (Adobe Times-Roman AFM), by character
_WIDTHS: dict[str, int] = {
    **dict.fromkeys("abcdeghknopquvxy", 500), **dict.fromkeys("acez", 444), **dict.fromkeys("fr", 333),
    **dict.fromkeys("ijlt", 278), "m": 778, "s": 389, "w": 722,
    **dict.fromkeys("0123456789", 500), **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ", 722), "I": 333, "M": 889,
    "W": 944, " ": 250, "\u00a0": 250, ".": 250, ",": 250, ";": 278, ":": 278, "(": 333, ")": 333, "[": 333,
    "]": 333, "-": 333, "\u2212": 564, "—": 1000, "–": 500, "%": 833, "/": 278, "=": 564, "<": 564, ">": 564,
    "×": 564, "χ": 549, "²": 300, "±": 564, "'": 180, "“": 444, "”": 444, "…": 1000,
}


def text_width_cm(text: str, points: float = TABLE_PT) -> float:
    """Printed width of ``text`` in Times New Roman at ``points``."""
    total = 0
    for character in text:
        base = unicodedata.normalize("NFD", character)[0] if character.isalpha() else character
        total += _WIDTHS.get(base, 722 if base.isupper() else 556)
    return total / 1000 * points * 2.54 / 72


def _tokens(text: str) -> list[str]:
    """The pieces a line may break between: at spaces and after hyphens (never at a no-break space)."""
    pieces: list[str] = []
    for word in text.split(" "):
        pieces.extend(part + "-" for part in word.split("-")[:-1])
        pieces.append(word.split("-")[-1])
    return [piece for piece in pieces if piece]


def column_widths(table: Table, available_cm: float, points: float = TABLE_PT) -> tuple[list[float], bool]:
    """Widths in cm and whether they fit ``available_cm`` without breaking a word."""
    columns = len(table.headers)
    rows = [list(table.headers)] + [list(row.cells) + [""] * (columns - len(row.cells)) for row in table.rows]
    indent = [0.5 if row.indent else 0.0 for row in table.rows]
    least, most = [0.0] * columns, [0.0] * columns
    for number, cells in enumerate(rows):
        for column, cell in enumerate(cells[:columns]):
            extra = indent[number - 1] if number and column == 0 else 0.0
            if number and table.rows[number - 1].group and column == 0:
                most[column] = max(most[column], min(text_width_cm(cell, points), 4.0))
                continue
            longest = max((text_width_cm(token, points) for token in _tokens(cell)), default=0.0)
            least[column] = max(least[column], longest + extra)
            most[column] = max(most[column], text_width_cm(cell, points) + extra)
    least = [width * 1.08 + CELL_PADDING_CM for width in least]
    most = [max(width * 1.08 + CELL_PADDING_CM, low) for width, low in zip(most, least)]
    if sum(most) <= available_cm:
        return most, True
    if sum(least) > available_cm:
        scale = available_cm / sum(least)
        return [width * scale for width in least], False
    widths = list(least)
    for column in sorted(range(columns), key=lambda c: most[c]):  # short columns first take their whole content
        if most[column] <= available_cm / SHORT_SHARE and sum(widths) - widths[column] + most[column] <= available_cm:
            widths[column] = most[column]
    spare = available_cm - sum(widths)
    wants = [high - low for high, low in zip(most, widths)]
    total = sum(wants) or 1.0
    return [low + spare * want / total for low, want in zip(widths, wants)], True


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _borders(parent: Any, tag: str, edges: dict[str, str]) -> None:
    """Replace ``parent``'s <w:tblBorders>/<w:tcBorders> by single rules on ``edges`` (size in
    eighths of a point) and none elsewhere."""
    from docx.oxml.ns import qn

    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    borders = _element(f"w:{tag}")
    names = ("top", "left", "bottom", "right", "insideH", "insideV") if tag == "tblBorders" else ("top", "left",
                                                                                                   "bottom", "right")
    for name in names:
        if name in edges:
            borders.append(_element(f"w:{name}", val="single", sz=edges[name], space="0", color="000000"))
        else:
            borders.append(_element(f"w:{name}", val="nil"))
    parent.append(borders)


class _Writer:
    def __init__(self, document: Document) -> None:
        import docx

        self.model = document
        self.document = docx.Document()
        self.tables = 0
        self.figures = 0
        self.landscape_open = False
        tables = document.tables()
        # every table needs a page on its side (a decision log): the whole document is landscape
        self.all_landscape = bool(tables) and not document.figures() and all(
            not column_widths(table, PORTRAIT_TEXT_CM)[1] for table in tables)
        self._styles()
        self._page(self.document.sections[0], landscape=self.all_landscape)

    def _styles(self) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        language = LANGUAGE_TAGS.get(self.model.language, "en-GB")
        for style in self.document.styles:
            if style.type != 1:  # paragraph styles only
                continue
            font = getattr(style, "font", None)
            if font is None:
                continue
            if style.name.startswith(("Heading", "Title")):
                font.name = FONT
                font.color.rgb = RGBColor(0, 0, 0)
                font.bold = True
                font.italic = style.name in ("Heading 3", "Heading 4")
                font.size = Pt({"Title": 16, "Heading 1": 14, "Heading 2": 13}.get(style.name, BODY_PT))
                rpr = style.element.get_or_add_rPr()
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is not None:
                    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                        fonts.attrib.pop(qn(attribute), None)
                    fonts.set(qn("w:ascii"), FONT)
                    fonts.set(qn("w:hAnsi"), FONT)
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        rpr.append(_element("w:lang", val=language))
        title = self.document.styles["Title"]
        paragraph = title.element.get_or_add_pPr()
        for border in paragraph.findall(qn("w:pBdr")):
            paragraph.remove(border)

    def _page(self, section: Any, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Mm

        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = (Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)) if landscape else (Mm(PAGE_WIDTH_MM),
                                                                                     Mm(PAGE_HEIGHT_MM))
        section.page_width, section.page_height = width, height
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))

    def _new_section(self, landscape: bool) -> None:
        from docx.enum.section import WD_SECTION

        self._page(self.document.add_section(WD_SECTION.NEW_PAGE), landscape)

    def runs(self, paragraph: Any, runs: tuple[Run, ...], points: float | None = None) -> None:
        from docx.shared import Pt

        for run in runs:
            added = paragraph.add_run(xml_safe(run.text))
            added.bold = run.bold or None
            added.italic = run.italic or None
            if run.subscript:
                added.font.subscript = True
            if points:
                added.font.size = Pt(points)

    def block(self, block: Block, depth: int) -> None:
        from docx.shared import Cm, Pt

        if isinstance(block, Section):
            first = block.blocks[0] if block.blocks else None
            on_figure_page = isinstance(first, Figure) and first.landscape
            if on_figure_page:  # the heading goes on the figure's page
                self._new_section(True)
                self.landscape_open = True
            heading = self.document.add_heading(xml_safe(block.title), level=min(9, depth + block.level - 1))
            if on_figure_page:  # at the top of its page: no space above, so the figure keeps its room
                heading.paragraph_format.space_before = Pt(0)
            for child in block.blocks:
                self.block(child, depth + block.level)
        elif isinstance(block, Paragraph):
            self.runs(self.document.add_paragraph(), block.runs)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.runs(self.document.add_paragraph(style="List Bullet"), item.runs)
        elif isinstance(block, Quote):
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1.27)
            self.runs(paragraph, (Run(f"“{block.text}” "), Run(f"({block.case})")))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)

    def caption(self, kind: str, number: int, title: str) -> None:
        from docx.shared import Pt

        for text, bold, italic in ((f"{phrase(kind, self.model.language)} {number}", True, False),
                                   (title, False, True)):
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = Pt(0 if bold else 6)
            self.runs(paragraph, (Run(text, bold=bold, italic=italic),))

    def note(self, parts: str | tuple[Run, ...]) -> None:
        from docx.shared import Pt

        runs = (Run(parts),) if isinstance(parts, str) else parts
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(3)
        self.runs(paragraph, (Run(phrase("note", self.model.language), italic=True), Run(" "), *runs), TABLE_PT)

    def table(self, table: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.shared import Cm, Pt

        widths, fits = column_widths(table, PORTRAIT_TEXT_CM)
        landscape = not fits and not self.all_landscape
        if not fits:
            widths, _ = column_widths(table, LANDSCAPE_TEXT_CM)
        if landscape:
            self._new_section(True)
        self.tables += 1
        self.caption("table", self.tables, table.title)
        columns = len(table.headers)
        grid = self.document.add_table(rows=1 + len(table.rows), cols=columns)
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        grid.autofit = False
        properties = grid._tbl.tblPr
        _borders(properties, "tblBorders", {"top": "8", "bottom": "8"})
        properties.append(_element("w:tblLayout", type="fixed"))
        for column, width in zip(grid.columns, widths):
            column.width = Cm(width)
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                  "center": WD_ALIGN_PARAGRAPH.CENTER}
        rows = [(list(table.headers), 0, False)] + [(list(r.cells), r.indent, r.group) for r in table.rows]
        for number, (cells, indent, _group) in enumerate(rows):
            row = grid.rows[number]
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(_element("w:cantSplit"))
            if number == 0:
                row_properties.append(_element("w:tblHeader"))
            cells = cells + [""] * (columns - len(cells))
            for column, (cell, text) in enumerate(zip(row.cells, cells)):
                cell.width = Cm(widths[column])
                if number == 0:
                    _borders(cell._tc.get_or_add_tcPr(), "tcBorders", {"bottom": "4"})
                paragraph = cell.paragraphs[0]
                paragraph.alignment = aligns[table.alignment(column)]
                paragraph.paragraph_format.space_after = Pt(0)
                if column == 0 and indent:
                    paragraph.paragraph_format.left_indent = Cm(0.5 * indent)
                self.runs(paragraph, (Run(text),), TABLE_PT)
            if number == 0:
                for cell in row.cells:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        if table.note_parts:
            self.note(table.note_parts)
        else:
            self.document.add_paragraph()
        if landscape:
            self._new_section(False)

    def figure(self, figure: Figure) -> None:
        from docx.shared import Cm, Pt

        self.figures += 1
        if figure.landscape and not self.landscape_open:
            self._new_section(True)
        self.landscape_open = False
        self.caption("figure", self.figures, figure.title)
        if figure.png is not None:
            widest = LANDSCAPE_TEXT_CM if figure.landscape else PORTRAIT_TEXT_CM
            self.document.add_picture(io.BytesIO(figure.png), width=Cm(min(figure.width_cm, widest)))
            picture = self.document.paragraphs[-1].paragraph_format
            picture.keep_with_next = bool(figure.note)
            picture.line_spacing = 1.0  # a proportional spacing would add a share of the picture's height
            picture.space_after = Pt(0)
        if figure.note:
            self.note(figure.note)
        if figure.landscape:
            self._new_section(False)

    def save(self, out: Path) -> None:
        properties = self.document.core_properties
        properties.title = xml_safe(self.model.title)
        properties.author = xml_safe(self.model.author)
        properties.last_modified_by = xml_safe(self.model.author)
        properties.subject = xml_safe(self.model.subject)
        properties.keywords = xml_safe(", ".join(self.model.keywords))
        properties.comments = ""
        properties.language = LANGUAGE_TAGS.get(self.model.language, "en-GB")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        properties.created = now
        properties.modified = now
        properties.revision = 1
        self.document.save(str(private_path(out)))


def write(document: Document, out: Path) -> None:
    writer = _Writer(document)
    writer.document.add_heading(xml_safe(document.title), level=0)
    for block in document.blocks:
        writer.block(block, 1)
    writer.save(Path(out))
