"""Krippendorff's conventional minimums for alpha (and, by the same convention, kappa).

Krippendorff (2004, p. 241; 2019, §12.4): rely on variables with α ≥ .800; consider variables with
.667 ≤ α < .800 only for tentative conclusions; below .667 discard them.
"""

from __future__ import annotations

from enum import StrEnum

TENTATIVE = 0.667
RELIABLE = 0.800
MINIMUMS: tuple[float, ...] = (TENTATIVE, RELIABLE)


class Reliability(StrEnum):
    """Which side of the two minimums a coefficient falls on (the colour of a table cell)."""

    LOW = "low"
    TENTATIVE = "tentative"
    RELIABLE = "reliable"


def reliability(value: float) -> Reliability:
    if value < TENTATIVE:
        return Reliability.LOW
    return Reliability.TENTATIVE if value < RELIABLE else Reliability.RELIABLE


def minimum_label(minimum: float) -> str:
    """The key of a minimum in json (``p_below["0.667"]``)."""
    return f"{minimum:.3f}"
