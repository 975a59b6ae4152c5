"""HTML writer: one self-contained file (inline CSS, figures as inline SVG, no external request),
APA tables (rules above and below the header and at the bottom, no vertical lines, no shading)."""

from __future__ import annotations

import html
import re

from thematica.reports.document import Block, BulletList, Document, Figure, Paragraph, Quote, Run, Section, Table
from thematica.reports.language import phrase

STYLE = """
body{font-family:"Times New Roman",Georgia,serif;max-width:48em;margin:2em auto;line-height:1.5;padding:0 1em}
blockquote{margin:0.5em 2em;font-style:normal}
table{border-collapse:collapse;border-top:1.5px solid #000;border-bottom:1.5px solid #000;margin:0.3em 0 0.3em}
th{border-bottom:1px solid #000;font-weight:normal;padding:2px 8px;vertical-align:bottom}
td{padding:2px 8px;vertical-align:top}
td.right,th.right{text-align:right}td.center,th.center{text-align:center}td.left,th.left{text-align:left}
td.group{font-style:normal}td.indent{padding-left:1.5em}
p.table-number{font-weight:bold;margin:1.2em 0 0}p.table-title{font-style:italic;margin:0.2em 0 0.4em}
p.note{margin-top:0.3em}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}
""".strip()

_XML_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _e(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def _runs(runs: tuple[Run, ...]) -> str:
    parts = []
    for run in runs:
        text = _e(run.text)
        if run.subscript:
            text = f"<sub>{text}</sub>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        parts.append(text)
    return "".join(parts)


def inline_svg(svg: bytes) -> str:
    """The SVG element itself (prologue, comments and scripts removed), for embedding in the page;
    its text stays ``<text>`` (searchable, selectable, sharp at any zoom)."""
    text = svg.decode("utf-8")
    text = _COMMENT.sub("", _XML_PROLOGUE.sub("", text, count=1))
    return _SCRIPT.sub("", text).strip()


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.parts: list[str] = []
        self.tables = 0
        self.figures = 0

    def block(self, block: Block, depth: int) -> None:
        language = self.document.language
        if isinstance(block, Section):
            level = min(6, depth + block.level)
            self.parts.append(f"<section><h{level}>{_e(block.title)}</h{level}>")
            for child in block.blocks:
                self.block(child, depth + block.level)
            self.parts.append("</section>")
        elif isinstance(block, Paragraph):
            self.parts.append(f"<p>{_runs(block.runs)}</p>")
        elif isinstance(block, BulletList):
            self.parts.append("<ul>" + "".join(f"<li>{_runs(item.runs)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Quote):
            self.parts.append(f"<blockquote>“{_e(block.text)}” ({_e(block.case)})</blockquote>")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figures += 1
            body = inline_svg(block.svg) if block.svg is not None else ""
            note = (f"<p class='note'><em>{phrase('note', language)}</em> {_e(block.note)}</p>" if block.note else "")
            self.parts.append(f"<figure><p class='table-number'>{phrase('figure', language)} {self.figures}</p>"
                              f"<p class='table-title'>{_e(block.title)}</p>{body}{note}</figure>")

    def table(self, table: Table) -> None:
        language = self.document.language
        self.tables += 1
        columns = len(table.headers)
        head = "".join(f"<th class='{table.alignment(i)}'>{_e(h)}</th>" for i, h in enumerate(table.headers))
        rows = []
        for row in table.rows:
            cells = list(row.cells) + [""] * (columns - len(row.cells))
            tds = []
            for i, cell in enumerate(cells):
                classes = [table.alignment(i)] + (["indent"] if i == 0 and row.indent else [])
                tds.append(f"<td class='{' '.join(classes)}'>{_e(cell)}</td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        note = (f"<p class='note'><em>{phrase('note', language)}</em> {_runs(table.note_parts)}</p>"
                if table.note_parts else "")
        self.parts.append(f"<p class='table-number'>{phrase('table', language)} {self.tables}</p>"
                          f"<p class='table-title'>{_e(table.title)}</p>"
                          f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def render(document: Document) -> str:
    writer = _Writer(document)
    for block in document.blocks:
        writer.block(block, 1)
    author = f"<meta name='author' content='{_e(document.author)}'>" if document.author else ""
    return (f"<!DOCTYPE html>\n<html lang='{document.language}'><head><meta charset='utf-8'>"
            f"<title>{_e(document.title)}</title>{author}<style>{STYLE}</style></head>\n<body><h1>{_e(document.title)}</h1>\n"
            + "\n".join(writer.parts) + "\n</body></html>\n")
