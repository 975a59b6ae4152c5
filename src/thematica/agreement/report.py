"""Assembling an agreement report from plain data — the numbers behind ``thematica agreement``.

Pure: takes a :class:`AgreementData` (units, segments, codes, coders, domains) and returns an
:class:`AgreementReport` whose ``to_dict()`` is the stable json contract of the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from thematica.agreement.stats.alpha import alpha, bootstrap_alpha
from thematica.agreement.stats.binary import TwoByTwo, table_from_presence
from thematica.agreement.stats.characters import character_tables
from thematica.agreement.stats.multi import fleiss_kappa, presence_counts
from thematica.agreement.stats.segments import brennan_prediger, segment_agreement
from thematica.agreement.stats.unitizing import pooled_alpha, unitizing_alpha
from thematica.agreement.stats.unitizing_coincidence import OverlappingCategories, unitizing_family
from thematica.agreement.stats.units import UnitIndex, binary_alpha, domain_values, presence

METHODS = ("unit", "segment", "character")


@dataclass
class AgreementData:
    coders: list[str]
    unit: str
    documents: list[str]
    units: dict[str, list[tuple[int, int]]]
    lengths: dict[str, int]
    segments: list[tuple[str, int, int, str, str]]
    codes: list[str]
    domains: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class AgreementReport:
    coders: list[str]
    unit: str
    method: str
    units: int
    documents: list[str]
    overall: dict
    codes: list[dict]
    domains: list[dict]
    notes: list[str]
    pairs: list[dict] | None = None
    mean: dict | None = None

    def to_dict(self) -> dict:
        result = {
            "coders": self.coders, "unit": self.unit, "method": self.method, "units": self.units,
            "documents": self.documents, "overall": self.overall, "codes": self.codes, "domains": self.domains,
            "notes": self.notes,
        }
        if self.mean is not None:
            result["mean"] = self.mean
        if self.pairs is not None:
            result["pairs"] = self.pairs
        return result


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def _code_row(code: str, table: TwoByTwo, notes: list[str], alpha_value=None) -> dict:
    kappa, why_kappa = table.kappa()
    ac1, why_ac1 = table.ac1()
    if alpha_value is None:
        alpha_value, why_alpha = binary_alpha(table)
    else:
        why_alpha = None
    for statistic, why in (("kappa", why_kappa), ("alpha", why_alpha), ("ac1", why_ac1)):
        if why:
            notes.append(f"{code}: {statistic} undefined — {why}")
    return {
        "code": code, "percent_agreement": table.percent_agreement, "kappa": kappa, "alpha": alpha_value, "ac1": ac1,
        **table.to_dict(), "prevalence_a": table.prevalence_a, "prevalence_b": table.prevalence_b,
        "diagnostics": table.diagnostics(),
    }


def _summaries(rows: list[dict], pooled: TwoByTwo, notes: list[str]) -> tuple[dict, dict]:
    kappa, why = pooled.kappa()
    if why:
        notes.append(f"pooled kappa undefined — {why}")
    pooled_alpha, why_alpha = binary_alpha(pooled)
    if why_alpha:
        notes.append(f"pooled alpha undefined — {why_alpha}")
    overall = {"percent_agreement": pooled.percent_agreement, "kappa": kappa, "alpha": pooled_alpha,
               "ac1": pooled.ac1()[0], **pooled.to_dict()}
    mean = {key: _mean(row[key] for row in rows) for key in ("percent_agreement", "kappa", "alpha", "ac1")}
    return overall, mean


def unit_report(data: AgreementData, min_overlap: float = 0.0, bootstrap_samples: int = 1000,
                seed: int = 20240917) -> AgreementReport:
    notes = list(data.notes)
    index = UnitIndex.build({d: data.units[d] for d in data.documents})
    present = presence(index, data.segments, data.coders, data.codes, min_overlap)
    rows, pairs = [], None
    pooled = TwoByTwo(0, 0, 0, 0)
    for code_number, code in enumerate(data.codes):
        used = present[:, code_number, :].any(axis=1)
        if used.sum() == 1:
            notes.append(f"{code}: used by {data.coders[int(np.argmax(used))]} only")
        if len(data.coders) == 2:
            table = table_from_presence(present[0, code_number], present[1, code_number])
            pooled = pooled + table
            rows.append(_code_row(code, table, notes))
        else:
            matrix = present[:, code_number, :].astype(float)
            alpha_value, why = alpha(matrix, "nominal")
            fleiss, why_fleiss = fleiss_kappa(presence_counts(present[:, code_number, :]))
            for statistic, reason in (("alpha", why), ("fleiss_kappa", why_fleiss)):
                if reason:
                    notes.append(f"{code}: {statistic} undefined — {reason}")
            rows.append({"code": code, "alpha": alpha_value, "fleiss_kappa": fleiss,
                         "percent_agreement": float(np.mean(np.all(matrix == matrix[0], axis=0))) if index.size else None})
    if len(data.coders) == 2:
        overall, mean = _summaries(rows, pooled, notes)
    else:
        stacked = present.reshape(len(data.coders), -1).astype(float)
        pooled_alpha, _ = alpha(stacked, "nominal")
        pooled_fleiss, _ = fleiss_kappa(presence_counts(present.reshape(len(data.coders), -1)))
        overall = {"percent_agreement": _mean(r["percent_agreement"] for r in rows), "kappa": None,
                   "alpha": pooled_alpha, "ac1": None, "fleiss_kappa": pooled_fleiss}
        notes.append("more than two coders: per code Krippendorff's alpha and Fleiss' kappa; pairwise tables under 'pairs'")
        mean = {"alpha": _mean(r["alpha"] for r in rows), "fleiss_kappa": _mean(r["fleiss_kappa"] for r in rows)}
        pairs = []
        for first, second in combinations(range(len(data.coders)), 2):
            pair_rows = [_code_row(code, table_from_presence(present[first, k], present[second, k]), [])
                         for k, code in enumerate(data.codes)]
            pairs.append({"coders": [data.coders[first], data.coders[second]], "codes": pair_rows})
    domains = [domain_row(name, children, data, present, bootstrap_samples, seed)
               for name, children in data.domains.items()]
    return AgreementReport(data.coders, data.unit, "unit", index.size, data.documents, overall, rows, domains, notes,
                           pairs, mean)


def domain_row(name: str, children: list[str], data: AgreementData, present: np.ndarray, samples: int,
               seed: int) -> dict:
    """Nominal alpha of a domain's mutually exclusive categories over all coders, with missing data."""
    positions = [data.codes.index(child) for child in children if child in data.codes]
    values, violations = domain_values(present[:, positions, :])
    coded = np.count_nonzero(~np.isnan(values), axis=0)
    pairable = int(np.count_nonzero(coded >= 2))
    single = int(np.count_nonzero(coded == 1))
    interval = bootstrap_alpha(values[:, coded >= 1], "nominal", samples=samples, seed=seed)
    return {
        "domain": name, "alpha": interval.alpha, "ci95": [interval.ci_low, interval.ci_high],
        "p_below": interval.p_below, "units_pairable": pairable, "units_one_coder_only": single,
        "violations": violations, "categories": children, "note": interval.note,
    }


