"""The consensus decisions as an audit trail: CSV for archives; Markdown, HTML and DOCX (APA tables in
the document model, one per meeting) for the appendix.

Every decision is listed, superseded ones too (marked, with the decision that replaced it, who and
when): the log is append-only. "Differences were resolved" is written only when every passage where
a meeting's coders differ is decided.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Protocol

from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.reports.document import Block, Document, Paragraph, Row, Section, Table
from thematica.reports.language import add_phrases, phrase
from thematica.reports.writers import markdown as markdown_writer
from thematica.safe_text import SafeDictWriter

COLUMNS = ("id", "meeting", "document", "start", "end", "passage", "coder_a", "codes_a", "coder_b", "codes_b",
           "decision", "codes_decided", "rationale", "decided_by", "decided_at", "supersedes", "superseded_by",
           "superseded_by_who", "superseded_at")

add_phrases({
    "log.title": {"en": "Consensus decisions", "nl": "Consensusbesluiten"},
    "log.count": {"en": "{count} decisions ({superseded} superseded by a later decision).",
                  "nl": "{count} besluiten ({superseded} vervangen door een later besluit)."},
    "log.progress": {"en": "{meeting}: {decided} of {total} passages decided.",
                     "nl": "{meeting}: {decided} van de {total} passages besloten."},
    "log.progress_done": {"en": "{meeting}: all {total} passages decided; the differences were resolved.",
                          "nl": "{meeting}: alle {total} passages besloten; de verschillen zijn opgelost."},
    "log.table": {"en": "Decisions of the consensus meeting {meeting}", "nl": "Besluiten van de consensusbespreking {meeting}"},
    "log.headers": {"en": "Passage|Text|A|B|Decision|Rationale|Who|When|Status",
                    "nl": "Passage|Tekst|A|B|Besluit|Motivering|Wie|Wanneer|Status"},
    "log.in_force": {"en": "in force", "nl": "geldig"},
    "log.superseded": {"en": "superseded by #{id} ({who}, {when})", "nl": "vervangen door #{id} ({who}, {when})"},
    "log.note": {"en": "Passage: document [start–end) in characters. A and B: the codes of the two coders "
                       "before the meeting; — none. A passage decided again keeps its earlier decision, marked "
                       "superseded.",
                 "nl": "Passage: document [begin–eind) in tekens. A en B: de codes van beide beoordelaars voor de "
                       "bespreking; — geen. Een passage die opnieuw besloten is, houdt haar eerdere besluit, "
                       "gemarkeerd als vervangen."},
})


class Progress(Protocol):
    @property
    def meeting(self) -> str: ...

    @property
    def decided(self) -> int: ...

    @property
    def total(self) -> int: ...

    @property
    def wording(self) -> str: ...


def render_csv(rows: list[DecisionRecord]) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(row.to_dict() for row in rows)
    return buffer.getvalue()


def progress_lines(meetings: Sequence[Progress], language: str = "en") -> list[str]:
    return [phrase("log.progress_done" if m.decided == m.total else "log.progress", language, meeting=m.meeting,
                   decided=m.decided, total=m.total) for m in meetings]


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def _row(row: DecisionRecord, language: str) -> Row:
    decision = row.decision.value + (f" → {row.codes_decided}" if row.codes_decided else "")
    status = (phrase("log.superseded", language, id=row.superseded_by, who=row.superseded_by_who,
                     when=_when(row.superseded_at)) if row.superseded_by else phrase("log.in_force", language))
    # the range never breaks: a no-break space before it, a word joiner after the en dash
    return Row((f"{row.document}\u00a0[{row.start}–\u2060{row.end})", " ".join(row.passage.split()), row.codes_a or "—",
                row.codes_b or "—", decision, row.rationale, row.decided_by, _when(row.decided_at), status))


def build_document(rows: list[DecisionRecord], meetings: Sequence[Progress] = (), language: str = "en",
                   author: str = "") -> Document:
    superseded = sum(1 for row in rows if row.superseded_by)
    blocks: list[Block] = [Paragraph.of(line) for line in progress_lines(meetings, language)]
    blocks.append(Paragraph.of(phrase("log.count", language, count=len(rows), superseded=superseded)))
    for meeting in dict.fromkeys(row.meeting for row in rows):
        table = Table(phrase("log.table", language, meeting=meeting), tuple(phrase("log.headers", language).split("|")),
                      tuple(_row(row, language) for row in rows if row.meeting == meeting), ("left",) * 9,
                      phrase("log.note", language))
        blocks.append(Section(meeting, (table,), level=2))
    return Document(phrase("log.title", language), tuple(blocks), author=author, language=language)


def render_markdown(rows: list[DecisionRecord], meetings: Sequence[Progress] = (), language: str = "en") -> str:
    return markdown_writer.render(build_document(rows, meetings, language))[0]
