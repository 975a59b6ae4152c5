"""The consensus decisions as an audit trail: CSV for archives, Markdown for the appendix."""

from __future__ import annotations

import io

from thematica.markdown import md_table
from thematica.safe_text import SafeDictWriter

COLUMNS = ("document", "start", "end", "passage", "coder_a", "codes_a", "coder_b", "codes_b", "decision",
           "codes_decided", "rationale", "decided_by", "decided_at")


def render_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def render_markdown(rows: list[dict]) -> str:
    lines = ["# Consensus decisions", "", f"{len(rows)} decisions.", ""]
    lines += md_table(["document", "passage", "A", "B", "decision", "rationale", "who", "when"],
                      ([f"{row['document']} [{row['start']}–{row['end']})", row["passage"], row["codes_a"] or "—",
                        row["codes_b"] or "—",
                        row["decision"] + (f" → {row['codes_decided']}" if row["codes_decided"] else ""),
                        row["rationale"], row["decided_by"], row["decided_at"]] for row in rows))
    return "\n".join(lines) + "\n"
