"""The disagreement report the two coders take into their consensus meeting.

First a summary table (per code, lowest agreement on top), then each passage where the coders
differ — in reading order per document, or grouped by code — with a little context, A's codes,
B's codes, the kind of disagreement and the definitions of the codes involved.
Formats: Markdown, HTML, DOCX (python-docx), CSV.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from thematica.coding.consensus.meeting import Comparison
from thematica.coding.consensus.passages import Passage
from thematica.coding.consensus.summary import code_summaries
from thematica.files import private_path, write_private
from thematica.markdown import md_table
from thematica.reports.docx_table import add_table

CONTEXT = 80


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def context(text: str, passage: Passage) -> tuple[str, str, str]:
    before = text[max(0, passage.start - CONTEXT):passage.start]
    after = text[passage.end:passage.end + CONTEXT]
    before = ("…" + before.split(" ", 1)[-1]) if passage.start > CONTEXT else before
    after = (after.rsplit(" ", 1)[0] + "…") if passage.end + CONTEXT < len(text) else after
    return before.replace("\n", " "), text[passage.start:passage.end].replace("\n", " "), after.replace("\n", " ")


def groups(comparison: Comparison, group_by: str) -> list[tuple[str, list[Passage]]]:
    disagreements = comparison.disagreements
    if group_by == "code":
        codes = sorted({code for passage in disagreements for code in passage.codes_involved})
        return [(code, [p for p in disagreements if code in p.codes_involved]) for code in codes]
    return [(name, [p for p in disagreements if p.document == name]) for name in comparison.documents]


def render_markdown(comparison: Comparison, group_by: str = "document") -> str:
    selection = comparison.selection
    a, b = selection.coder_a, selection.coder_b
    lines = [f"# Disagreements between {a} (A) and {b} (B)", "",
             f"Units: {selection.unit}; {len(comparison.passages)} units in {len(comparison.documents)} documents; "
             f"{len(comparison.disagreements)} passages differ."]
    if comparison.excluded_documents:
        lines.append(f"Not included (not marked done by both coders): {', '.join(comparison.excluded_documents)}.")
    lines += ["", "## Agreement per code (lowest first)", ""]
    lines += md_table(["code", "kappa", "% agreement", "both", "A only", "B only", "neither"],
                      ([row.code, _number(row.kappa), f"{100 * row.percent_agreement:.1f}", row.both, row.a_only,
                        row.b_only, row.neither] for row in code_summaries(comparison.passages, comparison.definitions)))
    for title, passages in groups(comparison, group_by):
        lines += ["", f"## {title}", ""]
        if not passages:
            lines.append("No disagreements.")
        for passage in passages:
            before, quote, after = context(comparison.texts[passage.document], passage)
            lines += [
                f"### {passage.document} [{passage.start}–{passage.end}) · {passage.kind}",
                "", f"> {before}**{quote}**{after}", "",
                f"- A ({a}): {', '.join(passage.codes_a) or '—'}",
                f"- B ({b}): {', '.join(passage.codes_b) or '—'}",
            ]
            for code in passage.codes_involved:
                if comparison.definitions.get(code):
                    lines.append(f"- *{code}*: {comparison.definitions[code]}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_html(comparison: Comparison, group_by: str = "document") -> str:
    selection = comparison.selection
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>",
        f"<title>Disagreements {e(selection.coder_a)} / {e(selection.coder_b)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}td,th{border:1px solid #ccc;padding:2px 6px}"
        "table{border-collapse:collapse}mark{background:#ffe08a}blockquote{color:#333}</style></head><body>",
        f"<h1>Disagreements between {e(selection.coder_a)} (A) and {e(selection.coder_b)} (B)</h1>",
        f"<p>Units: {e(selection.unit)}; {len(comparison.passages)} units in {len(comparison.documents)} documents; "
        f"{len(comparison.disagreements)} passages differ.</p>",
    ]
    if comparison.excluded_documents:
        parts.append(f"<p>Not included (not marked done by both): {e(', '.join(comparison.excluded_documents))}</p>")
    parts.append("<h2>Agreement per code (lowest first)</h2><table><tr><th>code</th><th>kappa</th><th>% agreement</th>"
                 "<th>both</th><th>A only</th><th>B only</th><th>neither</th></tr>")
    for row in code_summaries(comparison.passages, comparison.definitions):
        parts.append(f"<tr><td>{e(row.code)}</td><td>{_number(row.kappa)}</td><td>{100 * row.percent_agreement:.1f}</td>"
                     f"<td>{row.both}</td><td>{row.a_only}</td><td>{row.b_only}</td><td>{row.neither}</td></tr>")
    parts.append("</table>")
    for title, passages in groups(comparison, group_by):
        parts.append(f"<h2>{e(title)}</h2>")
        for passage in passages:
            before, quote, after = context(comparison.texts[passage.document], passage)
            parts.append(f"<h3>{e(passage.document)} [{passage.start}–{passage.end}) · {e(passage.kind or '')}</h3>"
                         f"<blockquote>{e(before)}<mark>{e(quote)}</mark>{e(after)}</blockquote><ul>"
                         f"<li>A: {e(', '.join(passage.codes_a) or '—')}</li><li>B: {e(', '.join(passage.codes_b) or '—')}</li>")
            for code in passage.codes_involved:
                if comparison.definitions.get(code):
                    parts.append(f"<li><em>{e(code)}</em>: {e(comparison.definitions[code])}</li>")
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


CSV_COLUMNS = ("document", "start", "end", "kind", "codes_a", "codes_b", "passage", "context_before", "context_after")


def render_csv(comparison: Comparison, group_by: str = "document") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("group", *CSV_COLUMNS))
    for title, passages in groups(comparison, group_by):
        for passage in passages:
            before, quote, after = context(comparison.texts[passage.document], passage)
            writer.writerow((title, passage.document, passage.start, passage.end, passage.kind,
                             "; ".join(passage.codes_a), "; ".join(passage.codes_b), quote, before, after))
    return buffer.getvalue()


def write_docx(comparison: Comparison, path: Path, group_by: str = "document") -> None:
    import docx

    selection = comparison.selection
    document = docx.Document()
    document.add_heading(f"Disagreements between {selection.coder_a} (A) and {selection.coder_b} (B)", level=0)
    document.add_paragraph(f"Units: {selection.unit}; {len(comparison.passages)} units in "
                           f"{len(comparison.documents)} documents; {len(comparison.disagreements)} passages differ.")
    document.add_heading("Agreement per code (lowest first)", level=1)
    summaries = code_summaries(comparison.passages, comparison.definitions)
    add_table(document, ("code", "kappa", "% agreement", "both", "A only", "B only", "neither"),
              [(row.code, _number(row.kappa), f"{100 * row.percent_agreement:.1f}", row.both, row.a_only, row.b_only,
                row.neither) for row in summaries])
    for title, passages in groups(comparison, group_by):
        document.add_heading(title, level=1)
        for passage in passages:
            document.add_heading(f"{passage.document} [{passage.start}–{passage.end}) · {passage.kind}", level=2)
            before, quote, after = context(comparison.texts[passage.document], passage)
            paragraph = document.add_paragraph(before)
            paragraph.add_run(quote).bold = True
            paragraph.add_run(after)
            document.add_paragraph(f"A ({selection.coder_a}): {', '.join(passage.codes_a) or '—'}", style="List Bullet")
            document.add_paragraph(f"B ({selection.coder_b}): {', '.join(passage.codes_b) or '—'}", style="List Bullet")
            for code in passage.codes_involved:
                if comparison.definitions.get(code):
                    document.add_paragraph(f"{code}: {comparison.definitions[code]}", style="List Bullet 2")
    document.save(str(private_path(path)))


def write_report(comparison: Comparison, path: Path, fmt: str, group_by: str = "document") -> None:
    if fmt == "docx":
        write_docx(comparison, path, group_by)
        return
    renderers = {"md": render_markdown, "html": render_html, "csv": render_csv}
    write_private(path, renderers[fmt](comparison, group_by))
