"""Assembling an agreement report from plain data — the numbers behind ``thematica agreement``.

Pure: takes a :class:`AgreementData` (units, segments, codes, coders, domains) and returns an
:class:`AgreementReport` whose ``to_dict()`` is the stable json contract of the command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from thematica.agreement.defaults import BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED, SEGMENT_MATCH_PERCENT
from thematica.agreement.results import (AgreementReport, Columns, DocumentAgreement, DomainAgreement,
                                         MeanOverCodes, MultiCoderCodeAgreement, OverallAgreement,
                                         PairAgreement, PairCodeAgreement, SegmentCodeAgreement,
                                         UnitizingCategory, UnitizingCodeAgreement, UnitizingDomainAgreement)
from thematica.agreement.stats.alpha import alpha, bootstrap_alpha
from thematica.agreement.stats.characters import character_tables
from thematica.agreement.stats.multi import fleiss_kappa, presence_counts
from thematica.agreement.stats.segments import brennan_prediger, segment_agreement
from thematica.agreement.stats.unitizing import pooled_alpha, unitizing_alpha
from thematica.agreement.stats.unitizing_coincidence import OverlappingCategories, Valued, unitizing_family
from thematica.agreement.stats.units import UnitIndex, domain_values, presence
from thematica.maths.two_by_two import EMPTY, TwoByTwo, table_from_presence
from thematica.spans import SegmentRow
from thematica.vocabulary import AgreementMethod, MeasurementLevel

NOMINAL = MeasurementLevel.NOMINAL


@dataclass(frozen=True)
class AgreementData:
    """What the statistics need from a project (``agreement.loader.load`` fills it)."""

    coders: list[str]
    unit: str
    documents: list[str]
    units: dict[str, list[tuple[int, int]]]
    lengths: dict[str, int]
    segments: list[SegmentRow]
    codes: list[str]
    domains: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def _means(rows: Sequence[Columns], statistics: tuple[str, ...]) -> MeanOverCodes:
    return MeanOverCodes(tuple((key, _mean(_number(row.value(key)) for row in rows)) for key in statistics))


def _number(cell: object) -> float | None:
    return float(cell) if isinstance(cell, (int, float)) else None


def _code_row(code: str, table: TwoByTwo, notes: list[str],
              per_document: tuple[DocumentAgreement, ...] | None = None) -> PairCodeAgreement:
    kappa, why_kappa = table.kappa()
    ac1, why_ac1 = table.ac1()
    alpha_value, why_alpha = table.binary_alpha()
    for statistic, why in (("kappa", why_kappa), ("alpha", why_alpha), ("ac1", why_ac1)):
        if why:
            notes.append(f"{code}: {statistic} undefined — {why}")
    return PairCodeAgreement(code, table, kappa, alpha_value, ac1, per_document)


PAIR_STATISTICS = ("percent_agreement", "kappa", "alpha", "ac1")


def _summaries(rows: Sequence[PairCodeAgreement], pooled: TwoByTwo,
               notes: list[str]) -> tuple[OverallAgreement, MeanOverCodes]:
    kappa, why = pooled.kappa()
    if why:
        notes.append(f"pooled kappa undefined — {why}")
    pooled_value, why_alpha = pooled.binary_alpha()
    if why_alpha:
        notes.append(f"pooled alpha undefined — {why_alpha}")
    overall = OverallAgreement(pooled.percent_agreement, kappa, pooled_value, pooled.ac1()[0], table=pooled)
    return overall, _means(rows, PAIR_STATISTICS)


def unit_report(data: AgreementData, min_overlap: float = 0.0, bootstrap_samples: int = BOOTSTRAP_SAMPLES,
                seed: int = BOOTSTRAP_SEED) -> AgreementReport:
    notes = list(data.notes)
    index = UnitIndex.build({d: data.units[d] for d in data.documents})
    present = presence(index, data.segments, data.coders, data.codes, min_overlap)
    if len(data.coders) == 2:
        rows: list[PairCodeAgreement] = []
        pooled = EMPTY
        for code_number, code in enumerate(data.codes):
            _note_single_user(data, present, code_number, notes)
            table = table_from_presence(present[0, code_number], present[1, code_number])
            pooled = pooled + table
            rows.append(_code_row(code, table, notes))
        overall, mean = _summaries(rows, pooled, notes)
        return AgreementReport(tuple(data.coders), data.unit, AgreementMethod.UNIT, index.size, tuple(data.documents),
                               overall, tuple(rows), _domains(data, present, bootstrap_samples, seed), tuple(notes),
                               None, mean)
    multi: list[MultiCoderCodeAgreement] = []
    for code_number, code in enumerate(data.codes):
        _note_single_user(data, present, code_number, notes)
        matrix = present[:, code_number, :].astype(float)
        alpha_value, why = alpha(matrix, NOMINAL)
        fleiss, why_fleiss = fleiss_kappa(presence_counts(present[:, code_number, :]))
        for statistic, reason in (("alpha", why), ("fleiss_kappa", why_fleiss)):
            if reason:
                notes.append(f"{code}: {statistic} undefined — {reason}")
        agreed = float(np.mean(np.all(matrix == matrix[0], axis=0))) if index.size else None
        multi.append(MultiCoderCodeAgreement(code, alpha_value, fleiss, agreed))
    stacked = present.reshape(len(data.coders), -1)
    pooled_value, _ = alpha(stacked.astype(float), NOMINAL)
    pooled_fleiss, _ = fleiss_kappa(presence_counts(stacked))
    overall = OverallAgreement(_mean(r.percent_agreement for r in multi), None, pooled_value, None,
                               fleiss_kappa=pooled_fleiss, statistics=(*PAIR_STATISTICS, "fleiss_kappa"))
    notes.append("more than two coders: per code Krippendorff's alpha and Fleiss' kappa; percent agreement counts a "
                 "unit as agreed only when all coders agree; pairwise tables under 'pairs'")
    pairs = tuple(
        PairAgreement((data.coders[first], data.coders[second]),
                      tuple(_code_row(code, table_from_presence(present[first, k], present[second, k]), [])
                            for k, code in enumerate(data.codes)))
        for first, second in combinations(range(len(data.coders)), 2))
    return AgreementReport(tuple(data.coders), data.unit, AgreementMethod.UNIT, index.size, tuple(data.documents),
                           overall, tuple(multi), _domains(data, present, bootstrap_samples, seed), tuple(notes),
                           pairs, _means(multi, ("alpha", "fleiss_kappa")))


def _note_single_user(data: AgreementData, present: np.ndarray, code_number: int, notes: list[str]) -> None:
    used = present[:, code_number, :].any(axis=1)
    if used.sum() == 1:
        notes.append(f"{data.codes[code_number]}: used by {data.coders[int(np.argmax(used))]} only")


def _domains(data: AgreementData, present: np.ndarray, samples: int, seed: int) -> tuple[DomainAgreement, ...]:
    return tuple(domain_row(name, children, data, present, samples, seed) for name, children in data.domains.items())


def domain_row(name: str, children: list[str], data: AgreementData, present: np.ndarray, samples: int,
               seed: int) -> DomainAgreement:
    """Nominal alpha of a domain's mutually exclusive categories over all coders, with missing data."""
    positions = [data.codes.index(child) for child in children if child in data.codes]
    values, violations = domain_values(present[:, positions, :])
    coded = np.count_nonzero(~np.isnan(values), axis=0)
    pairable = int(np.count_nonzero(coded >= 2))
    single = int(np.count_nonzero(coded == 1))
    interval = bootstrap_alpha(values[:, coded >= 1], NOMINAL, samples=samples, seed=seed)
    return DomainAgreement(name, interval.alpha, interval.ci_low, interval.ci_high, interval.p_below, pairable, single,
                           violations, tuple(children), interval.note)


