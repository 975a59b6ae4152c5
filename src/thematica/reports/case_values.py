"""A participant's trial values as one line of the workbench's case pane (pure: no pandas, no store).

``scl90 t0 0.90 → t3 0.77 → t24 0.41``: each timepoint labelled (a number ``3`` becomes ``t3``). A
variable that does not change over the timepoints (age, sex, a fixed covariate repeated in long data)
is shown once, without a timepoint: ``age 25`` (a value measured at one timepoint only keeps its
label). Numbers: a series of whole numbers (counts, 0/1 codes) without decimals, any other series to
two decimals throughout, through ``reports.numbers.number`` (a true minus, never "−0.00"; a missing
value as a dash).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from thematica.reports.numbers import number


def _time_label(time: object) -> str:
    text = f"{time:g}" if isinstance(time, float) else str(time)
    return f"t{text}" if text[:1].isdigit() else text


def _number(value: float, whole: bool) -> str:
    return number(value, 0 if whole else 2)


def case_value_line(variable: str, values: Sequence[tuple[object, float]]) -> str:
    """``variable t0 v0 → t3 v3 …``, or ``variable v`` when every timepoint holds the same value."""
    if not values:
        return variable
    numbers = [value for _, value in values]
    whole = all(math.isfinite(value) and float(value).is_integer() for value in numbers)
    if len(numbers) > 1 and len(set(numbers)) == 1:  # a single measurement keeps its timepoint
        return f"{variable} {_number(numbers[0], whole)}"
    return f"{variable} " + " → ".join(f"{_time_label(time)} {_number(value, whole)}" for time, value in values)
