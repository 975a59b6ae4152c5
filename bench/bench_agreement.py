"""Agreement benchmark (issue 4): 2 coders × 100 documents × 10,000 words × 150 codes, 40,000
segments per coder; the full per-code table for each method. Targets: unit- and segment-based
< 1 s, character-based < 3 s, unitizing < 10 s, memory < 1 GB. Also times a straightforward
per-character-set implementation of the character-based table on the same data, for the ratio.
The unitizing method is timed twice: per code, and with the 15 code families as domains (their
segments made exclusive per coder), which adds uα, |uα, |cuα and cuα per domain (2016 form).

The data are synthetic (seeded): documents of ~60,000 characters tiled by sentence units of
30–160 characters; coder A's segments cover 1–3 units; coder B keeps 70% of them (half moved by
a few characters) and adds his own. The statistics run on the loaded data (the store is not
timed: the loader is one query per table).

    .venv/bin/python bench/bench_agreement.py [--documents 100] [--segments 40000] [--codes 150]
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from thematica.agreement.report import (AgreementData, character_report, segment_report, unit_report,
                                        unitizing_report)
from thematica.agreement.stats.binary import TwoByTwo


def synthetic(documents: int, segments: int, codes: int, seed: int = 7) -> AgreementData:
    rng = random.Random(seed)
    names = [f"D{n:03d}" for n in range(documents)]
    units, lengths = {}, {}
    for name in names:
        position, spans = 0, []
        while position < 60_000:  # ~10,000 words of ~6 characters
            length = rng.randint(30, 160)
            spans.append((position, position + length))
            position += length
        units[name], lengths[name] = spans, position
    code_names = [f"Familie {n // 10}/Code {n}" for n in range(codes)]
    rows = []
    for _ in range(segments):
        document = rng.choice(names)
        first = rng.randrange(len(units[document]) - 3)
        start, end = units[document][first][0], units[document][first + rng.randint(0, 2)][1]
        code = rng.choice(code_names)
        rows.append((document, start, end, code, "anouk"))
        if rng.random() < 0.7:
            shift = rng.randint(-8, 8) if rng.random() < 0.5 else 0
            rows.append((document, max(0, start + shift), min(lengths[document], end + shift), code, "bas"))
    while sum(1 for r in rows if r[4] == "bas") < segments:
        document = rng.choice(names)
        first = rng.randrange(len(units[document]) - 3)
        rows.append((document, units[document][first][0], units[document][first + rng.randint(0, 2)][1],
                     rng.choice(code_names), "bas"))
    return AgreementData(["anouk", "bas"], "sentence", names, units, lengths, rows, code_names)


def exclusive_domains(data: AgreementData) -> AgreementData:
    """The same data with each code family as a domain whose categories exclude each other: per coder,
    a segment is kept only if it overlaps none already kept in its family (as a codebook would demand)."""
    kept, taken = [], {}
    for row in sorted(data.segments, key=lambda r: (r[4], r[3].split("/")[0], r[0], r[1])):
        document, start, end, code, coder = row
        key = (coder, code.split("/")[0], document)
        if start >= taken.get(key, -1):
            kept.append(row)
            taken[key] = end
    families: dict[str, list[str]] = {}
    for code in data.codes:
        families.setdefault(code.split("/")[0], []).append(code)
    return AgreementData(data.coders, data.unit, data.documents, data.units, data.lengths, kept, data.codes,
                         families)


def per_character_sets(data: AgreementData) -> dict[tuple[str, str], TwoByTwo]:
    """The straightforward way: a Python set of character positions per coder, code and document."""
    covered: dict[tuple[str, str, str], set[int]] = {}
    for document, start, end, code, coder in data.segments:
        covered.setdefault((coder, code, document), set()).update(range(start, end))
    tables = {}
    for code in data.codes:
        for document in data.documents:
            a = covered.get(("anouk", code, document), set())
            b = covered.get(("bas", code, document), set())
            both = len(a & b)
            tables[(code, document)] = TwoByTwo(both, len(a) - both, len(b) - both,
                                                data.lengths[document] - len(a | b))
    return tables


def timed(label: str, work, target: float | None = None) -> float:
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    goal = f" (target < {target:g} s{'' if elapsed < target else ' — MISSED'})" if target else ""
    print(f"{label:<40} {elapsed:7.2f} s{goal}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--segments", type=int, default=40_000)
    parser.add_argument("--codes", type=int, default=150)
    args = parser.parse_args()
    data = synthetic(args.documents, args.segments, args.codes)
    words = sum(data.lengths.values()) // 6
    print(f"{len(data.coders)} coders × {len(data.documents)} documents (~{words:,} words) × {len(data.codes)} codes, "
          f"{sum(1 for s in data.segments if s[4] == 'anouk'):,} / {sum(1 for s in data.segments if s[4] == 'bas'):,} "
          "segments")
    timed("unit-based (sentences)", lambda: unit_report(data, 0.0, 0), 1)
    timed("segment-based (MAXQDA, 90%)", lambda: segment_report(data, 90.0), 1)
    fast = timed("character-based (NVivo)", lambda: character_report(data), 3)
    timed("unitizing |uα", lambda: unitizing_report(data), 10)
    domains = exclusive_domains(data)
    timed(f"unitizing + {len(domains.domains)} domains (2016 family)", lambda: unitizing_report(domains), 10)
    ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory, data + all four methods (RSS): {ours:,.0f} MB (target < 1,024 MB)")
    reference: dict = {}
    slow = timed("character-based, per-character sets", lambda: reference.update(per_character_sets(data)))
    from thematica.agreement.stats.characters import character_tables

    same = character_tables(data.segments, data.lengths, "anouk", "bas", data.codes) == reference
    print(f"the two character-based tables are identical: {'yes' if same else 'NO'}")
    print(f"ratio per-character sets / Thematica: {slow / fast:.1f}×")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory after the per-character sets: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
