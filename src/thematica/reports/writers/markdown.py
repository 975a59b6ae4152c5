"""Markdown writer: APA tables as "**Table N**", the italic title, a pipe table (numbers right-
aligned) and "*Note.* ..."; figures as files beside the report: the SVG (text kept as text, sharp at
any size) when the figure has one, else the PNG. All text escaped (``md_text``)."""

from __future__ import annotations

from thematica.markdown import md_cell as _md_inline, md_table, md_text
from thematica.reports.formula import plain_subscript
from thematica.reports.document import (Block, BulletList, Document, Figure, Paragraph, Quote, Run, Section,
                                        Table)
from thematica.reports.language import phrase


def _runs(runs: tuple[Run, ...]) -> str:
    parts = []
    for run in runs:
        raw = plain_subscript(run.text) if run.subscript else run.text
        if not raw.strip():
            parts.append(" " if raw else "")
            continue
        core = raw if run.subscript else md_text(raw) if not parts else _md_inline(raw)
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() else ""
        if run.bold:
            core = f"**{core}**"
        if run.italic:
            core = f"*{core}*"
        parts.append(lead + core + trail)
    return "".join(parts)


class _Writer:
    def __init__(self, document: Document, stem: str) -> None:
        self.document, self.stem = document, stem
        self.lines: list[str] = []
        self.files: dict[str, bytes] = {}
        self.tables = 0
        self.figures = 0

    def block(self, block: Block, depth: int) -> None:
        language = self.document.language
        if isinstance(block, Section):
            self.lines += [f"{'#' * min(6, depth + block.level)} {md_text(block.title)}", ""]
            for child in block.blocks:
                self.block(child, depth + block.level)
        elif isinstance(block, Paragraph):
            self.lines += [_runs(block.runs), ""]
        elif isinstance(block, BulletList):
            self.lines += [f"- {_runs(item.runs)}" for item in block.items] + [""]
        elif isinstance(block, Quote):
            self.lines += [f"> “{md_text(block.text)}” ({md_text(block.case)})", ""]
        elif isinstance(block, Table):
            self.tables += 1
            self.lines += [f"**{phrase('table', language)} {self.tables}**", "", f"*{md_text(block.title)}*", ""]
            rows = []
            for row in block.rows:
                cells = list(row.cells) + [""] * (len(block.headers) - len(row.cells))
                if row.indent:
                    cells[0] = "\u2003" * row.indent + cells[0]
                rows.append(cells)
            self.lines += md_table(list(block.headers), rows,
                                   [block.alignment(i) for i in range(len(block.headers))])
            self.lines.append("")
            if block.note_parts:
                self.lines += [f"*{phrase('note', language)}* {_runs(block.note_parts)}", ""]
        elif isinstance(block, Figure):
            self.figures += 1
            self.lines += [f"**{phrase('figure', language)} {self.figures}**", "", f"*{md_text(block.title)}*", ""]
            picture, suffix = (block.svg, "svg") if block.svg is not None else (block.png, "png")
            if picture is not None:
                name = f"{self.stem}-{block.name}.{suffix}"
                self.files[name] = picture
                self.lines += [f"![{md_text(block.title)}]({name})", ""]
            if block.note:
                self.lines += [f"*{phrase('note', language)}* {md_text(block.note)}", ""]


def render(document: Document, stem: str = "report") -> tuple[str, dict[str, bytes]]:
    """The Markdown text and the companion files (figure PNGs) by file name."""
    writer = _Writer(document, stem)
    writer.lines += [f"# {md_text(document.title)}", ""]
    for block in document.blocks:
        writer.block(block, 1)
    while writer.lines and writer.lines[-1] == "":
        writer.lines.pop()
    return "\n".join(writer.lines) + "\n", writer.files
