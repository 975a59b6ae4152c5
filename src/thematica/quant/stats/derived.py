"""Derived binary outcomes and their intention-to-treat comparison.

``parse_derivation('remission = caps5 < 20 @ 12')`` reads NAME = VARIABLE OP NUMBER [@ TIMEPOINT]
(OP one of < <= > >= == !=): 1 where the comparison holds, 0 where it does not, missing where the
variable is missing. ``itt_comparison`` gives, at one timepoint, the rate per arm with two
denominators side by side: everyone randomised (intention to treat; a missing value counts as no
event, the conservative rule papers state) and those measured (completers); for each, χ² or
Fisher, OR and RR first vs second (``trial.two_by_two``), risk difference first − second with its
Wald 95% CI, and NNT = 1/RD with the CI 1/bounds (``quant.stats.nnt``, Altman 1998: when the RD's CI
includes 0 the NNT interval runs through infinity, reported as both bounds with the note).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from typing import Any
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from thematica.maths.normal import Z95
from thematica.quant.stats.nnt import number_needed_to_treat
from thematica.quant.stats.trial import ReportBuilder, arms_of, contrast_label, two_by_two

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt}
_EXPRESSION = re.compile(r"^\s*(?P<name>[^\s=<>!@]+)\s*=\s*(?P<variable>[^\s=<>!@]+)\s*(?P<op><=|>=|==|!=|<|>)\s*"
                         r"(?P<number>[-+]?\d+(?:[.,]\d+)?)\s*(?:@\s*(?P<time>\S+))?\s*$")


@dataclass(frozen=True)
class Derivation:
    name: str
    variable: str
    op: str
    threshold: float
    time: str | None

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        return f"{self.name} = {self.variable} {self.op} {self.threshold:g}" + (f" @ {self.time}" if self.time else "")

    def apply(self, values: pd.Series) -> pd.Series:
        holds = _OPERATORS[self.op](values, self.threshold)
        return pd.Series(np.where(values.isna(), np.nan, np.asarray(holds, dtype=float)), index=values.index)


def parse_derivation(expression: str) -> Derivation:
    """Raise ``ValueError`` with the reason when the expression does not parse."""
    found = _EXPRESSION.match(expression)
    if not found:
        raise ValueError(f"cannot read {expression!r}: write NAME = VARIABLE OP NUMBER [@ TIMEPOINT], "
                         "e.g. 'remission = caps5 < 20 @ 12' (OP: < <= > >= == !=)")
    return Derivation(found["name"], found["variable"], found["op"], float(found["number"].replace(",", ".")),
                      found["time"])


def itt_comparison(frame: pd.DataFrame, outcome: str, time, report: ReportBuilder) -> None:
    """Rates with the ITT and the completers' denominators at ``time`` (see the module docstring)."""
    arms = arms_of(frame)
    if len(arms) != 2:
        report.notes.append(f"{outcome}: the ITT comparison needs exactly two arms (found {len(arms)})")
        return
    randomised = frame.groupby("arm", sort=False)["participant"].nunique()
    at = frame[(frame["time"] == time)].set_index("participant")[[outcome, "arm"]]
    label = contrast_label(arms, ratio=True)
    for denominator in ("itt", "completers"):
        cells = []
        for arm in arms:
            values = at.loc[at["arm"] == arm, outcome].dropna()
            events = int((values == 1).sum())
            total = int(randomised[arm]) if denominator == "itt" else len(values)
            cells.append((events, total))
            report.add(f"derived_{denominator}", outcome, time, "events", events, arm)
            report.add(f"derived_{denominator}", outcome, time, "n", total, arm)
            report.add(f"derived_{denominator}", outcome, time, "percent", 100 * events / total if total else None, arm)
        if min(total for _, total in cells) == 0:
            continue
        table = np.array([[e, t - e] for e, t in cells])
        if (table.sum(axis=0) > 0).all():
            two_by_two(table, report, f"derived_{denominator}", outcome, time, label)
        (e1, n1), (e2, n2) = cells
        p1, p2 = e1 / n1, e2 / n2
        difference = p1 - p2
        half = Z95 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        report.add(f"derived_{denominator}", outcome, time, "risk_difference", difference, contrast_label(arms))
        report.add(f"derived_{denominator}", outcome, time, "rd_ci_low", difference - half, contrast_label(arms))
        report.add(f"derived_{denominator}", outcome, time, "rd_ci_high", difference + half, contrast_label(arms))
        nnt = number_needed_to_treat(difference, difference - half, difference + half)
        if nnt.nnt is not None:
            report.add(f"derived_{denominator}", outcome, time, "nnt", nnt.nnt, contrast_label(arms))
            if nnt.through_infinity:
                report.notes.append(f"{outcome} ({denominator}): the CI of the risk difference includes 0, so the NNT's "
                                    "runs through infinity (Altman 1998)")
            if nnt.ci_low is not None and nnt.ci_high is not None:
                report.add(f"derived_{denominator}", outcome, time, "nnt_ci_low", nnt.ci_low, contrast_label(arms))
                report.add(f"derived_{denominator}", outcome, time, "nnt_ci_high", nnt.ci_high, contrast_label(arms))