def segment_report(data: AgreementData, threshold: float = 90.0) -> AgreementReport:
    if len(data.coders) != 2:
        raise ValueError("segment-based agreement compares two coders")
    notes = list(data.notes) + [f"a segment agrees when the other coder's segment of the same code overlaps it by "
                                f">= {threshold:g}% (shared / combined characters)"]
    results = segment_agreement(data.segments, data.coders[0], data.coders[1], data.codes, threshold)
    used = [r for r in results if r.a_total + r.b_total > 0]
    rows = []
    for result in results:
        p_o = result.percent_agreement
        if p_o is None:
            notes.append(f"{result.code}: no segments of either coder")
        rows.append({"code": result.code, "percent_agreement": p_o,
                     "kappa": brennan_prediger(p_o, max(2, len(used))), "alpha": None, "ac1": None,
                     "a_agree": result.a_agree, "a_total": result.a_total, "b_agree": result.b_agree,
                     "b_total": result.b_total,
                     "a_to_b": result.a_agree / result.a_total if result.a_total else None,
                     "b_to_a": result.b_agree / result.b_total if result.b_total else None})
    agree = sum(r.a_agree + r.b_agree for r in results)
    total = sum(r.a_total + r.b_total for r in results)
    p_o = agree / total if total else None
    overall = {"percent_agreement": p_o, "kappa": brennan_prediger(p_o, max(2, len(used))), "alpha": None, "ac1": None}
    notes.append(f"kappa here is Brennan & Prediger's with q = {max(2, len(used))} codes, as MAXQDA reports it")
    mean = {"percent_agreement": _mean(r["percent_agreement"] for r in rows), "kappa": _mean(r["kappa"] for r in rows)}
    return AgreementReport(data.coders, data.unit, "segment", sum(r.a_total + r.b_total for r in results),
                           data.documents, overall, rows, [], notes, None, mean)


def character_report(data: AgreementData) -> AgreementReport:
    if len(data.coders) != 2:
        raise ValueError("character-based agreement compares two coders")
    notes = list(data.notes)
    lengths = {d: data.lengths[d] for d in data.documents}
    tables = character_tables(data.segments, lengths, data.coders[0], data.coders[1], data.codes)
    rows, pooled = [], TwoByTwo(0, 0, 0, 0)
    for code in data.codes:
        table = TwoByTwo(0, 0, 0, 0)
        per_document = []
        for document in data.documents:
            cell = tables[(code, document)]
            table = table + cell
            per_document.append({"document": document, "percent_agreement": cell.percent_agreement,
                                 "kappa": cell.kappa()[0], **cell.to_dict()})
        pooled = pooled + table
        row = _code_row(code, table, notes)
        row["per_document"] = per_document
        rows.append(row)
    overall, mean = _summaries(rows, pooled, notes)
    return AgreementReport(data.coders, "character", "character", sum(lengths.values()), data.documents, overall,
                           rows, [], notes, None, mean)


