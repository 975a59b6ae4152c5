"""The result objects of ``thematica agreement``: per code, per domain, overall, as frozen dataclasses.

``to_dict()`` of each is the stable json contract (full precision, ``None`` for undefined with the
reason in the report's notes). The renderers read the attributes; ``value(column)`` serves the
tables, whose columns are the json keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from thematica.maths.two_by_two import TableCells, TwoByTwo
from thematica.vocabulary import AgreementMethod

Cell = float | int | str | None


class Columns:
    """Lookup of a table column by its json key (a statistic this kind of row lacks is ``None``)."""

    def value(self, column: str) -> Cell:
        found: Cell = getattr(self, column, None)
        return found


@dataclass(frozen=True)
class DocumentAgreement(Columns):
    """One code in one document, character-based: the document's 2×2 table of characters."""

    document: str
    table: TwoByTwo
    kappa: float | None

    @property
    def percent_agreement(self) -> float | None:
        return self.table.percent_agreement

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "percent_agreement": self.percent_agreement, "kappa": self.kappa,
                **self.table.to_dict()}


@dataclass(frozen=True)
class PairCodeAgreement(TableCells, Columns):
    """Two coders, one code, unit- or character-based: the 2×2 table and its coefficients."""

    code: str
    table: TwoByTwo
    kappa: float | None
    alpha: float | None
    ac1: float | None
    per_document: tuple[DocumentAgreement, ...] | None = None

    @property
    def percent_agreement(self) -> float | None:
        return self.table.percent_agreement

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "code": self.code, "percent_agreement": self.percent_agreement, "kappa": self.kappa, "alpha": self.alpha,
            "ac1": self.ac1, **self.table.to_dict(), "prevalence_a": self.table.prevalence_a,
            "prevalence_b": self.table.prevalence_b, "diagnostics": self.table.diagnostics(),
        }
        if self.per_document is not None:
            result["per_document"] = [document.to_dict() for document in self.per_document]
        return result


@dataclass(frozen=True)
class MultiCoderCodeAgreement(Columns):
    """More than two coders, one code: nominal alpha and Fleiss' kappa of presence."""

    code: str
    alpha: float | None
    fleiss_kappa: float | None
    percent_agreement: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "alpha": self.alpha, "fleiss_kappa": self.fleiss_kappa,
                "percent_agreement": self.percent_agreement}


@dataclass(frozen=True)
class SegmentCodeAgreement(Columns):
    """Segment-based (MAXQDA): segments of each coder matched by the other's, Brennan–Prediger kappa."""

    code: str
    percent_agreement: float | None
    kappa: float | None
    a_agree: int
    a_total: int
    b_agree: int
    b_total: int

    @property
    def a_to_b(self) -> float | None:
        return self.a_agree / self.a_total if self.a_total else None

    @property
    def b_to_a(self) -> float | None:
        return self.b_agree / self.b_total if self.b_total else None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "percent_agreement": self.percent_agreement, "kappa": self.kappa, "alpha": None,
                "ac1": None, "a_agree": self.a_agree, "a_total": self.a_total, "b_agree": self.b_agree,
                "b_total": self.b_total, "a_to_b": self.a_to_b, "b_to_a": self.b_to_a}


@dataclass(frozen=True)
class UnitizingCodeAgreement(Columns):
    """Krippendorff's |uα of one code (1995/2004): observed and expected disagreement of the boundaries."""

    code: str
    alpha: float | None
    observed_disagreement: float
    expected_disagreement: float
    units: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "percent_agreement": None, "kappa": None, "alpha": self.alpha, "ac1": None,
                "observed_disagreement": self.observed_disagreement,
                "expected_disagreement": self.expected_disagreement, "units": self.units}


CodeAgreement = PairCodeAgreement | MultiCoderCodeAgreement | SegmentCodeAgreement | UnitizingCodeAgreement


@dataclass(frozen=True)
class PairAgreement:
    """With more than two coders: the two-coder rows of one pair."""

    coders: tuple[str, str]
    codes: tuple[PairCodeAgreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"coders": list(self.coders), "codes": [row.to_dict() for row in self.codes]}


