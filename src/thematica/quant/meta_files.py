"""Reading and checking meta-analysis files (CSV): pairwise, arm-level and contrast-level (network),
and extraction pairs.

Pairwise columns, one of: ``events_t,n_t,events_c,n_c`` (binary), ``mean_t,sd_t,n_t,mean_c,sd_c,n_c``
(continuous), or ``estimate,se`` (ratio measures: estimate on the natural scale). A ``study`` column
names the studies (row numbers otherwise); ``--subgroup`` names another column. Every error names
the file, the row and the reason.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.quant.meta.effects import RATIO, EffectSet, StudyEffect, binary_effects, continuous_effect
from thematica.quant.meta.network import Arm, Contrast

BINARY = ("events_t", "n_t", "events_c", "n_c")
CONTINUOUS = ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c")
GENERIC = ("estimate", "se")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(read_text_file(Path(path))))
    if not reader.fieldnames:
        raise ThematicaError("empty file: expected a header row", path=str(path))
    header = [name.strip().lower() for name in reader.fieldnames]
    rows = [{key.strip().lower(): (value or "").strip() for key, value in row.items() if key} for row in reader]
    if not rows:
        raise ThematicaError("no studies in the file", path=str(path))
    return header, rows


def _number(row: dict[str, str], column: str, path: Path, number: int, *, whole: bool = False,
            positive: bool = False, minimum: float | None = None) -> float:
    text = row.get(column, "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ThematicaError(f"{column} is not a number ({row.get(column)!r})", path=str(path), row=number) from None
    if math.isnan(value) or math.isinf(value):
        raise ThematicaError(f"{column} is not a finite number", path=str(path), row=number)
    if whole and value != int(value):
        raise ThematicaError(f"{column} must be a whole number", path=str(path), row=number)
    if positive and value <= 0:
        raise ThematicaError(f"{column} must be greater than 0", path=str(path), row=number)
    if minimum is not None and value < minimum:
        raise ThematicaError(f"{column} must be at least {minimum:g} (got {value:g})", path=str(path), row=number)
    return value


@dataclass
class PairwiseData:
    effects: EffectSet
    subgroups: dict[str, str]


def read_pairwise(path: Path, measure: str, subgroup: str | None = None) -> PairwiseData:
    header, rows = read_rows(path)
    has = lambda columns: all(c in header for c in columns)  # noqa: E731
    studies = [row.get("study") or f"study {n}" for n, row in enumerate(rows, start=1)]
    if len(set(studies)) != len(studies):
        raise ThematicaError("study names must be unique", path=str(path))
    if subgroup and subgroup.lower() not in header:
        raise ThematicaError(f"no column {subgroup!r} for --subgroup", path=str(path))
    groups = {s: row.get(subgroup.lower(), "") for s, row in zip(studies, rows)} if subgroup else {}
    if has(BINARY) and measure in ("RR", "OR", "RD"):
        parsed = []
        for number, (study, row) in enumerate(zip(studies, rows), start=2):
            events_t = _number(row, "events_t", path, number, whole=True, minimum=0)
            n_t = _number(row, "n_t", path, number, whole=True, positive=True)
            events_c = _number(row, "events_c", path, number, whole=True, minimum=0)
            n_c = _number(row, "n_c", path, number, whole=True, positive=True)
            for events, n, arm in ((events_t, n_t, "treatment"), (events_c, n_c, "control")):
                if events > n:
                    raise ThematicaError(f"more events than participants in the {arm} arm ({events:g} > {n:g})",
                                         path=str(path), row=number)
            parsed.append((study, events_t, n_t, events_c, n_c))
        return PairwiseData(binary_effects(measure, parsed), groups)
    if has(CONTINUOUS) and measure in ("SMD", "MD"):
        effects = []
        for number, (study, row) in enumerate(zip(studies, rows), start=2):
            values = {c: _number(row, c, path, number, positive=c.startswith(("sd", "n"))) for c in CONTINUOUS}
            if min(values["n_t"], values["n_c"]) < 2:
                raise ThematicaError("each arm needs at least 2 participants", path=str(path), row=number)
            effects.append(continuous_effect(measure, study, values["mean_t"], values["sd_t"], values["n_t"],
                                             values["mean_c"], values["sd_c"], values["n_c"]))
        return PairwiseData(EffectSet(measure, effects), groups)
    if has(GENERIC):
        effects = []
        for number, (study, row) in enumerate(zip(studies, rows), start=2):
            estimate = _number(row, "estimate", path, number, positive=measure in RATIO)
            se = _number(row, "se", path, number, positive=True)
            effects.append(StudyEffect(study, math.log(estimate) if measure in RATIO else estimate, se ** 2))
        return PairwiseData(EffectSet(measure, effects), groups)
    needed = {"RR": BINARY, "OR": BINARY, "RD": BINARY, "SMD": CONTINUOUS, "MD": CONTINUOUS}[measure]
    raise ThematicaError(f"missing columns for {measure}: need {','.join(needed)} or {','.join(GENERIC)}",
                         path=str(path))


def read_network(path: Path, measure: str) -> list[Arm] | list[Contrast]:
    """A network file read once: contrasts when it has ``treat1,treat2`` columns (netmeta's layout), arms otherwise."""
    header, rows = read_rows(path)
    if "treat1" in header and "treat2" in header:
        return _contrasts(path, header, rows, measure)
    return _arms(path, header, rows, measure)


def read_arms(path: Path, measure: str) -> list[Arm]:
    return _arms(path, *read_rows(path), measure)


def read_contrasts(path: Path, measure: str) -> list[Contrast]:
    return _contrasts(path, *read_rows(path), measure)


def _arms(path: Path, header: list[str], rows: list[dict[str, str]], measure: str) -> list[Arm]:
    binary = measure in ("RR", "OR")
    needed = ("study", "treatment", "events", "n") if binary else ("study", "treatment", "mean", "sd", "n")
    missing = [c for c in needed if c not in header]
    if missing:
        raise ThematicaError(f"missing column(s) {', '.join(missing)}; arm-level files need {','.join(needed)}",
                             path=str(path))
    arms, seen = [], set()
    for number, row in enumerate(rows, start=2):
        key = (row["study"], row["treatment"])
        if not row["study"] or not row["treatment"]:
            raise ThematicaError("empty study or treatment", path=str(path), row=number)
        if key in seen:
            raise ThematicaError(f"treatment {row['treatment']!r} appears twice in study {row['study']!r}",
                                 path=str(path), row=number)
        seen.add(key)
        n = _number(row, "n", path, number, positive=True, whole=binary)
        if binary:
            events = _number(row, "events", path, number, whole=True, minimum=0)
            if events > n:
                raise ThematicaError(f"more events than participants ({events:g} > {n:g})", path=str(path), row=number)
            arms.append(Arm(row["study"], row["treatment"], events=events, n=n))
        else:
            arms.append(Arm(row["study"], row["treatment"], mean=_number(row, "mean", path, number),
                            sd=_number(row, "sd", path, number, positive=True), n=n))
    counts: dict[str, int] = {}
    for arm in arms:
        counts[arm.study] = counts.get(arm.study, 0) + 1
    single = [study for study, count in counts.items() if count < 2]
    if single:
        raise ThematicaError(f"studies with a single arm compare nothing: {', '.join(single)}", path=str(path))
    return arms


def _contrasts(path: Path, header: list[str], rows: list[dict[str, str]], measure: str) -> list[Contrast]:
    """Contrast-level network data: ``study,treat1,treat2`` and either ``te,sete`` (analysis scale: log
    for OR/RR, as netmeta's TE/seTE) or ``estimate,se`` (ratio measures on the natural scale, se of the log)."""
    missing = [c for c in ("study", "treat1", "treat2") if c not in header]
    if missing:
        raise ThematicaError(f"missing column(s) {', '.join(missing)}", path=str(path))
    ratio = measure in RATIO
    if "te" in header and "sete" in header:
        columns, natural = ("te", "sete"), False
    elif all(c in header for c in GENERIC):
        columns, natural = GENERIC, ratio
    else:
        raise ThematicaError("contrast-level files need te,sete or estimate,se beside study,treat1,treat2",
                             path=str(path))
    contrasts = []
    for number, row in enumerate(rows, start=2):
        if not row["study"] or not row["treat1"] or not row["treat2"]:
            raise ThematicaError("empty study or treatment", path=str(path), row=number)
        estimate = _number(row, columns[0], path, number, positive=natural)
        se = _number(row, columns[1], path, number, positive=True)
        contrasts.append(Contrast(row["study"], row["treat1"], row["treat2"],
                                  math.log(estimate) if natural else estimate, se))
    return contrasts


def compare_extractions(first: Path, second: Path) -> list[tuple[str, str, str, str]]:
    """Every cell where two independent extractions differ: (study, column, value in A, value in B)."""
    header_a, rows_a = read_rows(first)
    header_b, rows_b = read_rows(second)
    key = "study" if "study" in header_a and "study" in header_b else None

    def keyed(rows):
        out = {}
        for number, row in enumerate(rows, start=1):
            name = row.get("study") if key else f"row {number}"
            if key and row.get("study") in out and len(row.get("study")) > 0:
                name = f"{name} (row {number})"
            out[name] = row
        return out

    a, b = keyed(rows_a), keyed(rows_b)
    differences = []
    for study in sorted(set(a) | set(b)):
        if study not in a or study not in b:
            differences.append((study, "(study)", "present" if study in a else "missing",
                                "present" if study in b else "missing"))
            continue
        for column in sorted(set(header_a) | set(header_b)):
            left, right = a[study].get(column, "(no column)"), b[study].get(column, "(no column)")
            if left != right and _as_number(left) != _as_number(right):
                differences.append((study, column, left, right))
    return differences


def _as_number(text: str):
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text
