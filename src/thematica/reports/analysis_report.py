"""The analysis report, written the way a results section reads: method, themes, prevalence, quotes, map.

Sections: method (documents, coding used, agreement before consensus, the share of disagreeing
passages the consensus meeting decided), each theme — subthemes directly under their parent —
with its definition, prevalence ("5 of 6 participants") and exemplar quotes with case labels, a
prevalence table of themes and codes, the thematic map (inline SVG in HTML, PNG at print width
in DOCX), and the codebook as appendix.

The builder takes what the services returned (:class:`AnalysisInputs`) and runs none itself.
Quotes are the segments marked as exemplars; a theme without marked exemplars shows its longest
passages from different cases, labelled as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from thematica.interchange.codebook import CodebookRow
from thematica.reports import numbers as fmt
from thematica.reports.document import Block, BulletList, Document, Figure, Paragraph, Quote, Row, Run, Section, Table
from thematica.reports.figures.thematic_map import fit_map
from thematica.reports.language import PHRASES, add_phrases, phrase
from thematica.themes.analysis import code_prevalence, theme_prevalence
from thematica.themes.data import CodedMaterial, CodedSegment, ThemeInfo
from thematica.themes.thematic_map import MapWords

__all__ = ["AnalysisInputs", "ConsensusCounts", "build_document", "thematic_map_figure"]

QUOTES_PER_THEME = 3
SMALLEST_PRINTED_POINTS = 9.0

add_phrases({
    "analysis.title": {"en": "Results", "nl": "Resultaten"},
    "analysis.method": {"en": "Method", "nl": "Methode"},
    "analysis.documents": {"en": "{count} interviews ({cases}) were analysed thematically.",
                           "nl": "{count} interviews ({cases}) zijn thematisch geanalyseerd."},
    "analysis.coding.consensus": {"en": "Counts below use the consensus coding.",
                                  "nl": "De aantallen hieronder gaan uit van de consensuscodering."},
    "analysis.coding.union": {
        "en": "There is no consensus coding yet: counts below use the union of all coders' codings.",
        "nl": "Er is nog geen consensuscodering: de aantallen hieronder gaan uit van de coderingen van alle "
              "beoordelaars samen."},
    "analysis.coding.union_short": {"en": "union of all coders", "nl": "coderingen van alle beoordelaars samen"},
    "analysis.coding.one": {"en": "Counts below use the coding of {coder}.",
                            "nl": "De aantallen hieronder gaan uit van de codering van {coder}."},
    "analysis.agreement": {
        "en": "Before the consensus meeting, {coders} coded independently. Agreement over {units} {unit}: pooled "
              "Cohen's κ = {kappa}, Krippendorff's α = {alpha}, Gwet's AC1 = {ac1}, {percent}% agreement (mean κ over "
              "codes {mean}).",
        "nl": "Voor de consensusbespreking codeerden {coders} onafhankelijk van elkaar. Overeenstemming over {units} "
              "{unit}: gepoolde Cohens κ = {kappa}, Krippendorffs α = {alpha}, Gwets AC1 = {ac1}, "
              "{percent}% overeenstemming (gemiddelde κ over codes {mean})."},
    "analysis.agreement.many": {
        "en": "With more than two coders, percent agreement counts a unit as agreed only when all coders agree.",
        "nl": "Met meer dan twee beoordelaars telt een eenheid alleen als overeenstemming als alle beoordelaars "
              "het eens zijn."},
    "analysis.agreement.unfinished": {"en": "not every coder has marked the documents as finished",
                                      "nl": "niet elke beoordelaar heeft de documenten als klaar gemarkeerd"},
    "analysis.agreement.none": {"en": "Agreement between coders was not computed ({reason}).",
                                "nl": "De overeenstemming tussen beoordelaars is niet berekend ({reason})."},
    "analysis.decided.all": {
        "en": "All {total} passages on which the coders differed were decided in a consensus meeting ({kinds}).",
        "nl": "Alle {total} passages waarop de beoordelaars verschilden zijn in een consensusbespreking besloten "
              "({kinds})."},
    "analysis.decided.some": {
        "en": "In a consensus meeting, {decided} of the {total} passages on which the coders differed have been "
              "decided ({kinds}); {open} are still open.",
        "nl": "In een consensusbespreking zijn {decided} van de {total} passages waarop de beoordelaars verschilden "
              "besloten ({kinds}); {open} staan nog open."},
    "analysis.decided.count": {"en": "{decided} passages were decided in a consensus meeting ({kinds}).",
                               "nl": "{decided} passages zijn besloten in een consensusbespreking ({kinds})."},
    "analysis.coders": {"en": "Coders: {coders}.", "nl": "Beoordelaars: {coders}."},
    "analysis.themes": {"en": "Themes", "nl": "Thema's"},
    "analysis.subtheme": {"en": "Subtheme of {parent}.", "nl": "Subthema van {parent}."},
    "analysis.line": {"en": "{wording} participants; {segments} coded passages; status: {status}.",
                      "nl": "{wording} deelnemers; {segments} gecodeerde passages; status: {status}."},
    "analysis.unmarked": {"en": "No exemplars marked yet: the longest passages from different participants.",
                          "nl": "Nog geen voorbeeldcitaten gemarkeerd: de langste passages van verschillende "
                                "deelnemers."},
    "analysis.prevalence": {"en": "Prevalence", "nl": "Prevalentie"},
    "analysis.prevalence.title": {"en": "Prevalence of themes and codes", "nl": "Prevalentie van thema's en codes"},
    "analysis.theme_or_code": {"en": "Theme or code", "nl": "Thema of code"},
    "analysis.participants": {"en": "Participants", "nl": "Aantal deelnemers"},
    "analysis.cases": {"en": "Cases", "nl": "Deelnemers"},
    "analysis.passages": {"en": "Passages", "nl": "Passages"},
    "analysis.prevalence.note": {
        "en": "Participants: participants with at least one coded passage of the theme (its subthemes and codes "
              "included) or code, of all {total}; passages: coded segments ({coding}).",
        "nl": "Aantal deelnemers: deelnemers met ten minste één gecodeerde passage van het thema (met subthema's "
              "en codes) of de code, van alle {total}; passages: gecodeerde segmenten ({coding})."},
    "analysis.map": {"en": "Thematic map", "nl": "Thematische kaart"},
    "analysis.map.heading": {"en": "Thematic map ({coding}; prevalence: cases with a coded passage)",
                             "nl": "Thematische kaart ({coding}; prevalentie: deelnemers met een gecodeerde passage)"},
    "analysis.map.title": {"en": "Thematic map of themes, subthemes and codes",
                           "nl": "Thematische kaart van thema's, subthema's en codes"},
    "analysis.map.note": {"en": "Each box gives a theme's status and the number of cases (participants) with the "
                                "theme.",
                          "nl": "Elk vak geeft de status van een thema en het aantal deelnemers met het thema."},
    "analysis.map.note.subthemes": {"en": "A subtheme is drawn in its parent's frame.",
                                    "nl": "Een subthema staat in het kader van zijn hoofdthema."},
    "analysis.map.note.links": {"en": "Dashed arrows are links between themes, with their label.",
                                "nl": "Gestippelde pijlen zijn verbanden tussen thema's, met hun label."},
    "analysis.map.prevalence": {"en": "{cases} of {of_cases} cases", "nl": "{cases} van {of_cases} deelnemers"},
    "analysis.map.segments": {"en": "{segments} passages", "nl": "{segments} passages"},
    "analysis.map.legend": {"en": "Legend", "nl": "Legenda"},
    "analysis.map.status_key": {"en": "status (fill colour)", "nl": "status (vulkleur)"},
    "analysis.map.box_key": {"en": "box: name, status, k of N cases, passages, codes",
                             "nl": "vak: naam, status, k van N deelnemers, passages, codes"},
    "analysis.map.relation": {"en": "link (its label)", "nl": "verband (met label)"},
    "analysis.map.subtheme": {"en": "subtheme (in its frame)", "nl": "subthema (in het kader)"},
    "analysis.codebook": {"en": "Appendix: codebook", "nl": "Bijlage: codeboek"},
    "analysis.no_definition": {"en": "(no definition)", "nl": "(geen definitie)"},
    "keep_a": {"en": "keep A", "nl": "A behouden"}, "keep_b": {"en": "keep B", "nl": "B behouden"},
    "both": {"en": "both", "nl": "beide"}, "neither": {"en": "neither", "nl": "geen van beide"},
    "recode": {"en": "recoded", "nl": "hercodeerd"},
    "unit.sentence": {"en": "sentences", "nl": "zinnen"}, "unit.turn": {"en": "turns", "nl": "beurten"},
    "unit.paragraph": {"en": "paragraphs", "nl": "alinea's"},
    "status.candidate": {"en": "candidate", "nl": "voorlopig"}, "status.reviewed": {"en": "reviewed", "nl": "herzien"},
    "status.final": {"en": "final", "nl": "definitief"},
})


@dataclass(frozen=True)
class ConsensusCounts:
    """What the consensus store says: decisions by kind, and (when known) the disagreements in all."""

    kinds: dict[str, int]
    total: int | None = None

    @property
    def decided(self) -> int:
        return sum(self.kinds.values())


@dataclass(frozen=True)
class AnalysisInputs:
    material: CodedMaterial
    codebook: list[CodebookRow]
    agreement: Mapping[str, Any] | None = None        # the agreement report's to_dict()
    agreement_error: str | None = None
    consensus: ConsensusCounts | None = None
    map_figure: Figure | None = None
    title: str = ""
    author: str = ""
    language: str = "en"
    notes: list[str] = field(default_factory=list)


def _quotes(material: CodedMaterial, theme: ThemeInfo) -> tuple[list[CodedSegment], bool]:
    codes = material.theme_codes(theme)
    marked = set(material.exemplars.get(theme.name, []))
    candidates = [s for s in material.segments if s.code in codes]
    chosen = [s for s in candidates if s.id in marked]
    if chosen:
        return chosen[:QUOTES_PER_THEME], True
    picked: list[CodedSegment] = []
    cases: set[str] = set()
    for segment in sorted(candidates, key=lambda s: -len(s.text)):
        if segment.case not in cases and 40 <= len(segment.text) <= 400:
            picked.append(segment)
            cases.add(segment.case)
        if len(picked) == QUOTES_PER_THEME:
            break
    return picked, False


def theme_tree(themes: list[ThemeInfo]) -> list[tuple[ThemeInfo, int]]:
    """Themes in reading order with their depth: each parent followed directly by its subthemes
    (a theme whose parent is unknown counts as a main theme)."""
    names = {theme.name for theme in themes}
    children: dict[str | None, list[ThemeInfo]] = {}
    for theme in themes:
        children.setdefault(theme.parent if theme.parent in names else None, []).append(theme)
    ordered: list[tuple[ThemeInfo, int]] = []

    def visit(parent: str | None, depth: int) -> None:
        for theme in children.get(parent, []):
            if any(seen.name == theme.name for seen, _ in ordered):
                continue
            ordered.append((theme, depth))
            visit(theme.name, depth + 1)

    visit(None, 0)
    for theme in themes:  # a cycle of parents: still printed, once
        if not any(seen.name == theme.name for seen, _ in ordered):
            ordered.append((theme, 0))
    return ordered


def _get(data: Mapping[str, Any] | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def method_paragraphs(inputs: AnalysisInputs) -> list[Paragraph]:
    material, language = inputs.material, inputs.language
    p = lambda key, **values: phrase(key, language, **values)  # noqa: E731
    lines = [p("analysis.documents", count=len(material.documents),
               cases=", ".join(case for _, case in material.documents))]
    if material.coding == "all coders":
        lines.append(p("analysis.coding.union"))
    elif material.coding.startswith("consensus"):  # the consensus coding, or several meetings' (consensus:A+B, …)
        lines.append(p("analysis.coding.consensus"))
    else:
        lines.append(p("analysis.coding.one", coder=material.coding))
    agreement = inputs.agreement
    if agreement is not None:
        coders = [str(c) for c in agreement.get("coders", [])]
        joiner = " en " if language == "nl" else " and "
        percent = _get(agreement, "overall", "percent_agreement")
        lines.append(p("analysis.agreement", coders=joiner.join(coders), units=agreement.get("units", ""),
                       unit=phrase(f"unit.{agreement.get('unit', 'sentence')}", language)
                       if f"unit.{agreement.get('unit', 'sentence')}" in PHRASES else agreement.get("unit", ""),
                       kappa=fmt.number(_get(agreement, "overall", "kappa"), 2, language),
                       alpha=fmt.number(_get(agreement, "overall", "alpha"), 2, language),
                       ac1=fmt.number(_get(agreement, "overall", "ac1"), 2, language),
                       percent=fmt.percent(None if percent is None else 100 * percent, language),
                       mean=fmt.number(_get(agreement, "mean", "kappa"), 2, language)))
        if len(coders) > 2:
            lines.append(p("analysis.agreement.many"))
    elif inputs.agreement_error:  # a reason that names a command-line option is for the terminal, not the reader
        if "not marked done" in inputs.agreement_error or "no documents" in inputs.agreement_error:
            reason = p("analysis.agreement.unfinished")
        else:
            reason = inputs.agreement_error if not re.search(r"--|thematica |'", inputs.agreement_error) else "—"
        lines.append(p("analysis.agreement.none", reason=reason))
    consensus = inputs.consensus
    if consensus is not None and consensus.decided:
        kinds = ", ".join(f"{phrase(kind, language) if kind in ('keep_a', 'keep_b', 'both', 'neither', 'recode') else kind}"
                          f" {count}" for kind, count in sorted(consensus.kinds.items()))
        if consensus.total is None:
            lines.append(p("analysis.decided.count", decided=consensus.decided, kinds=kinds))
        elif consensus.decided >= consensus.total:
            lines.append(p("analysis.decided.all", total=consensus.total, kinds=kinds))
        else:
            lines.append(p("analysis.decided.some", decided=consensus.decided, total=consensus.total, kinds=kinds,
                           open=consensus.total - consensus.decided))
    else:
        human = sorted({s.coder for s in material.segments} - {"consensus"})
        if human:
            lines.append(p("analysis.coders", coders=", ".join(human)))
    lines.extend(inputs.notes)
    return [Paragraph.of(line) for line in lines]


def _wording(count: int, total: int, language: str) -> str:
    return phrase("of", language, count=count, total=total)


def theme_sections(inputs: AnalysisInputs) -> list[Block]:
    material, language = inputs.material, inputs.language
    prevalence = {p.name: p for p in theme_prevalence(material)}
    blocks: list[Block] = []
    stack: list[tuple[int, list[Block], str]] = []  # (depth, children, title)

    def close(to_depth: int) -> None:
        while stack and stack[-1][0] >= to_depth:
            depth, children, title = stack.pop()
            section = Section(title, tuple(children))
            (stack[-1][1] if stack else blocks).append(section)

    for theme, depth in theme_tree(material.themes):
        close(depth)
        row = prevalence[theme.name]
        children: list[Block] = []
        if theme.parent:
            children.append(Paragraph.of(phrase("analysis.subtheme", language, parent=theme.parent)))
        children.append(Paragraph.of(phrase("analysis.line", language,
                                            wording=_wording(len(row.cases), row.of_cases, language),
                                            segments=row.segments,
                                            status=phrase(f"status.{theme.status}", language)
                                            if f"status.{theme.status}" in PHRASES else theme.status), italic=True))
        for text in (theme.definition, theme.story):
            if text:
                children.append(Paragraph.of(text))
        quotes, chosen = _quotes(material, theme)
        if quotes and not chosen:
            children.append(Paragraph.of(phrase("analysis.unmarked", language), italic=True))
        children.extend(Quote(" ".join(q.text.split()), q.case) for q in quotes)
        stack.append((depth, children, theme.name))
    close(0)
    return blocks


def prevalence_table(inputs: AnalysisInputs) -> Table:
    material, language = inputs.material, inputs.language
    depth = {theme.name: level for theme, level in theme_tree(material.themes)}
    rows = []
    themes = {p.name: p for p in theme_prevalence(material)}
    for theme, level in theme_tree(material.themes):
        row = themes[theme.name]
        rows.append(Row((theme.name, _wording(len(row.cases), row.of_cases, language), ", ".join(row.cases),
                         str(row.segments)), indent=level))
    for row in code_prevalence(material):
        if row.segments:
            rows.append(Row((" / ".join(row.name.split("/")), _wording(len(row.cases), row.of_cases, language),
                             ", ".join(row.cases), str(row.segments))))
    del depth
    p = lambda key: phrase(key, language)  # noqa: E731
    coding = coding_label(material.coding, language)
    return Table(p("analysis.prevalence.title"),
                 (p("analysis.theme_or_code"), p("analysis.participants"), p("analysis.cases"), p("analysis.passages")),
                 tuple(rows), ("left", "right", "left", "right"),
                 phrase("analysis.prevalence.note", language, total=len(material.cases), coding=coding))


def codebook_list(rows: list[CodebookRow], language: str) -> BulletList:
    return BulletList(tuple(Paragraph((Run(row.code, bold=True),
                                       Run(" — " + (row.definition or phrase("analysis.no_definition", language)))))
                            for row in rows))


def build_document(inputs: AnalysisInputs) -> Document:
    language = inputs.language
    p = lambda key: phrase(key, language)  # noqa: E731
    blocks: list[Block] = [Section(p("analysis.method"), tuple(method_paragraphs(inputs))),
                           Section(p("analysis.themes"), tuple(theme_sections(inputs))),
                           Section(p("analysis.prevalence"), (prevalence_table(inputs),))]
    if inputs.map_figure is not None:
        blocks.append(Section(p("analysis.map"), (inputs.map_figure,)))
    blocks.append(Section(p("analysis.codebook"), (codebook_list(inputs.codebook, language),)))
    return Document(inputs.title or p("analysis.title"), tuple(blocks), author=inputs.author, language=language)


def coding_label(coding: str, language: str) -> str:
    """Which coding the counts use, in ``language``: the consensus coding's name(s), or the union of all coders."""
    return phrase("analysis.coding.union_short", language) if coding == "all coders" else coding


