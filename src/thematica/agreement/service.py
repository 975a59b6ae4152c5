"""``thematica agreement``: load from the store, compute by method, return the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematica.agreement.defaults import BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED, SEGMENT_MATCH_PERCENT
from thematica.agreement.loader import load
from thematica.agreement.report import character_report, segment_report, unit_report, unitizing_report
from thematica.agreement.results import AgreementReport
from thematica.errors import ThematicaError
from thematica.store.project import Project
from thematica.vocabulary import AgreementMethod, UnitKind, choices


@dataclass(frozen=True)
class AgreementOptions:
    coders: list[str] | None = None
    unit: str = UnitKind.SENTENCE
    method: AgreementMethod = AgreementMethod.UNIT
    domains: list[str] = field(default_factory=list)
    include_unfinished: bool = False
    min_overlap: float = 0.0
    threshold: float = SEGMENT_MATCH_PERCENT
    bootstrap_samples: int = BOOTSTRAP_SAMPLES
    seed: int = BOOTSTRAP_SEED


def agreement(project: Project, options: AgreementOptions) -> AgreementReport:
    data = load(project, options.coders, options.unit, include_unfinished=options.include_unfinished,
                domains=options.domains)
    if not data.documents:
        raise ThematicaError("no documents to compare (are they marked done? see --include-unfinished)")
    if options.method not in tuple(AgreementMethod):
        raise ThematicaError(f"unknown method {options.method!r} ({choices(AgreementMethod)})")
    method = AgreementMethod(options.method)
    if method is AgreementMethod.UNIT:
        return unit_report(data, options.min_overlap, options.bootstrap_samples, options.seed)
    if method is AgreementMethod.UNITIZING:
        return unitizing_report(data)
    if len(data.coders) != 2:
        raise ThematicaError(f"the {method}-based method compares exactly two coders")
    if method is AgreementMethod.SEGMENT:
        return segment_report(data, options.threshold)
    return character_report(data)
