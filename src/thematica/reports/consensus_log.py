"""The consensus decisions as an audit trail: CSV for archives, Markdown for the appendix.

Every decision is listed, superseded ones too (marked, with the decision that replaced it, who
and when): the log is append-only. "Differences were resolved" is written only when every passage
where a meeting's coders differ is decided.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, Protocol

from thematica.coding.consensus.decision_record import DecisionRecord
from thematica.markdown import md_table

COLUMNS = ("id", "meeting", "document", "start", "end", "passage", "coder_a", "codes_a", "coder_b", "codes_b",
           "decision", "codes_decided", "rationale", "decided_by", "decided_at", "supersedes", "superseded_by",
           "superseded_by_who", "superseded_at")


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
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(row.to_dict() for row in rows)
    return buffer.getvalue()


def progress_lines(meetings: Sequence[Progress]) -> list[str]:
    lines = []
    for meeting in meetings:
        ending = " — differences were resolved." if meeting.decided == meeting.total else "."
        lines.append(f"{meeting.meeting}: {meeting.wording}{ending}")
    return lines


def render_markdown(rows: list[DecisionRecord], meetings: Sequence[Progress] = ()) -> str:
    """One table per meeting; superseded decisions stay, marked with the decision that replaced them."""
    superseded = sum(1 for row in rows if row.superseded_by)
    lines = ["# Consensus decisions", ""] + progress_lines(meetings)
    lines += ["", f"{len(rows)} decisions ({superseded} superseded by a later decision).", ""]
    for meeting in dict.fromkeys(row.meeting for row in rows):
        if meeting:
            lines += [f"## {meeting}", ""]
        lines += md_table(["document", "passage", "A", "B", "decision", "rationale", "who", "when", "status"],
                          ([f"{row.document} [{row.start}–{row.end})", row.passage, row.codes_a or "—",
                            row.codes_b or "—",
                            row.decision + (f" → {row.codes_decided}" if row.codes_decided else ""),
                            row.rationale, row.decided_by, row.decided_at,
                            (f"superseded by #{row.superseded_by} ({row.superseded_by_who}, "
                             f"{row.superseded_at})" if row.superseded_by else "in force")]
                           for row in rows if row.meeting == meeting))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