def map_words(language: str, material: CodedMaterial | None = None) -> MapWords:
    """The map's legend and box wording in ``language``. Without ``material`` no title line (a report's
    caption gives it); with it, the stand-alone map's heading naming ``material``'s coding."""
    p = lambda key: phrase(key, language)  # noqa: E731
    return MapWords(title="" if material is None else p("analysis.map.heading"),
                    prevalence=p("analysis.map.prevalence"), segments=p("analysis.map.segments"),
                    legend=p("analysis.map.legend"), status_key=p("analysis.map.status_key"),
                    box_key=p("analysis.map.box_key"), relation=p("analysis.map.relation"),
                    subtheme=p("analysis.map.subtheme"),
                    statuses={status: p(f"status.{status}") for status in ("candidate", "reviewed", "final")},
                    codings={"all coders": coding_label("all coders", language)})


def map_note(material: CodedMaterial, language: str) -> str:
    """The figure's note: it describes only what the map draws (frames, dashed links)."""
    names = {theme.name for theme in material.themes}
    parts = [phrase("analysis.map.note", language)]
    if any(theme.parent in names for theme in material.themes):
        parts.append(phrase("analysis.map.note.subthemes", language))
    if material.links:
        parts.append(phrase("analysis.map.note.links", language))
    return " ".join(parts)


def thematic_map_figure(material: CodedMaterial, language: str = "en") -> Figure | None:
    """The Graphviz map fitted to an A4 page (portrait 16 cm or landscape 24.7 cm of text width) with
    its smallest text at 9 pt or more once printed: laid out again, never shrunk, while a layout
    fits (``reports.figures.thematic_map.fit_map``). PNG at 300 dpi for DOCX, the SVG (text as
    text) for HTML and Markdown."""
    if not material.themes:
        return None
    fitted = fit_map(material, words=map_words(language), smallest=SMALLEST_PRINTED_POINTS)
    return Figure(phrase("analysis.map.title", language), svg=fitted.svg, png=fitted.draw("png"),
                  note=map_note(material, language), width_cm=fitted.width_cm, name="map",
                  landscape=fitted.landscape)
