"""The systematic review's methods and flow as a journal prints them: a method paragraph (sources, de-
duplication, independent screening, agreement, conflict resolution, exclusions), the screening agreement as an
APA table, and the PRISMA 2020 flow diagram as a figure — in Dutch or English, through the document model.

The builder takes what the review services returned (:class:`ReviewInputs`) and runs none itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.reports import numbers as fmt
from thematica.reports.document import Align, Block, Document, Figure, Paragraph, Row, Section, Table
from thematica.reports.language import add_phrases, phrase
from thematica.corpus.project_details import project_details, report_language
from thematica.review.agreement import ScreeningAgreement, screening_agreement
from thematica.review.prisma import PrismaCounts, prisma_counts
from thematica.review.screening import ResolutionSummary, resolution_summary
from thematica.vocabulary import ReviewStage
from thematica.store.project import Project

add_phrases({
    "review.title": {"en": "Systematic review: method and flow of studies",
                     "nl": "Systematische review: methode en stroom van studies"},
    "review.method": {"en": "Method", "nl": "Methode"},
    "review.sources": {"en": "{total} records were identified in {databases} ({parts}); {duplicates} duplicates "
                             "were removed after confirmation by a reviewer, leaving {screened} records.",
                       "nl": "In {databases} werden {total} records gevonden ({parts}); {duplicates} dubbele records "
                             "werden na bevestiging door een beoordelaar verwijderd, zodat {screened} records "
                             "overbleven."},
    "review.screening": {"en": "{reviewers} independently screened titles and abstracts, blind to each other's "
                               "decisions; records either reviewer judged possibly relevant were read in full.",
                         "nl": "{reviewers} beoordeelden titels en samenvattingen onafhankelijk van elkaar, zonder "
                               "elkaars besluiten te zien; records die een van beiden mogelijk relevant vond, werden "
                               "volledig gelezen."},
    "review.agreement": {"en": "Agreement at the {stage} stage over {n} records: Cohen's κ = {kappa}, PABAK = {pabak}, "
                               "Gwet's AC1 = {ac1}, {percent}% agreement.",
                         "nl": "Overeenstemming in de fase {stage} over {n} records: Cohens κ = {kappa}, "
                               "PABAK = {pabak}, Gwets AC1 = {ac1}, {percent}% overeenstemming."},
    "review.conflicts": {"en": "In a logged meeting, {resolved} of the {differing} records on which they differed at "
                               "the {stage} stage were decided{third}.",
                         "nl": "In een vastgelegde bespreking werden {resolved} van de {differing} records waarover "
                               "zij in de fase {stage} verschilden besloten{third}."},
    "review.third": {"en": ", {count} of them by a third reviewer", "nl": ", {count} daarvan door een derde beoordelaar"},
    "review.fulltext": {"en": "Of {sought} reports sought, {missing} could not be retrieved; {assessed} were assessed "
                              "for eligibility and {excluded} excluded with reasons; {included} studies were included.",
                        "nl": "Van de {sought} gezochte publicaties werden er {missing} niet gevonden; {assessed} werden "
                              "op geschiktheid beoordeeld en {excluded} met reden geëxcludeerd; {included} studies "
                              "werden geïncludeerd."},
    "review.undecided": {"en": "Screening is not finished: {screening} records at title/abstract and {fulltext} at "
                               "full text are still undecided.",
                         "nl": "De screening is nog niet af: {screening} records bij titel/samenvatting en {fulltext} "
                               "bij de volledige tekst zijn nog onbeslist."},
    "review.stage.title": {"en": "title/abstract", "nl": "titel/samenvatting"},
    "review.stage.fulltext": {"en": "full-text", "nl": "volledige tekst"},
    "review.table": {"en": "Agreement between the reviewers' screening decisions",
                     "nl": "Overeenstemming tussen de screeningsbesluiten van de beoordelaars"},
    "review.headers": {"en": "Stage|n|Both include|Only {a}|Only {b}|Both exclude|κ|PABAK|AC1|% agreement",
                       "nl": "Fase|n|Beiden in|Alleen {a}|Alleen {b}|Beiden uit|κ|PABAK|AC1|% overeenstemming"},
    "review.note": {"en": "Include counts a maybe at title/abstract (the record goes on to the full text); at full "
                          "text a maybe is left out of the table. κ = Cohen's kappa; PABAK = prevalence- and "
                          "bias-adjusted kappa (2·pₒ − 1); AC1 = Gwet's first-order agreement coefficient.",
                    "nl": "Bij titel/samenvatting telt een twijfel als inclusie (het record gaat door naar de volledige "
                          "tekst); bij de volledige tekst vallen twijfels buiten de tabel. κ = Cohens kappa; PABAK = "
                          "voor prevalentie en bias gecorrigeerde kappa (2·pₒ − 1); AC1 = Gwets eerste-orde-"
                          "overeenstemmingscoëfficiënt."},
    "review.figure": {"en": "PRISMA 2020 flow diagram", "nl": "PRISMA 2020-stroomdiagram"},
    "review.and": {"en": "and", "nl": "en"},
})


@dataclass(frozen=True)
class ReviewInputs:
    counts: PrismaCounts
    agreements: tuple[ScreeningAgreement, ...]
    prisma_svg: bytes
    prisma_png: bytes
    title: str = ""
    author: str = ""
    language: str = "en"
    resolutions: tuple[ResolutionSummary, ...] = ()


def review_inputs(project: Project, *, language: str | None, reviewers: tuple[str, str] | None) -> ReviewInputs:
    """What the review's methods report needs, read from the project: PRISMA counts and diagram, each stage's
    resolutions, and (with two ``reviewers``) their screening agreement at every stage they both decided."""
    from thematica.reports.figures.prisma import figure_bytes, prisma_figure

    chosen = report_language(project, language)
    details = project_details(project)
    counts = prisma_counts(project)
    resolutions = tuple(resolution_summary(project, stage) for stage in ReviewStage)
    agreements: list[ScreeningAgreement] = []
    if reviewers is not None:
        for stage in ReviewStage:
            result = screening_agreement(project, stage, *reviewers)
            if result.table.n:
                agreements.append(result)
    figure = prisma_figure(counts, language=chosen)
    return ReviewInputs(counts, tuple(agreements), figure_bytes(figure, ".svg"), figure_bytes(figure, ".png"),
                        author=details.author, language=chosen, resolutions=resolutions)


def _joined(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {phrase('review.and', language)} " + items[-1]


def _agreement_table(agreements: tuple[ScreeningAgreement, ...], language: str) -> Table:
    first, second = agreements[0].reviewers
    rows = tuple(Row((phrase(f"review.stage.{a.stage.value}", language), str(a.table.n), str(a.table.both),
                      str(a.table.a_only), str(a.table.b_only), str(a.table.neither), fmt.number(a.kappa, 2, language),
                      fmt.number(a.pabak, 2, language), fmt.number(a.ac1, 2, language),
                      fmt.percent(None if a.percent is None else 100 * a.percent, language))) for a in agreements)
    headers = tuple(phrase("review.headers", language, a=first, b=second).split("|"))
    align: list[Align] = ["left"]
    align += ["right"] * (len(headers) - 1)
    return Table(phrase("review.table", language), headers, rows, tuple(align), phrase("review.note", language))


def build_document(inputs: ReviewInputs) -> Document:
    language, counts = inputs.language, inputs.counts
    p = lambda key, **values: phrase(key, language, **values)  # noqa: E731
    databases = [name for name, _ in counts.identified]
    parts = "; ".join(f"{name} {count}" for name, count in counts.identified)
    method: list[Block] = [Paragraph.of(p("review.sources", total=counts.identified_total,
                                          databases=_joined(databases, language), parts=parts,
                                          duplicates=counts.duplicates_removed, screened=counts.screened))]
    if inputs.agreements:
        reviewers = _joined(list(inputs.agreements[0].reviewers), language)
        method.append(Paragraph.of(p("review.screening", reviewers=reviewers)))
        for agreement in inputs.agreements:
            method.append(Paragraph.of(p("review.agreement", stage=p(f"review.stage.{agreement.stage.value}"),
                                         n=agreement.table.n, kappa=fmt.number(agreement.kappa, 2, language),
                                         pabak=fmt.number(agreement.pabak, 2, language),
                                         ac1=fmt.number(agreement.ac1, 2, language),
                                         percent=fmt.percent(None if agreement.percent is None
                                                             else 100 * agreement.percent, language))))
        decided = {summary.stage: summary for summary in inputs.resolutions}
        for agreement in inputs.agreements:  # only what a meeting actually decided is said
            summary = decided.get(agreement.stage)
            differing = agreement.table.a_only + agreement.table.b_only + agreement.maybes
            if summary is not None and summary.resolved:
                third = p("review.third", count=summary.by_third) if summary.by_third else ""
                method.append(Paragraph.of(p("review.conflicts", resolved=summary.resolved, differing=differing,
                                             stage=p(f"review.stage.{agreement.stage.value}"), third=third)))
    if counts.included or counts.excluded_fulltext:  # only once full-text decisions exist
        method.append(Paragraph.of(p("review.fulltext", sought=counts.sought, missing=counts.not_retrieved,
                                     assessed=counts.assessed, excluded=counts.excluded_fulltext,
                                     included=counts.included)))
    if counts.undecided_screening or counts.undecided_fulltext:
        method.append(Paragraph.of(p("review.undecided", screening=counts.undecided_screening,
                                     fulltext=counts.undecided_fulltext)))
    blocks: list[Block] = [Section(p("review.method"), tuple(method))]
    if inputs.agreements:
        blocks.append(_agreement_table(inputs.agreements, language))
    blocks.append(Figure(p("review.figure"), svg=inputs.prisma_svg, png=inputs.prisma_png, name="prisma",
                         width_cm=16.0))
    return Document(inputs.title or p("review.title"), tuple(blocks), author=inputs.author, language=language)
