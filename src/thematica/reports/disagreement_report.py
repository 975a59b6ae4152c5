"""The disagreement report the two coders take into their consensus meeting.

First an APA table of agreement per code (lowest first), then each passage where the coders
differ — in reading order per document, or grouped by code — with a little context, A's codes,
B's codes, the kind of disagreement and the definitions of the codes involved. Built as one
:class:`~thematica.reports.document.Document` (Markdown, HTML, DOCX writers); CSV for archives.
"""

from __future__ import annotations

import io
from pathlib import Path

from thematica.coding.consensus.meeting import Comparison
from thematica.coding.consensus.passages import Passage
from thematica.coding.consensus.summary import code_summaries
from thematica.files import write_private
from thematica.reports import numbers as fmt
from thematica.reports.document import Block, BulletList, Document, Paragraph, Row, Run, Section, Table
from thematica.reports.language import add_phrases, phrase
from thematica.reports.writers import html as html_writer, markdown as markdown_writer, write_document
from thematica.safe_text import SafeCsvWriter

CONTEXT = 80

add_phrases({
    "disagreements.title": {"en": "Disagreements between {a} (A) and {b} (B)",
                            "nl": "Verschillen tussen {a} (A) en {b} (B)"},
    "disagreements.summary": {
        "en": "Units: {unit}; {units} units in {documents} documents; {differ} passages differ.",
        "nl": "Eenheden: {unit}; {units} eenheden in {documents} documenten; {differ} passages verschillen."},
    "disagreements.excluded": {"en": "Not included (not marked done by both coders): {names}.",
                               "nl": "Niet meegenomen (niet door beide beoordelaars afgerond): {names}."},
    "disagreements.per_code": {"en": "Agreement per code (lowest first)",
                               "nl": "Overeenstemming per code (laagste eerst)"},
    "disagreements.code": {"en": "Code", "nl": "Code"},
    "disagreements.agreement": {"en": "% agreement", "nl": "% overeenstemming"},
    "disagreements.both": {"en": "Both", "nl": "Beide"},
    "disagreements.a_only": {"en": "A only", "nl": "Alleen A"},
    "disagreements.b_only": {"en": "B only", "nl": "Alleen B"},
    "disagreements.neither": {"en": "Neither", "nl": "Geen van beide"},
    "disagreements.note": {
        "en": "Per code over the {units} compared units ({unit}s): κ = Cohen's kappa of the two coders' presence of "
              "the code (— when both coders are constant); % agreement = (both + neither) / units. A = {a}, B = {b}.",
        "nl": "Per code over de {units} vergeleken eenheden ({unit}): κ = Cohens kappa van de aanwezigheid van de "
              "code bij beide beoordelaars (— als beide beoordelaars constant zijn); % overeenstemming = (beide + "
              "geen van beide) / eenheden. A = {a}, B = {b}."},
    "disagreements.none": {"en": "No disagreements.", "nl": "Geen verschillen."},
    "disagreements.present/absent": {"en": "present/absent", "nl": "aanwezig/afwezig"},
    "disagreements.different code": {"en": "different code", "nl": "andere code"},
    "disagreements.boundary": {"en": "boundary", "nl": "grens"},
})


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


def code_label(path: str) -> str:
    """A code path with spaced slashes, so a long path wraps between its levels, never inside a word."""
    return " / ".join(path.split("/"))


def summary_table(comparison: Comparison, language: str) -> Table:
    selection = comparison.selection
    p = lambda key: phrase(key, language)  # noqa: E731
    rows = tuple(Row((code_label(row.code), fmt.number(row.kappa, 2, language),
                      fmt.percent(100 * row.percent_agreement, language), str(row.both), str(row.a_only),
                      str(row.b_only), str(row.neither)))
                 for row in code_summaries(comparison.passages, comparison.definitions))
    headers = (p("disagreements.code"), "κ", p("disagreements.agreement"), p("disagreements.both"),
               p("disagreements.a_only"), p("disagreements.b_only"), p("disagreements.neither"))
    note = phrase("disagreements.note", language, units=len(comparison.passages), unit=selection.unit,
                  a=selection.coder_a, b=selection.coder_b)
    return Table(p("disagreements.per_code"), headers, rows, note=note)


def _passage(comparison: Comparison, passage: Passage, language: str) -> Section:
    selection = comparison.selection
    before, quote, after = context(comparison.texts[passage.document], passage)
    kind = phrase(f"disagreements.{passage.kind}", language) if passage.kind else ""
    items = [Paragraph.of(f"A ({selection.coder_a}): {', '.join(passage.codes_a) or '—'}"),
             Paragraph.of(f"B ({selection.coder_b}): {', '.join(passage.codes_b) or '—'}")]
    for code in passage.codes_involved:
        if comparison.definitions.get(code):
            items.append(Paragraph((Run(code, italic=True), Run(f": {comparison.definitions[code]}"))))
    return Section(f"{passage.document} [{passage.start}–{passage.end}) · {kind}",
                   (Paragraph((Run(before), Run(quote, bold=True), Run(after))), BulletList(tuple(items))))


def build_document(comparison: Comparison, group_by: str = "document", language: str = "en",
                   author: str = "") -> Document:
    selection = comparison.selection
    blocks: list[Block] = [Paragraph.of(phrase("disagreements.summary", language, unit=selection.unit,
                                               units=len(comparison.passages), documents=len(comparison.documents),
                                               differ=len(comparison.disagreements)))]
    if comparison.excluded_documents:
        blocks.append(Paragraph.of(phrase("disagreements.excluded", language,
                                          names=", ".join(comparison.excluded_documents))))
    blocks.append(summary_table(comparison, language))
    for title, passages in groups(comparison, group_by):
        children: list[Block] = [_passage(comparison, passage, language) for passage in passages]
        if not passages:
            children = [Paragraph.of(phrase("disagreements.none", language))]
        blocks.append(Section(title, tuple(children)))
    title = phrase("disagreements.title", language, a=selection.coder_a, b=selection.coder_b)
    return Document(title, tuple(blocks), author=author, language=language)


def render_markdown(comparison: Comparison, group_by: str = "document", language: str = "en") -> str:
    return markdown_writer.render(build_document(comparison, group_by, language))[0]


def render_html(comparison: Comparison, group_by: str = "document", language: str = "en") -> str:
    return html_writer.render(build_document(comparison, group_by, language))


CSV_COLUMNS = ("document", "start", "end", "kind", "codes_a", "codes_b", "passage", "context_before", "context_after")


def render_csv(comparison: Comparison, group_by: str = "document") -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(("group", *CSV_COLUMNS))
    for title, passages in groups(comparison, group_by):
        for passage in passages:
            before, quote, after = context(comparison.texts[passage.document], passage)
            writer.writerow((title, passage.document, passage.start, passage.end, passage.kind,
                             "; ".join(passage.codes_a), "; ".join(passage.codes_b), quote, before, after))
    return buffer.getvalue()


def write_report(comparison: Comparison, path: Path, fmt_name: str, group_by: str = "document",
                 language: str = "en", author: str = "") -> None:
    if fmt_name == "csv":
        write_private(path, render_csv(comparison, group_by))
        return
    write_document(build_document(comparison, group_by, language, author), Path(path), fmt_name)
