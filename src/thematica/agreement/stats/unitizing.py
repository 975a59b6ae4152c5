"""Krippendorff's unitizing alpha for one category on a continuum: |uα (binary: the category's
units against everything else), Krippendorff (1995, Sociological Methodology 25:47–76; 2004,
*Content Analysis* 2nd ed., pp. 251–256), which the 2016 paper (Krippendorff, Mathet, Bouvry &
Widlöcher, Quality & Quantity 50:2347) calls |cuα per category.

Each coder's units of the category, with the gaps between them, tile the continuum [0, L).
Two sections g (coder i) and h (coder j), with begins b and ends e, differ by

    δ²(g, h) = (b_g − b_h)² + (e_g − e_h)²   both are units and they overlap
             = l_g²                           g is a unit lying wholly inside the gap h (and vice versa)
             = 0                              otherwise (gaps with gaps, partial unit–gap overlaps,
                                              sections that do not overlap)

    D_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) / (m(m − 1) L²)

    D_e = (2/L) Σ_u [ (N − 1)(2l_u³ − 3l_u² + l_u)/3 + l_u² Σ_{gaps G: l_G ≥ l_u} (l_G − l_u + 1) ]
          / [ mL(mL − 1) − Σ_u l_u(l_u − 1) ]

over all N units u of all m coders and all gaps G of all coders; |uα = 1 − D_o / D_e.
Several documents are one continuum, laid end to end. A coder's overlapping segments of one
code are merged first (the definition needs non-overlapping units per coder); abutting ones stay
two units. Pooled over the codes of a domain: 1 − ΣD_o / ΣD_e.

With more than two coders this is still the 1995/2004 definition; the 2016 paper replaced it because
it "behaves not as expected" for more than two observers. The 2016 family (uα over a domain's
categories, |uα, |cuα, cuα/Cuα), built on coincidences of intersection lengths, is in
``unitizing_coincidence``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from thematica.agreement.stats.unitizing_coincidence import GAP, tiling

Section = tuple[int, int, bool]  # begin, end, is a unit


@dataclass(frozen=True)
class UnitizingAlpha:
    alpha: float | None
    observed: float
    expected: float
    units: int
    reason: str | None = None


def sections(units: list[tuple[int, int]], length: int) -> list[Section]:
    """The coder's units (overlaps merged) and the gaps between them, tiling [0, length)."""
    return [(begin, end, value != GAP) for begin, end, value in tiling([(b, e, "unit") for b, e in units], length)]


def _delta(g: Section, h: Section) -> int:
    if g[2] and h[2]:
        return (g[0] - h[0]) ** 2 + (g[1] - h[1]) ** 2
    if g[2] and not h[2] and h[0] <= g[0] and g[1] <= h[1]:
        return (g[1] - g[0]) ** 2
    if h[2] and not g[2] and g[0] <= h[0] and h[1] <= g[1]:
        return (h[1] - h[0]) ** 2
    return 0


def pair_disagreement(first: list[Section], second: list[Section]) -> int:
    """Σ δ² over the overlapping pairs of two tilings (a merge of the two sorted lists)."""
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        g, h = first[i], second[j]
        if min(g[1], h[1]) > max(g[0], h[0]):
            total += _delta(g, h)
        if g[1] <= h[1]:
            i += 1
        else:
            j += 1
    return total


def unitizing_alpha(coders: list[list[tuple[int, int]]], length: int) -> UnitizingAlpha:
    """|uα of one category: ``coders`` holds each coder's units (begin, end) on [0, length)."""
    m = len(coders)
    if m < 2 or length <= 0:
        return UnitizingAlpha(None, 0.0, 0.0, 0, "needs two coders and a non-empty continuum")
    tilings = [sections(units, length) for units in coders]
    unit_lengths = [e - b for tiling in tilings for b, e, is_unit in tiling if is_unit]
    gaps = sorted(e - b for tiling in tilings for b, e, is_unit in tiling if not is_unit)
    n = len(unit_lengths)
    if n == 0:
        return UnitizingAlpha(None, 0.0, 0.0, 0, "no coder used this code")
    observed = sum(pair_disagreement(tilings[i], tilings[j]) for i in range(m) for j in range(i + 1, m))
    d_o = 2 * observed / (m * (m - 1) * length ** 2)
    suffix = list(accumulate(reversed(gaps)))[::-1] + [0]  # suffix[k] = Σ gaps[k:]
    expected = 0.0
    for unit in unit_lengths:
        k = bisect.bisect_left(gaps, unit)
        longer = len(gaps) - k  # gaps with l_G ≥ l_u
        fits = suffix[k] - longer * (unit - 1)  # Σ (l_G − l_u + 1)
        expected += (n - 1) * (2 * unit ** 3 - 3 * unit ** 2 + unit) / 3 + unit ** 2 * fits
    denominator = m * length * (m * length - 1) - sum(u * (u - 1) for u in unit_lengths)
    d_e = 2 / length * expected / denominator
    if d_e <= 0:
        return UnitizingAlpha(None, d_o, d_e, n, "no expected disagreement (the code covers everything)")
    return UnitizingAlpha(1 - d_o / d_e, d_o, d_e, n)


def pooled_alpha(results: list[UnitizingAlpha]) -> float | None:
    """1 − ΣD_o / ΣD_e over categories (e.g. the codes of a domain)."""
    expected = sum(r.expected for r in results if r.units)
    return 1 - sum(r.observed for r in results if r.units) / expected if expected > 0 else None