def segment_report(data: AgreementData, threshold: float = SEGMENT_MATCH_PERCENT) -> AgreementReport:
    if len(data.coders) != 2:
        raise ValueError("segment-based agreement compares two coders")
    notes = list(data.notes) + [f"a segment agrees when the other coder's segment of the same code overlaps it by "
                                f">= {threshold:g}% (shared / combined characters)"]
    results = segment_agreement(data.segments, data.coders[0], data.coders[1], data.codes, threshold)
    categories = max(2, len([r for r in results if r.a_total + r.b_total > 0]))
    rows = []
    for result in results:
        p_o = result.percent_agreement
        if p_o is None:
            notes.append(f"{result.code}: no segments of either coder")
        rows.append(SegmentCodeAgreement(result.code, p_o, brennan_prediger(p_o, categories), result.a_agree,
                                         result.a_total, result.b_agree, result.b_total))
    agree = sum(r.a_agree + r.b_agree for r in results)
    total = sum(r.a_total + r.b_total for r in results)
    p_o = agree / total if total else None
    overall = OverallAgreement(p_o, brennan_prediger(p_o, categories))
    notes.append(f"kappa here is Brennan & Prediger's with q = {categories} codes, as MAXQDA reports it")
    return AgreementReport(tuple(data.coders), data.unit, AgreementMethod.SEGMENT, total, tuple(data.documents),
                           overall, tuple(rows), (), tuple(notes), None,
                           _means(rows, ("percent_agreement", "kappa")))


