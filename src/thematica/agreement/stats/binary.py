"""Two coders, one code, a 2×2 table: both / A only / B only / neither.

With n units, p_o = (both + neither) / n and the coders' marginal 'yes' shares p_A, p_B:

* Cohen's kappa (Cohen 1960): κ = (p_o − p_e) / (1 − p_e), p_e = p_A·p_B + (1 − p_A)(1 − p_B)
  — the chance terms of the two categories are *added* (a known bug elsewhere multiplies them).
* Gwet's AC1 (Gwet 2008): π = (p_A + p_B)/2, p_e = 2π(1 − π), AC1 = (p_o − p_e)/(1 − p_e).
* Kappa-paradox diagnostics (Byrt, Bishop & Carlin 1993): prevalence index |both − neither|/n,
  bias index |A only − B only|/n, PABAK = 2p_o − 1; Brennan–Prediger κ_q = (p_o − 1/q)/(1 − 1/q),
  which equals PABAK for q = 2 categories.

Undefined values are None with the reason (e.g. both coders constant: p_e = 1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


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

    def kappa(self) -> tuple[float | None, str | None]:
        if self.n == 0:
            return None, "no units"
        p_o, p_a, p_b = self.percent_agreement, self.prevalence_a, self.prevalence_b
        p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
        if p_e >= 1:
            return None, "no variation: both coders gave every unit the same value"
        return (p_o - p_e) / (1 - p_e), None

    def ac1(self) -> tuple[float | None, str | None]:
        if self.n == 0:
            return None, "no units"
        pi = (self.prevalence_a + self.prevalence_b) / 2
        p_e = 2 * pi * (1 - pi)
        return (self.percent_agreement - p_e) / (1 - p_e), None

    def diagnostics(self, categories: int = 2) -> dict[str, float | None]:
        if self.n == 0:
            return {"prevalence_index": None, "bias_index": None, "pabak": None, "brennan_prediger": None}
        p_o = self.percent_agreement
        return {
            "prevalence_index": abs(self.both - self.neither) / self.n,
            "bias_index": abs(self.a_only - self.b_only) / self.n,
            "pabak": 2 * p_o - 1,
            "brennan_prediger": (p_o - 1 / categories) / (1 - 1 / categories),
        }

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def table_from_presence(a, b) -> TwoByTwo:
    """The 2×2 table of two boolean vectors over the same units."""
    import numpy as np

    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    both = int(np.count_nonzero(a & b))
    a_only = int(np.count_nonzero(a & ~b))
    b_only = int(np.count_nonzero(~a & b))
    return TwoByTwo(both, a_only, b_only, int(a.size) - both - a_only - b_only)
