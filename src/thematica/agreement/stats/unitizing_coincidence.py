"""Krippendorff's unitizing alphas in their coincidence form (Krippendorff, Mathet, Bouvry &
Widlöcher 2016, Quality & Quantity 50:2347–64; Krippendorff 2019, *Content Analysis* 4th ed.,
§12.6, eqs. 32–38): uα, |uα, |cuα and cuα for the categories of one domain, any number of coders.

Each coder's valued units (segments carrying one category of the domain) and the gaps between them
(value φ) tile the continuum [0, L). Nothing is compared by boundaries here; the statistics rest on
how long sections of two coders intersect:

    observed  ℓ_ck = 1/(m − 1) · Σ_i Σ_{j≠i} Σ_g Σ_h |S_ig(c) ∩ S_jh(k)|            (eq. 32; ℓ.. = mL)

    expected  ε_ck = ℓ.. · (ℓ_c. ℓ_.k − [c = k] · s_c) / (ℓ..² − Σ_c s_c)         (eq. 33)

where s_c sums, over every coder's sections of value c, l² for a valued unit (a unit moves as a
whole, so none of its l² character pairs can pair with itself) and l for a gap (gap characters are
not units and pair individually). With units of length 1 this is the ordinary expected coincidence
n_c(n_k − [c = k])/(n − 1) of nominal alpha, which the tests use as an independent check.

    uα    = 1 − Σ_{c≠k} ℓ_ck / Σ_{c≠k} ε_ck, all categories and φ                    (eq. 34)
    |uα   = the same on the matrices collapsed to {φ, valued}: agreement on what is coded at all (eq. 35)
    |cuα  = the same collapsed to {c, everything else}: one category against the rest
    cuα   = coding given unitizing: the valued sub-matrix ℓ*, with s*_c built from each unit's
            *pairable* length (the part lying under other coders' valued units), so the
            categories are compared only where coders agree that something is there (eqs. 36–37);
            ATLAS.ti reports it per domain as cu-α and, with the domains as the categories, Cu-α.
    coverage(c) = ℓ*_.c / ℓ_.c: the share of c-valued matter that met another coder's valued unit.

The 2016 paper introduces this form because the 1995 |uα "behaves not as expected" with more than
two coders; this one pairs every coder with every other through ℓ_ck, so any m ≥ 2 is fine.
The original papers could not be consulted here: the equations are taken from their transcription in
the quallmer R package's documentation (Krippendorff 2019, eqs. 32–38) and checked against nominal
alpha (krippendorff package) in the limit of unit-length units and against a per-character
brute-force computation (tests/agreement/test_unitizing_coincidence.py).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from thematica.spans import overlap

GAP = "φ"
Valued = tuple[int, int, str]  # begin, end, category


class OverlappingCategories(ValueError):
    """One coder gave two categories of the domain to the same characters (the categories of a
    domain must exclude each other); ``characters`` says how many."""

    def __init__(self, coder: int, characters: int) -> None:
        super().__init__(f"coder {coder + 1} gave two categories to the same {characters} characters")
        self.coder, self.characters = coder, characters


@dataclass(frozen=True)
class UnitizingFamily:
    categories: list[str]
    u_alpha: float | None
    binary_alpha: float | None
    cu_alpha: float | None
    category_alpha: dict[str, float | None]  # |cuα
    coverage: dict[str, float | None]
    observed: dict[tuple[str, str], float] = field(repr=False)
    expected: dict[tuple[str, str], float] = field(repr=False)
    reasons: list[str] = field(default_factory=list)


def tiling(units: list[Valued], length: int, coder: int = 0) -> list[Valued]:
    """A coder's units (same-category overlaps merged) and gaps, in order, tiling [0, length)."""
    merged: list[list] = []
    for start, end, value in sorted(units):
        if start < 0 or end > length:
            raise ValueError(f"unit [{start}, {end}) lies outside the continuum [0, {length})")
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            if merged[-1][2] != value:
                raise OverlappingCategories(coder, _characters_with_two_categories(units))
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, value])
    sections, position = [], 0
    for start, end, value in merged:
        if start > position:
            sections.append((position, start, GAP))
        sections.append((start, end, value))
        position = end
    if position < length:
        sections.append((position, length, GAP))
    return sections


def _characters_with_two_categories(units: list[Valued]) -> int:
    """How many characters carry more than one category (a sweep over each category's merged units)."""
    events: dict[int, int] = defaultdict(int)
    for value in {v for _, _, v in units}:
        for begin, end, kind in tiling([u for u in units if u[2] == value], max(e for _, e, _ in units)):
            if kind != GAP:
                events[begin] += 1
                events[end] -= 1
    total, depth, previous = 0, 0, 0
    for position in sorted(events):
        if depth > 1:
            total += position - previous
        depth += events[position]
        previous = position
    return total


def _intersections(first: list[Valued], second: list[Valued]):
    """(value in first, value in second, length) for every intersecting pair (a merge of two tilings)."""
    i = j = 0
    while i < len(first) and j < len(second):
        (b1, e1, v1), (b2, e2, v2) = first[i], second[j]
        overlap = min(e1, e2) - max(b1, b2)
        if overlap > 0:
            yield v1, v2, overlap
        if e1 <= e2:
            i += 1
        else:
            j += 1