def unitizing_report(data: AgreementData) -> AgreementReport:
    """Krippendorff's unitizing alphas, the documents laid end to end as one continuum of characters.

    Per code: |uα of 1995/2004 (units' boundaries compared). Per domain, in the coincidence form of
    Krippendorff et al. (2016): uα over the domain's categories and the gaps, |uα (coded or not),
    |cuα per category, cuα (coding given unitizing, ATLAS.ti's cu-α) with each category's coverage;
    over the selected domains, Cuα (the domains as the categories, ATLAS.ti's Cu-α).
    """
    notes = list(data.notes) + ["unitizing: per code |uα (Krippendorff 1995/2004, boundaries compared); per domain "
                                "uα, |uα, |cuα and cuα in the coincidence form of Krippendorff et al. (2016); "
                                "characters as the continuum, documents laid end to end"]
    if len(data.coders) > 2:
        notes.append("more than two coders: the per-code |uα is the 1995/2004 definition, which Krippendorff et al. "
                     "(2016) replaced for more than two coders; the domain figures use the 2016 form")
    offsets, position = {}, 0
    for document in data.documents:
        offsets[document] = position
        position += data.lengths[document]
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for document, start, end, code, coder in data.segments:
        if document in offsets and coder in data.coders:
            spans.setdefault((code, coder), []).append((offsets[document] + start, offsets[document] + end))
    results, rows = {}, []
    for code in data.codes:
        result = unitizing_alpha([spans.get((code, coder), []) for coder in data.coders], position)
        results[code] = result
        if result.reason:
            notes.append(f"{code}: |uα undefined — {result.reason}")
        rows.append({"code": code, "percent_agreement": None, "kappa": None, "alpha": result.alpha, "ac1": None,
                     "observed_disagreement": result.observed, "expected_disagreement": result.expected,
                     "units": result.units})
    domains = []
    for domain, children in data.domains.items():
        chosen = [results[c] for c in children if c in results]
        entry = {"domain": domain, "ci95": [None, None], "units_pairable": sum(r.units for r in chosen),
                 "violations": 0, "p_below": {}, "units_one_coder_only": None,
                 "units": sum(r.units for r in chosen), "pooled_code_alpha": pooled_alpha(chosen)}
        valued = _labelled(spans, data.coders, {code: code for code in children})
        entry.update(_coincidence_alphas(domain, valued, position, data.coders, notes))
        domains.append(entry)
    overall = {"percent_agreement": None, "kappa": None, "alpha": pooled_alpha(list(results.values())), "ac1": None,
               "observed_disagreement": sum(r.observed for r in results.values()),
               "expected_disagreement": sum(r.expected for r in results.values()),
               "units": sum(r.units for r in results.values())}
    if len(data.domains) > 1:
        by_domain = _labelled(spans, data.coders,
                              {code: domain for domain, children in data.domains.items() for code in children})
        overall["domains_cu_alpha"] = _coincidence_alphas("Cuα over the selected domains", by_domain, position,
                                                          data.coders, notes, "domains")["cu_alpha"]
    mean = {"alpha": _mean(row["alpha"] for row in rows)}
    return AgreementReport(data.coders, "character", "unitizing", position, data.documents, overall, rows, domains,
                           notes, None, mean)


def _labelled(spans: dict[tuple[str, str], list[tuple[int, int]]], coders: list[str],
              labels: dict[str, str]) -> list[list[tuple[int, int, str]]]:
    """Each coder's spans of the codes in ``labels``, carrying the label (the category or the domain)."""
    return [[(b, e, label) for code, label in labels.items() for b, e in spans.get((code, coder), [])]
            for coder in coders]


def _coincidence_alphas(name: str, valued: list[list[tuple[int, int, str]]], length: int, coders: list[str],
                        notes: list[str], categories: str = "of its categories") -> dict:
    """The 2016 family for one domain; a coder who gave two of its categories to the same characters
    makes it undefined (the categories of a domain must exclude each other), which is said."""
    empty = {"alpha": None, "binary_alpha": None, "cu_alpha": None, "categories": []}
    try:
        family = unitizing_family(valued, length)
    except OverlappingCategories as error:
        notes.append(f"{name}: undefined — {coders[error.coder]} gave two {categories} to the same "
                     f"{error.characters} characters")
        return {**empty, "violations": error.characters}
    notes.extend(f"{name}: {reason}" for reason in family.reasons)
    return {"alpha": family.u_alpha, "binary_alpha": family.binary_alpha, "cu_alpha": family.cu_alpha,
            "categories": [{"code": c, "category_alpha": family.category_alpha[c], "coverage": family.coverage[c]}
                           for c in family.categories]}
