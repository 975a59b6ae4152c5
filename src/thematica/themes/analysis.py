"""Counting what the themes and codes rest on: prevalence, co-occurrence, framework matrix, saturation.

Prevalence is reported as qualitative studies do: segments, and the number and labels of the
cases (participants) whose transcripts carry a code or theme — "5 of 6 clients".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np

from thematica.spans import overlaps
from thematica.themes.data import CodedMaterial


@dataclass(frozen=True)
class Prevalence:
    name: str
    kind: str  # "theme" or "code"
    segments: int
    cases: list[str]
    of_cases: int

    @property
    def wording(self) -> str:
        return f"{len(self.cases)} of {self.of_cases}"

    def to_dict(self) -> dict:
        return {**asdict(self), "case_count": len(self.cases), "wording": self.wording}


def code_prevalence(material: CodedMaterial) -> list[Prevalence]:
    total = len(material.cases)
    rows = []
    for code in material.codes:
        mine = [s for s in material.segments if s.code == code.path or s.code.startswith(code.path + "/")]
        rows.append(Prevalence(code.path, "code", len(mine), sorted({s.case for s in mine}), total))
    return rows


def theme_prevalence(material: CodedMaterial) -> list[Prevalence]:
    total = len(material.cases)
    rows = []
    for theme in material.themes:
        codes = material.theme_codes(theme)
        mine = [s for s in material.segments if s.code in codes]
        rows.append(Prevalence(theme.name, "theme", len(mine), sorted({s.case for s in mine}), total))
    return rows


def cooccurrence(material: CodedMaterial, by: str = "unit") -> tuple[list[str], np.ndarray]:
    """Code × code counts: sentences carrying both codes (``unit``) or overlapping segments (``overlap``).

    Counted within each coder's own coding and summed over coders: two codes co-occur only when
    the SAME coder applied both (to one sentence, or to overlapping segments). Two coders giving
    one passage different codes is a disagreement, not a co-occurrence, so segments of different
    coders are never paired. With ``unit`` a count is a (coder, sentence) pair; the diagonal holds
    each code's own count ((coder, sentence) pairs, or segments).
    """
    codes = sorted({s.code for s in material.segments})
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.zeros((len(codes), len(codes)), dtype=int)
    by_coding: dict[tuple[str, str], list] = defaultdict(list)
    for segment in material.segments:
        by_coding[(segment.document, segment.coder)].append(segment)
    for (document, _coder), segments in by_coding.items():
        if by == "overlap":
            for segment in segments:
                matrix[index[segment.code], index[segment.code]] += 1
            for i, a in enumerate(segments):
                for b in segments[i + 1:]:
                    if a.code != b.code and overlaps((a.start, a.end), (b.start, b.end)):
                        matrix[index[a.code], index[b.code]] += 1
                        matrix[index[b.code], index[a.code]] += 1
        else:
            for start, end in material.sentences.get(document, []):
                present = sorted({index[s.code] for s in segments if overlaps((s.start, s.end), (start, end))})
                for i in present:
                    for j in present:
                        matrix[i, j] += 1
    return codes, matrix


def framework_matrix(material: CodedMaterial) -> tuple[list[str], list[str], np.ndarray]:
    """Theme × case counts of segments (the framework matrix)."""
    cases = material.cases
    themes = [theme.name for theme in material.themes]
    matrix = np.zeros((len(themes), len(cases)), dtype=int)
    for row, theme in enumerate(material.themes):
        codes = material.theme_codes(theme)
        for segment in material.segments:
            if segment.code in codes:
                matrix[row, cases.index(segment.case)] += 1
    return themes, cases, matrix


@dataclass(frozen=True)
class Saturation:
    documents: list[str]
    new_codes: list[int]
    cumulative_share: list[float]
    new_themes: list[int]
    last_new_code_after: str | None

    @property
    def saturated_after(self) -> str | None:
        """The transcript after which no new code appeared, or None when the last transcript (or none
        at all) still brought new codes: saturation not (yet) reached."""
        if self.last_new_code_after and self.documents and self.last_new_code_after != self.documents[-1]:
            return self.last_new_code_after
        return None

    def to_dict(self) -> dict:
        return asdict(self)


def saturation(material: CodedMaterial) -> Saturation:
    """New codes (and themes) contributed by each transcript in interview order.

    The cumulative share is the share of all codes used in the study that were present after n
    transcripts; ``last_new_code_after`` names the transcript after which no new code appeared.
    """
    seen: set[str] = set()
    seen_themes: set[str] = set()
    all_codes = {s.code for s in material.segments}
    new, shares, new_themes = [], [], []
    theme_codes = {theme.name: material.theme_codes(theme) for theme in material.themes}
    last = None
    for document, _ in material.documents:
        codes = {s.code for s in material.segments if s.document == document}
        fresh = codes - seen
        seen |= codes
        themes_here = {name for name, members in theme_codes.items() if members & codes}
        new_themes.append(len(themes_here - seen_themes))
        seen_themes |= themes_here
        new.append(len(fresh))
        shares.append(len(seen) / len(all_codes) if all_codes else 0.0)
        if fresh:
            last = document
    return Saturation([d for d, _ in material.documents], new, shares, new_themes, last)
