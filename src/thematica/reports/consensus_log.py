"""The consensus decisions as an audit trail: CSV for archives, Markdown for the appendix."""

from __future__ import annotations

import csv
import io

from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.markdown import md_table

COLUMNS = ("document", "start", "end", "passage", "coder_a", "codes_a", "coder_b", "codes_b", "decision",
           "codes_decided", "rationale", "decided_by", "decided_at")


def render_csv(rows: list[DecisionRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.to_dict() for row in rows)
    return buffer.getvalue()


def render_markdown(rows: list[DecisionRecord]) -> str:
    lines = ["# Consensus decisions", "", f"{len(rows)} decisions.", ""]
    lines += md_table(["document", "passage", "A", "B", "decision", "rationale", "who", "when"],
                      ([f"{row.document} [{row.start}–{row.end})", row.passage, row.codes_a or "—", row.codes_b or "—",
                        row.decision + (f" → {row.codes_decided}" if row.codes_decided else ""),
                        row.rationale, row.decided_by, row.decided_at] for row in rows))
    return "\n".join(lines) + "\n"