@dataclass(frozen=True)
class OverallAgreement(Columns):
    """The figures over all codes; which of them a method defines is said by ``statistics``.

    Two coders (unit, character): the pooled 2×2 table's coefficients. More than two: Fleiss' kappa
    and alpha of the stacked presence matrix. Segment: pooled matching. Unitizing: the sums of the
    per-code disagreements and, with several domains, Cuα over them.
    """

    percent_agreement: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    ac1: float | None = None
    table: TwoByTwo | None = None
    fleiss_kappa: float | None = None
    observed_disagreement: float | None = None
    expected_disagreement: float | None = None
    units: int | None = None
    domains_cu_alpha: float | None = None
    statistics: tuple[str, ...] = ("percent_agreement", "kappa", "alpha", "ac1")

    def value(self, column: str) -> Cell:
        if self.table is not None and column in ("both", "a_only", "b_only", "neither"):
            cell: int = getattr(self.table, column)
            return cell
        return super().value(column)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {key: getattr(self, key) for key in self.statistics}
        if self.table is not None:
            result.update(self.table.to_dict())
        return result


@dataclass(frozen=True)
class MeanOverCodes:
    """The unweighted mean of each statistic over the codes where it is defined (None where none is)."""

    values: tuple[tuple[str, float | None], ...]

    def __getitem__(self, statistic: str) -> float | None:
        return dict(self.values)[statistic]

    def to_dict(self) -> dict[str, float | None]:
        return dict(self.values)


@dataclass(frozen=True)
class DomainAgreement:
    """Nominal alpha of a domain's mutually exclusive categories over all coders, bootstrapped."""

    domain: str
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    p_below: dict[str, float]
    units_pairable: int
    units_one_coder_only: int
    violations: int
    categories: tuple[str, ...]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "alpha": self.alpha, "ci95": [self.ci_low, self.ci_high],
                "p_below": self.p_below, "units_pairable": self.units_pairable,
                "units_one_coder_only": self.units_one_coder_only, "violations": self.violations,
                "categories": list(self.categories), "note": self.note}


@dataclass(frozen=True)
class UnitizingCategory:
    """|cuα of one category of a domain and the share of the continuum coded with it."""

    code: str
    category_alpha: float | None
    coverage: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "category_alpha": self.category_alpha, "coverage": self.coverage}


@dataclass(frozen=True)
class UnitizingDomainAgreement:
    """The 2016 coincidence family of one domain: uα, |uα, cuα, and |cuα per category."""

    domain: str
    units: int
    pooled_code_alpha: float | None
    alpha: float | None
    binary_alpha: float | None
    cu_alpha: float | None
    categories: tuple[UnitizingCategory, ...]
    violations: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "ci95": [None, None], "units_pairable": self.units,
                "violations": self.violations, "p_below": {}, "units_one_coder_only": None, "units": self.units,
                "pooled_code_alpha": self.pooled_code_alpha, "alpha": self.alpha, "binary_alpha": self.binary_alpha,
                "cu_alpha": self.cu_alpha, "categories": [category.to_dict() for category in self.categories]}


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    unit: str  # a UnitKind, or 'character' for the character and unitizing methods
    method: AgreementMethod
    units: int
    documents: tuple[str, ...]
    overall: OverallAgreement
    codes: tuple[CodeAgreement, ...]
    domains: tuple[DomainAgreement, ...] | tuple[UnitizingDomainAgreement, ...]
    notes: tuple[str, ...]
    pairs: tuple[PairAgreement, ...] | None = None
    mean: MeanOverCodes | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "coders": list(self.coders), "unit": str(self.unit), "method": str(self.method), "units": self.units,
            "documents": list(self.documents), "overall": self.overall.to_dict(),
            "codes": [row.to_dict() for row in self.codes], "domains": [domain.to_dict() for domain in self.domains],
            "notes": list(self.notes),
        }
        if self.mean is not None:
            result["mean"] = self.mean.to_dict()
        if self.pairs is not None:
            result["pairs"] = [pair.to_dict() for pair in self.pairs]
        return result
