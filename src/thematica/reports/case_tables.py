"""The qualitative study's Table 1: each respondent with their attributes (as the DIT interview
study prints it), and in the note a summary per attribute — M (SD) and range for numbers, counts
for categories — so the sample is described in the words of the data, never in codes."""

from __future__ import annotations

import statistics
from collections import Counter

from thematica.corpus.case_table import CaseTable
from thematica.reports import numbers as fmt
from thematica.reports.document import Align, Document, Row, Table
from thematica.reports.language import add_phrases, phrase

NUMERIC = ("integer", "float")

add_phrases({
    "cases.title": {"en": "Characteristics of the respondents", "nl": "Kenmerken van de deelnemers"},
    "cases.respondent": {"en": "Respondent", "nl": "Deelnemer"},
    "cases.numeric": {"en": "{name}: M = {mean} (SD = {sd}), range {low}–{high}",
                      "nl": "{name}: M = {mean} (SD = {sd}), spreiding {low}–{high}"},
    "cases.counts": {"en": "{name}: {counts}", "nl": "{name}: {counts}"},
    "cases.note": {"en": "N = {n}. {summary}.", "nl": "N = {n}. {summary}."},
    "cases.missing": {"en": "unknown", "nl": "onbekend"},
})


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def case_table_table(table: CaseTable, language: str = "en") -> Table:
    names = [name.replace("_", " ") for name, _ in table.attributes]
    right: Align = "right"
    left: Align = "left"
    aligns: list[Align] = [left] + [right if kind in NUMERIC else left for _, kind in table.attributes]
    rows = tuple(Row((label, *[value if value is not None else "—" for value in values])) for label, values in table.cases)
    summary = []
    for index, ((name, kind), label) in enumerate(zip(table.attributes, names)):
        values = [values[index] for _, values in table.cases]
        if kind in NUMERIC:
            numbers = [n for n in (_number(v) for v in values) if n is not None]
            if numbers:
                digits = 0 if kind == "integer" else 1
                summary.append(phrase("cases.numeric", language, name=label,
                                      mean=fmt.number(statistics.fmean(numbers), 1, language),
                                      sd=fmt.number(statistics.stdev(numbers) if len(numbers) > 1 else None, 1,
                                                    language),
                                      low=fmt.number(min(numbers), digits, language),
                                      high=fmt.number(max(numbers), digits, language)))
        else:
            counts = Counter(v if v not in (None, "") else phrase("cases.missing", language) for v in values)
            if len(counts) < len(values):  # a category shared by several respondents, not a free text
                summary.append(phrase("cases.counts", language, name=label,
                                      counts=", ".join(f"{value} {count}" for value, count in
                                                       sorted(counts.items(), key=lambda item: (-item[1], item[0])))))
    note = phrase("cases.note", language, n=len(table.cases), summary="; ".join(summary)) if summary else \
        f"N = {len(table.cases)}."
    return Table(phrase("cases.title", language), (phrase("cases.respondent", language), *names), rows, tuple(aligns),
                 note)


def case_document(table: CaseTable, language: str = "en", author: str = "", title: str = "") -> Document:
    return Document(title or phrase("cases.title", language), (case_table_table(table, language),), author=author,
                    language=language)
