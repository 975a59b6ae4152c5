"""The consensus decisions as an audit trail: CSV for archives; Markdown, HTML and DOCX (one APA
table in the document model) for the appendix. Renders whatever rows the consensus store returns."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from thematica.reports.document import Document, Paragraph, Row, Table
from thematica.reports.language import add_phrases, phrase
from thematica.reports.writers import markdown as markdown_writer
from thematica.safe_text import SafeDictWriter

COLUMNS = ("document", "start", "end", "passage", "coder_a", "codes_a", "coder_b", "codes_b", "decision",
           "codes_decided", "rationale", "decided_by", "decided_at")

add_phrases({
    "log.title": {"en": "Consensus decisions", "nl": "Consensusbesluiten"},
    "log.count": {"en": "{count} decisions.", "nl": "{count} besluiten."},
    "log.table": {"en": "Decisions of the consensus meeting", "nl": "Besluiten van de consensusbespreking"},
    "log.headers": {"en": "Passage|Text|A|B|Decision|Rationale|Who|When",
                    "nl": "Passage|Tekst|A|B|Besluit|Motivering|Wie|Wanneer"},
    "log.note": {"en": "Passage: document [start–end) in characters. A and B: the codes of the two coders "
                       "before the meeting; — none.",
                 "nl": "Passage: document [begin–eind) in tekens. A en B: de codes van beide codeurs voor de "
                       "bespreking; — geen."},
})


def render_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, [*COLUMNS, *[k for k in (rows[0] if rows else {}) if k not in COLUMNS]])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def build_document(rows: list[dict], language: str = "en", author: str = "") -> Document:
    body = []
    for row in rows:
        decision = _cell(row, "decision") + (f" → {_cell(row, 'codes_decided')}" if row.get("codes_decided") else "")
        # the range never breaks: a no-break space before it, a word joiner after the en dash
        body.append(Row((f"{_cell(row, 'document')}\u00a0[{_cell(row, 'start')}–\u2060{_cell(row, 'end')})",
                         " ".join(_cell(row, "passage").split()), _cell(row, "codes_a") or "—",
                         _cell(row, "codes_b") or "—", decision, _cell(row, "rationale"), _cell(row, "decided_by"),
                         _cell(row, "decided_at")[:16].replace("T", " "))))
    table = Table(phrase("log.table", language), tuple(phrase("log.headers", language).split("|")), tuple(body),
                  ("left",) * 8, phrase("log.note", language))
    return Document(phrase("log.title", language), (Paragraph.of(phrase("log.count", language, count=len(rows))),
                                                    table), author=author, language=language)


def render_markdown(rows: list[dict], language: str = "en") -> str:
    return markdown_writer.render(build_document(rows, language))[0]
