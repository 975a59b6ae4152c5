"""Finding duplicate records across database exports, for the reviewers to confirm.

Two records are candidate duplicates when
* their DOIs are equal after normalisation, or
* their titles match closely (rapidfuzz ``ratio`` on the normalised title ≥ ``TITLE_THRESHOLD``), their
  years are equal or one is missing, and their first authors' surnames agree (``ratio`` ≥
  ``AUTHOR_THRESHOLD``; a missing first author on either side counts as agreement only when the titles
  are identical).

Candidates are grouped into clusters (connected components); the record imported first is kept and
the others are proposed as its duplicates. Nothing is marked until a reviewer confirms it (PRISMA 2020
reports "duplicate records removed" as a count the team can defend).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any
from dataclasses import dataclass

TITLE_THRESHOLD = 92.0
AUTHOR_THRESHOLD = 85.0


@dataclass(frozen=True)
class Candidate:
    """What the matcher needs of a record."""

    id: int
    title: str
    year: int | None
    first_author: str
    doi: str


@dataclass(frozen=True)
class DuplicatePair:
    keep: int
    duplicate: int
    reason: str
    score: float

    def to_dict(self) -> dict[str, object]:
        return {"keep": self.keep, "duplicate": self.duplicate, "reason": self.reason, "score": self.score}


def normalise_title(title: str) -> str:
    """Accents folded, case folded, punctuation dropped, spaces collapsed: 'Één-jarige' → 'een jarige'."""
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def surname(author: str) -> str:
    """'Vries, Jan de' and 'Jan de Vries' → 'vries'; 'Smith J' → 'smith'."""
    author = author.strip()
    if not author:
        return ""
    if "," in author:
        family = author.split(",", 1)[0]
    else:
        parts = author.split()
        # MEDLINE 'Smith J' / 'Smith JA': initials come last
        family = parts[0] if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}", parts[-1]) else parts[-1]
    words = normalise_title(family).split()
    return words[-1] if words else ""


def find_duplicates(records: Sequence[Candidate], *, rejected: frozenset[tuple[int, int]] = frozenset()
                    ) -> list[DuplicatePair]:
    """Candidate duplicate pairs (keep = the lowest id of each cluster), excluding pairs a reviewer
    has rejected (``(low id, high id)``)."""
    from rapidfuzz import fuzz, process

    edges: dict[tuple[int, int], tuple[str, float]] = {}

    def link(a: int, b: int, reason: str, score: float) -> None:
        key = (min(a, b), max(a, b))
        if key not in rejected and key not in edges:
            edges[key] = (reason, score)

    by_doi: dict[str, list[int]] = defaultdict(list)
    for record in records:
        if record.doi:
            by_doi[record.doi].append(record.id)
    for ids in by_doi.values():
        for other in ids[1:]:
            link(ids[0], other, "same DOI", 100.0)

    titles = [normalise_title(record.title) for record in records]
    surnames = [surname(record.first_author) for record in records]
    blocks: dict[int | None, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        blocks[record.year].append(index)
    unknown_year = blocks.pop(None, [])
    for year, block in blocks.items():
        _match_block(records, titles, surnames, block, block + unknown_year, link, fuzz, process)
    if unknown_year:
        _match_block(records, titles, surnames, unknown_year, unknown_year, link, fuzz, process)

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    pairs = []
    members: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        for x in (a, b):
            root = find(x)
            if x not in members[root]:
                members[root].append(x)
    for root, cluster in sorted(members.items()):
        for other in sorted(cluster):
            if other == root:
                continue
            key = (min(root, other), max(root, other))
            reason, score = edges.get(key) or _best_edge(edges, other)
            pairs.append(DuplicatePair(root, other, reason, round(score, 1)))
    return pairs


def _best_edge(edges: dict[tuple[int, int], tuple[str, float]], member: int) -> tuple[str, float]:
    """For a record linked to its cluster's kept record only through others, the strongest of its own links."""
    own = [value for key, value in edges.items() if member in key]
    reason, score = max(own, key=lambda item: item[1])
    return f"{reason} (via another duplicate)", score


def _match_block(records: Sequence[Candidate], titles: list[str], surnames: list[str], members: list[int],
                 pool: list[int], link: Callable[[int, int, str, float], None], fuzz: Any, process: Any) -> None:
    pool_titles = [titles[i] for i in pool]
    for index in members:
        matches = process.extract(titles[index], pool_titles, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD,
                                  limit=None)
        for _, score, position in matches:
            other = pool[position]
            if other == index:
                continue
            a, b = surnames[index], surnames[other]
            if a and b:
                if fuzz.ratio(a, b) < AUTHOR_THRESHOLD:
                    continue
            elif score < 100.0:
                continue
            link(records[index].id, records[other].id, "similar title, year and first author", float(score))
