"""Per-code agreement over the compared passages, lowest first — the head of the disagreement report.

For code k, each passage gives a 2×2 cell (A has k, B has k); percent agreement and Cohen's kappa
are those of :class:`thematica.maths.two_by_two.TwoByTwo` (kappa undefined, None, when both coders
are constant on the code).
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.coding.consensus.passages import Passage
from thematica.maths.two_by_two import TableCells, TwoByTwo, table_from_presence

UNDEFINED_LAST = -2.0  # below any kappa, so codes with an undefined kappa sort first (most in need of talk)


@dataclass(frozen=True)
class CodeSummary(TableCells):
    code: str
    table: TwoByTwo
    definition: str = ""

    @property
    def percent_agreement(self) -> float:
        return self.table.percent_agreement or 0.0  # a summarised code is in a passage: n > 0, never None

    @property
    def kappa(self) -> float | None:
        return self.table.kappa()[0]

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, **self.table.to_dict(), "percent_agreement": self.percent_agreement,
                "kappa": self.kappa, "definition": self.definition}


def code_summaries(passages: list[Passage], definitions: dict[str, str] | None = None) -> list[CodeSummary]:
    codes = sorted({code for passage in passages for code in passage.codes_involved})
    rows = [CodeSummary(code, table_from_presence([code in passage.codes_a for passage in passages],
                                                  [code in passage.codes_b for passage in passages]),
                        (definitions or {}).get(code, ""))
            for code in codes]
    return sorted(rows, key=lambda row: (row.kappa if row.kappa is not None else UNDEFINED_LAST,
                                         row.percent_agreement, row.code))
