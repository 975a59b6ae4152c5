"""Two coders, one code, a 2×2 table: both / A only / B only / neither.

With n units, p_o = (both + neither) / n and the coders' marginal 'yes' shares p_A, p_B:

* Cohen's kappa (Cohen 1960): κ = (p_o − p_e) / (1 − p_e), p_e = p_A·p_B + (1 − p_A)(1 − p_B)
  — the chance terms of the two categories are *added* (a known bug elsewhere multiplies them).
* Gwet's AC1 (Gwet 2008): π = (p_A + p_B)/2, p_e = 2π(1 − π), AC1 = (p_o − p_e)/(1 − p_e).
* Kappa-paradox diagnostics (Byrt, Bishop & Carlin 1993): prevalence index |both − neither|/n,
  bias index |A only − B only|/n, PABAK = 2p_o − 1; Brennan–Prediger κ_q = (p_o − 1/q)/(1 − 1/q),
  which equals PABAK for q = 2 categories.
* Krippendorff's nominal alpha for two coders and no missing values, closed form (Krippendorff
  2019, §12.2): n = 2N pairable values, n₁ = 2·both + A only + B only, n₀ = 2·neither + A only +
  B only, α = 1 − (n − 1)·(A only + B only) / (n₀·n₁).

Undefined values are None with the reason (e.g. both coders constant: p_e = 1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

NO_UNITS = "no units"


@dataclass(frozen=True)
class TwoByTwo:
    both: int
    a_only: int
    b_only: int
    neither: int

    @property
    def n(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    def __add__(self, other: TwoByTwo) -> TwoByTwo:
        return TwoByTwo(self.both + other.both, self.a_only + other.a_only, self.b_only + other.b_only,
                        self.neither + other.neither)

    @property
    def percent_agreement(self) -> float | None:
        return None if self.n == 0 else (self.both + self.neither) / self.n

    @property
    def prevalence_a(self) -> float | None:
        return None if self.n == 0 else (self.both + self.a_only) / self.n

    @property
    def prevalence_b(self) -> float | None:
        return None if self.n == 0 else (self.both + self.b_only) / self.n

    def _shares(self) -> tuple[float, float, float]:
        """p_o, p_A, p_B of a table with at least one unit."""
        n = self.n
        return (self.both + self.neither) / n, (self.both + self.a_only) / n, (self.both + self.b_only) / n

    def kappa(self) -> tuple[float | None, str | None]:
        if self.n == 0:
            return None, NO_UNITS
        p_o, p_a, p_b = self._shares()
        p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
        if p_e >= 1:
            return None, "no variation: both coders gave every unit the same value"
        return (p_o - p_e) / (1 - p_e), None

    def ac1(self) -> tuple[float | None, str | None]:
        if self.n == 0:
            return None, NO_UNITS
        p_o, p_a, p_b = self._shares()
        pi = (p_a + p_b) / 2
        p_e = 2 * pi * (1 - pi)
        return (p_o - p_e) / (1 - p_e), None

    def binary_alpha(self) -> tuple[float | None, str | None]:
        """Krippendorff's nominal alpha of this binary code (closed form above)."""
        n = 2 * self.n
        disagreements = self.a_only + self.b_only
        n1 = 2 * self.both + disagreements
        n0 = 2 * self.neither + disagreements
        if self.n == 0:
            return None, NO_UNITS
        if n0 == 0 or n1 == 0:
            return None, "no variation: every unit has the same value"
        return 1 - (n - 1) * disagreements / (n0 * n1), None

    def diagnostics(self, categories: int = 2) -> dict[str, float | None]:
        if self.n == 0:
            return {"prevalence_index": None, "bias_index": None, "pabak": None, "brennan_prediger": None}
        p_o = self._shares()[0]
        return {
            "prevalence_index": abs(self.both - self.neither) / self.n,
            "bias_index": abs(self.a_only - self.b_only) / self.n,
            "pabak": 2 * p_o - 1,
            "brennan_prediger": (p_o - 1 / categories) / (1 - 1 / categories),
        }

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


EMPTY = TwoByTwo(0, 0, 0, 0)


class TableCells:
    """The four cells of ``self.table``, for result rows that carry a 2×2 table."""

    table: TwoByTwo

    @property
    def both(self) -> int:
        return self.table.both

    @property
    def a_only(self) -> int:
        return self.table.a_only

    @property
    def b_only(self) -> int:
        return self.table.b_only

    @property
    def neither(self) -> int:
        return self.table.neither


def table_from_presence(a: ArrayLike, b: ArrayLike) -> TwoByTwo:
    """The 2×2 table of two boolean vectors over the same units."""
    first, second = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    both = int(np.count_nonzero(first & second))
    a_only = int(np.count_nonzero(first & ~second))
    b_only = int(np.count_nonzero(~first & second))
    return TwoByTwo(both, a_only, b_only, int(first.size) - both - a_only - b_only)