def character_report(data: AgreementData) -> AgreementReport:
    if len(data.coders) != 2:
        raise ValueError("character-based agreement compares two coders")
    notes = list(data.notes)
    lengths = {d: data.lengths[d] for d in data.documents}
    tables = character_tables(data.segments, lengths, data.coders[0], data.coders[1], data.codes)
    rows, pooled = [], EMPTY
    for code in data.codes:
        per_document = tuple(DocumentAgreement(document, tables[(code, document)], tables[(code, document)].kappa()[0])
                             for document in data.documents)
        table = sum((cell.table for cell in per_document), EMPTY)
        pooled = pooled + table
        rows.append(_code_row(code, table, notes, per_document))
    overall, mean = _summaries(rows, pooled, notes)
    return AgreementReport(tuple(data.coders), "character", AgreementMethod.CHARACTER, sum(lengths.values()),
                           tuple(data.documents), overall, tuple(rows), (), tuple(notes), None, mean)


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
    results = {}
    rows: list[UnitizingCodeAgreement] = []
    for code in data.codes:
        result = unitizing_alpha([spans.get((code, coder), []) for coder in data.coders], position)
        results[code] = result
        if result.reason:
            notes.append(f"{code}: |uα undefined — {result.reason}")
        rows.append(UnitizingCodeAgreement(code, result.alpha, result.observed, result.expected, result.units))
    domains = []
    for domain, children in data.domains.items():
        chosen = [results[c] for c in children if c in results]
        valued = _labelled(spans, data.coders, {code: code for code in children})
        family = _coincidence_alphas(domain, valued, position, data.coders, notes)
        domains.append(UnitizingDomainAgreement(domain, sum(r.units for r in chosen), pooled_alpha(chosen),
                                                family.alpha, family.binary_alpha, family.cu_alpha,
                                                family.categories, family.violations))
    cu_alpha = None
    if len(data.domains) > 1:
        by_domain = _labelled(spans, data.coders,
                              {code: domain for domain, children in data.domains.items() for code in children})
        cu_alpha = _coincidence_alphas("Cuα over the selected domains", by_domain, position, data.coders, notes,
                                       "domains").cu_alpha
    unitizing_statistics = (*PAIR_STATISTICS, "observed_disagreement", "expected_disagreement", "units")
    overall = OverallAgreement(
        alpha=pooled_alpha(list(results.values())),
        observed_disagreement=sum(r.observed for r in results.values()),
        expected_disagreement=sum(r.expected for r in results.values()),
        units=sum(r.units for r in results.values()), domains_cu_alpha=cu_alpha,
        statistics=(*unitizing_statistics, "domains_cu_alpha") if len(data.domains) > 1 else unitizing_statistics)
    return AgreementReport(tuple(data.coders), "character", AgreementMethod.UNITIZING, position, tuple(data.documents),
                           overall, tuple(rows), tuple(domains), tuple(notes), None, _means(rows, ("alpha",)))


def _labelled(spans: dict[tuple[str, str], list[tuple[int, int]]], coders: list[str],
              labels: dict[str, str]) -> list[list[Valued]]:
    """Each coder's spans of the codes in ``labels``, carrying the label (the category or the domain)."""
    return [[(b, e, label) for code, label in labels.items() for b, e in spans.get((code, coder), [])]
            for coder in coders]


@dataclass(frozen=True)
class _Family:
    alpha: float | None = None
    binary_alpha: float | None = None
    cu_alpha: float | None = None
    categories: tuple[UnitizingCategory, ...] = ()
    violations: int = 0


def _coincidence_alphas(name: str, valued: list[list[Valued]], length: int, coders: list[str],
                        notes: list[str], categories: str = "of its categories") -> _Family:
    """The 2016 family for one domain; a coder who gave two of its categories to the same characters
    makes it undefined (the categories of a domain must exclude each other), which is said."""
    try:
        family = unitizing_family(valued, length)
    except OverlappingCategories as error:
        notes.append(f"{name}: undefined — {coders[error.coder]} gave two {categories} to the same "
                     f"{error.characters} characters")
        return _Family(violations=error.characters)
    notes.extend(f"{name}: {reason}" for reason in family.reasons)
    return _Family(family.u_alpha, family.binary_alpha, family.cu_alpha,
                   tuple(UnitizingCategory(c, family.category_alpha[c], family.coverage[c]) for c in family.categories))
