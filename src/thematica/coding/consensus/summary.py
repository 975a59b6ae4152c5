"""Per-code agreement over the compared passages, lowest first — the head of the disagreement report.

For code k, each passage gives a 2×2 cell (A has k, B has k). Percent agreement is
(both + neither) / n; Cohen's kappa is scikit-learn's ``cohen_kappa_score`` on the two presence
vectors, undefined (None) when both coders are constant on the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from thematica.coding.consensus.passages import Passage


@dataclass(frozen=True)
class CodeSummary:
    code: str
    both: int
    a_only: int
    b_only: int
    neither: int
    percent_agreement: float
    kappa: float | None
    definition: str = ""


def code_summaries(passages: list[Passage], definitions: dict[str, str] | None = None) -> list[CodeSummary]:
    from sklearn.metrics import cohen_kappa_score  # imported here: scikit-learn takes a second to load

    codes = sorted({code for passage in passages for code in passage.codes_involved})
    rows = []
    for code in codes:
        a = [code in passage.codes_a for passage in passages]
        b = [code in passage.codes_b for passage in passages]
        both = sum(x and y for x, y in zip(a, b))
        a_only = sum(x and not y for x, y in zip(a, b))
        b_only = sum(y and not x for x, y in zip(a, b))
        neither = len(passages) - both - a_only - b_only
        kappa = None
        if len(set(a)) > 1 or len(set(b)) > 1:
            value = float(cohen_kappa_score(a, b))
            kappa = None if math.isnan(value) else value
        rows.append(CodeSummary(code, both, a_only, b_only, neither, (both + neither) / len(passages), kappa,
                                (definitions or {}).get(code, "")))
    return sorted(rows, key=lambda row: (row.kappa if row.kappa is not None else -2.0, row.percent_agreement, row.code))