def _alpha(observed: dict, expected: dict) -> float | None:
    d_o = sum(v for (c, k), v in observed.items() if c != k)
    d_e = sum(v for (c, k), v in expected.items() if c != k)
    return 1 - d_o / d_e if d_e > 0 else None


def _expected(observed: dict, values: list[str], correction: dict[str, float]) -> dict:
    """ε_ck = ℓ..(ℓ_c.ℓ_.k − [c = k]s_c)/(ℓ..² − Σs): eq. 33 (and eq. 36 with pairable lengths)."""
    margin: defaultdict[str, float] = defaultdict(float)
    for (c, _), v in observed.items():
        margin[c] += v
    total = sum(margin.values())
    denominator = total ** 2 - sum(correction.values())
    if total <= 0 or denominator <= 0:
        return {}
    return {(c, k): total * (margin[c] * margin[k] - (correction.get(c, 0.0) if c == k else 0.0)) / denominator
            for c in values for k in values}


def _collapse(matrix: dict, group) -> dict:
    collapsed: defaultdict[tuple[str, str], float] = defaultdict(float)
    for (c, k), v in matrix.items():
        collapsed[(group(c), group(k))] += v
    return dict(collapsed)


def unitizing_family(coders: list[list[Valued]], length: int) -> UnitizingFamily:
    """uα, |uα, |cuα per category and cuα for ``coders``' valued units on [0, length)."""
    m = len(coders)
    if m < 2 or length <= 0:
        raise ValueError("needs two coders and a non-empty continuum")
    tilings = [tiling(units, length, index) for index, units in enumerate(coders)]
    categories = sorted({v for t in tilings for _, _, v in t if v != GAP})
    values = [GAP, *categories]
    observed: dict[tuple[str, str], float] = defaultdict(float)
    for i in range(m):
        for j in range(i + 1, m):
            for c, k, overlap in _intersections(tilings[i], tilings[j]):
                observed[(c, k)] += overlap / (m - 1)
                observed[(k, c)] += overlap / (m - 1)
    observed = dict(observed)
    correction: dict[str, float] = defaultdict(float)
    for t in tilings:
        for begin, end, value in t:
            correction[value] += (end - begin) if value == GAP else (end - begin) ** 2
    expected = _expected(observed, values, correction)
    reasons = []
    if not categories:
        reasons.append("no coder used a category of this domain")
    u_alpha = _alpha(observed, expected) if categories else None
    binary = lambda v: GAP if v == GAP else "valued"  # noqa: E731
    binary_alpha = _alpha(_collapse(observed, binary), _collapse(expected, binary)) if categories else None
    category_alpha = {}
    for category in categories:
        one = lambda v, c=category: c if v == c else "rest"  # noqa: E731
        category_alpha[category] = _alpha(_collapse(observed, one), _collapse(expected, one))
    cu_alpha, coverage = _coding_alpha(tilings, length, observed, categories)
    if categories and cu_alpha is None:
        met = any(GAP not in key and v > 0 for key, v in observed.items())
        reasons.append("cuα undefined: " + ("only one category where coders' units meet (no variation)" if met
                                             else "no two coders' units meet"))
    if categories and u_alpha is None:
        reasons.append("uα undefined: no variation in the values")
    return UnitizingFamily(categories, u_alpha, binary_alpha, cu_alpha, category_alpha, coverage, observed,
                           expected, reasons)


def _coding_alpha(tilings: list[list[Valued]], length: int, observed: dict, categories: list[str]):
    """cuα (eqs. 36–37): the valued sub-matrix, each unit's correction its pairable length squared."""
    sub = {(c, k): v for (c, k), v in observed.items() if c != GAP and k != GAP}
    coverage = {}
    for c in categories:
        full = sum(v for (a, _), v in observed.items() if a == c)
        part = sum(v for (a, _), v in sub.items() if a == c)
        coverage[c] = part / full if full > 0 else None
    if sum(sub.values()) <= 0:
        return None, coverage
    correction: dict[str, float] = defaultdict(float)
    for index, own in enumerate(tilings):
        others = _valued_union([t for other, t in enumerate(tilings) if other != index], length)
        for begin, end, value in own:
            if value != GAP:
                correction[value] += _covered(begin, end, others) ** 2
    expected = _expected(sub, categories, correction)
    return _alpha(sub, expected), coverage


def _valued_union(tilings: list[list[Valued]], length: int) -> list[tuple[int, int]]:
    """Where any of these coders has a valued unit: their units as one category, tiled."""
    units = [(b, e, "valued") for t in tilings for b, e, v in t if v != GAP]
    return [(b, e) for b, e, v in tiling(units, length) if v != GAP]


def _covered(begin: int, end: int, union: list[tuple[int, int]]) -> int:
    """Characters of [begin, end) inside ``union`` (sorted, disjoint)."""
    index = max(0, bisect.bisect_right(union, (begin, float("inf"))) - 1)
    total = 0
    while index < len(union) and union[index][0] < end:
        total += overlap((begin, end), union[index])
        index += 1
    return total
