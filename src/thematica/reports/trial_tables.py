"""Trial results laid out as the papers print them, as APA tables of the document model:
Table 1 by arm, participant flow, one table per continuous outcome (M (SD) and n by arm per
timepoint, d [95% CI], p, mixed-model contrast), binary outcomes (n/N (%) by arm, test, p;
adjusted odds ratio), attendance and scale scores by arm, scale reliability, correlations.

Every between-arm contrast is printed in one direction, first arm − (or versus) second arm, and
the title and note say which: the mixed model's arm × time terms (fitted with the second arm as
the contrast) are negated and their interval reversed to match d; the odds ratio is inverted.
Rounding happens here and only here; ``Report`` keeps full precision for json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from thematica.quant.stats.trial import Report, Result
from thematica.quant.trial_labels import ValueLabels
from thematica.reports import numbers as fmt
from thematica.reports.document import Align, Document, Paragraph, Row, Section, Table
from thematica.reports.language import add_phrases, phrase

add_phrases({
    "trial.title": {"en": "Trial analyses", "nl": "Analyses van de trial"},
    "trial.table1": {"en": "Baseline characteristics by arm", "nl": "Kenmerken bij aanvang per arm"},
    "trial.characteristic": {"en": "Characteristic", "nl": "Kenmerk"},
    "trial.table1.note": {
        "en": "Values are n (%) or M (SD). Where data are missing, n/N (%) gives the denominator N and M (SD) "
              "the number of participants with a value.",
        "nl": "Waarden zijn n (%) of M (SD). Bij ontbrekende gegevens geeft n/N (%) de noemer N en M (SD) het "
              "aantal deelnemers met een waarde."},
    "trial.flow": {"en": "Participant flow by arm", "nl": "Stroom van deelnemers per arm"},
    "trial.stage": {"en": "Stage", "nl": "Fase"},
    "trial.randomised": {"en": "Randomised", "nl": "Gerandomiseerd"},
    "trial.assessed": {"en": "Assessed at {time}", "nl": "Gemeten op {time}"},
    "trial.not_assessed": {"en": "Not assessed at {time}", "nl": "Niet gemeten op {time}"},
    "trial.flow.note": {"en": "Assessed: at least one outcome measured at that timepoint.",
                        "nl": "Gemeten: ten minste één uitkomst gemeten op dat tijdstip."},
    "trial.time": {"en": "Time", "nl": "Tijdstip"},
    "trial.continuous": {"en": "{outcome} by arm and timepoint ({first} − {second})",
                         "nl": "{outcome} per arm en tijdstip ({first} − {second})"},
    "trial.change": {"en": "Δ change [95% CI]", "nl": "Δ verandering [95%-BI]"},
    "trial.ci": {"en": "95% CI", "nl": "95%-BI"},
    "trial.continuous.note": {
        "en": "{effect} = standardised mean difference {first} − {second} ({which}), 95% CI d ± 1.96 SE (Hedges & "
              "Olkin); p from Student's t-test (equal variances). Δ change = difference in change from the "
              "first timepoint, {first} − {second}, from a linear mixed model (outcome ~ arm × time, random "
              "intercept per participant, REML) on all available data.",
        "nl": "{effect} = gestandaardiseerd verschil in gemiddelden {first} − {second} ({which}), 95%-BI d ± 1,96 SE (Hedges & Olkin); p uit Students "
              "t-toets (gelijke varianties). Δ verandering = verschil in verandering sinds het eerste tijdstip, "
              "{first} − {second}, uit een lineair gemengd model (uitkomst ~ arm × tijd, random intercept per "
              "deelnemer, REML) op alle beschikbare gegevens."},
    "trial.cohen": {"en": "Cohen's d, pooled SD", "nl": "Cohens d, gepoolde SD"},
    "trial.hedges": {"en": "Hedges' g, small-sample corrected", "nl": "Hedges' g, gecorrigeerd voor kleine steekproeven"},
    "trial.within": {"en": "Within {arm}, {time} (first − last timepoint): d_av = {d_av}, d_z = {d_z}, n = {n}.",
                     "nl": "Binnen {arm}, {time} (eerste − laatste tijdstip): d_av = {d_av}, d_z = {d_z}, n = {n}."},
    "trial.reference": {"en": "ref.", "nl": "ref."},
    "trial.binary": {"en": "{outcome} by arm and timepoint", "nl": "{outcome} per arm en tijdstip"},
    "trial.test": {"en": "Test", "nl": "Toets"},
    "trial.fisher": {"en": "Fisher's exact", "nl": "Fisher exact"},
    "trial.binary.note": {
        "en": "n/N (%) with {level}. χ² without continuity correction; Fisher's exact test when an expected count "
              "is below 5.",
        "nl": "n/N (%) met {level}. χ² zonder continuïteitscorrectie; Fishers exacte toets als een verwachte "
              "frequentie kleiner is dan 5."},
    "trial.odds": {
        "en": "Odds ratio {first} versus {second} at {time}, adjusted for the baseline value{covariates}: "
              "{value} {interval} (Wald 95% CI), {p}, n = {n}.",
        "nl": "Odds ratio {first} ten opzichte van {second} op {time}, gecorrigeerd voor de beginwaarde"
              "{covariates}: {value} {interval} (Wald 95%-BI), {p}, n = {n}."},
    "trial.mcnemar": {"en": "McNemar's test (exact binomial) within {arm}, {time}: {p}, n = {n}.",
                      "nl": "McNemar-toets (exact, binomiaal) binnen {arm}, {time}: {p}, n = {n}."},
    "trial.attendance": {"en": "Attendance and scale scores by arm", "nl": "Aanwezigheid en schaalscores per arm"},
    "trial.measure": {"en": "Measure", "nl": "Maat"},
    "trial.attended": {"en": "{name}, % of offered", "nl": "{name}, % van aangeboden"},
    "trial.extremity": {"en": "{name}, extremity (|z|)", "nl": "{name}, extremiteit (|z|)"},
    "trial.attendance.note": {
        "en": "Attendance: mean over participants of sessions attended as a percentage of sessions offered. "
              "Scale score: mean of the items; participants missing an item have no score. Extremity: absolute "
              "z-score of the scale score.",
        "nl": "Aanwezigheid: gemiddelde over deelnemers van het percentage bijgewoonde sessies. Schaalscore: "
              "gemiddelde van de items; wie een item mist heeft geen score. Extremiteit: absolute z-score van de "
              "schaalscore."},
    "trial.reliability": {"en": "Scale reliability", "nl": "Betrouwbaarheid van de schalen"},
    "trial.scale": {"en": "Scale", "nl": "Schaal"},
    "trial.items": {"en": "Items", "nl": "Items"},
    "trial.reliability.note": {
        "en": "Cronbach's α with Feldt's 95% CI, on participants with every item answered (incomplete rows "
              "dropped).",
        "nl": "Cronbachs α met Feldts 95%-BI, over deelnemers die elk item beantwoordden (onvolledige rijen "
              "weggelaten)."},
    "trial.correlations": {"en": "Correlations of the scale scores", "nl": "Correlaties van de schaalscores"},
    "trial.with": {"en": "With", "nl": "Met"},
    "trial.correlations.note": {"en": "Pairwise complete observations.", "nl": "Paarsgewijs complete waarnemingen."},
    "trial.notes": {"en": "Notes on the analyses", "nl": "Opmerkingen bij de analyses"},
    "trial.yes": {"en": "yes", "nl": "ja"},
})


class _Lookup:
    def __init__(self, results: list[Result]) -> None:
        self.values = {(r.analysis, r.outcome, r.timepoint, r.statistic, r.group): r.value for r in results}

    def get(self, analysis: str, outcome: str, time: str | None, statistic: str,
            group: str | None = None) -> float | None:
        return self.values.get((analysis, outcome, time, statistic, group))


T = TypeVar("T")


def _ordered(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class TrialContext:
    report: Report
    labels: ValueLabels
    language: str

    @property
    def arms(self) -> list[str]:
        return _ordered(r.group for r in self.report.results
                        if r.analysis == "flow" and r.statistic == "randomised" and r.group is not None)

    @property
    def look(self) -> _Lookup:
        return _Lookup(self.report.results)

    def p(self, key: str, **values: object) -> str:
        return phrase(key, self.language, **values)

    def n(self, value: float | None, digits: int = 2) -> str:
        return fmt.number(value, digits, self.language)


def _right(columns: int) -> tuple[Align, ...]:
    left: tuple[Align, ...] = ("left",)
    right: tuple[Align, ...] = ("right",)
    return left + right * (columns - 1)


def table_one(context: TrialContext) -> Table:
    arms, look, language = context.arms, context.look, context.language
    rows = [r for r in context.report.results if r.analysis == "baseline"]
    time = rows[0].timepoint if rows else None
    sizes = {arm: look.get("baseline", "participants", time, "n", arm) for arm in arms}
    headers = (context.p("trial.characteristic"), *[f"{arm} (n = {fmt.integer(sizes[arm])})" for arm in arms])
    body: list[Row] = []
    grouped: dict[str, list[str]] = {}
    for outcome in _ordered(r.outcome for r in rows if r.outcome != "participants"):
        variable, _, level = outcome.partition("=")
        grouped.setdefault(variable, [])
        if level:
            grouped[variable].append(level)
    for variable, levels in grouped.items():
        name = context.labels.variable(variable)
        if not levels:
            cells = []
            for arm in arms:
                mean = look.get("baseline", variable, time, "mean", arm)
                cell = fmt.mean_sd(mean, look.get("baseline", variable, time, "sd", arm), 2, language)
                count, size = look.get("baseline", variable, time, "n", arm), sizes[arm]
                if count is not None and size is not None and count < size:
                    cell += f", n = {fmt.integer(count)}"
                cells.append(cell)
            body.append(Row((f"{name}, M (SD)", *cells)))
            continue
        binary = levels == ["1"]
        if binary:
            label = context.labels.value(variable, "1") or context.p("trial.yes")
            body.append(Row((f"{name}: {label}, n (%)", *[_count(context, f"{variable}=1", time, arm, sizes[arm])
                                                          for arm in arms])))
            continue
        body.append(Row((f"{name}, n (%)",), group=True))
        for level in levels:
            label = context.labels.value(variable, level) or level
            body.append(Row((label, *[_count(context, f"{variable}={level}", time, arm, sizes[arm]) for arm in arms]),
                            indent=1))
    return Table(context.p("trial.table1"), headers, tuple(body), _right(len(headers)), context.p("trial.table1.note"))


def _count(context: TrialContext, outcome: str, time: str | None, arm: str, size: float | None) -> str:
    look = context.look
    count = look.get("baseline", outcome, time, "n", arm)
    of = look.get("baseline", outcome, time, "of", arm)
    shown = of if of is not None and size is not None and of < size else None
    return fmt.count_percent(count, look.get("baseline", outcome, time, "percent", arm), context.language, shown)


def flow_table(context: TrialContext) -> Table:
    arms, look = context.arms, context.look
    flow = [r for r in context.report.results if r.analysis == "flow"]
    body = [Row((context.p("trial.randomised"),
                 *[fmt.integer(look.get("flow", "participants", None, "randomised", arm)) for arm in arms]))]
    for time in _ordered(r.timepoint for r in flow if r.statistic == "assessed" and r.timepoint is not None):
        body.append(Row((context.p("trial.assessed", time=time),
                         *[fmt.integer(look.get("flow", "participants", time, "assessed", arm)) for arm in arms])))
        missing = [look.get("flow", "participants", time, "not_assessed", arm) for arm in arms]
        if any(missing):
            body.append(Row((context.p("trial.not_assessed", time=time), *[fmt.integer(m) for m in missing]),
                            indent=1))
    columns: dict[str, list[str]] = {}
    for outcome in _ordered(r.outcome for r in flow if r.outcome != "participants"):
        column, _, level = outcome.partition("=")
        columns.setdefault(column, []).append(level)
    for column, levels in columns.items():
        body.append(Row((context.labels.variable(column),), group=True))
        for level in levels:
            body.append(Row((context.labels.value(column, level) or level,
                             *[fmt.integer(look.get("flow", f"{column}={level}", None, "n", arm) or 0.0)
                               for arm in arms]), indent=1))
    headers = (context.p("trial.stage"), *arms)
    return Table(context.p("trial.flow"), headers, tuple(body), _right(len(headers)), context.p("trial.flow.note"))


def continuous_table(context: TrialContext, outcome: str) -> Table:
    arms, look, language = context.arms, context.look, context.language
    first, second = arms[0], arms[-1]
    rows = [r for r in context.report.results if r.analysis == "continuous" and r.outcome == outcome]
    effect = next((r.statistic for r in rows if r.statistic in ("d", "g")), "d")
    ci = context.p("trial.ci")
    headers = (context.p("trial.time"), *[h for arm in arms for h in (f"{arm} M (SD)", "n")],
               f"{effect} [{ci}]", "p", context.p("trial.change"), "p")
    body = []
    for time in _ordered(r.timepoint for r in rows if r.timepoint is not None):
        cells = []
        for arm in arms:
            cells += [fmt.mean_sd(look.get("continuous", outcome, time, "mean", arm),
                                  look.get("continuous", outcome, time, "sd", arm), 2, language),
                      fmt.integer(look.get("continuous", outcome, time, "n", arm))]
        estimate = fmt.estimate_interval(look.get("continuous", outcome, time, effect),
                                         look.get("continuous", outcome, time, f"{effect}_ci_low"),
                                         look.get("continuous", outcome, time, f"{effect}_ci_high"), 2, language)
        mixed = look.get("mixed_model", outcome, time, "arm_x_time_estimate", second)
        if mixed is not None:  # fitted as second − first: printed as first − second
            low = look.get("mixed_model", outcome, time, "arm_x_time_ci_low", second)
            high = look.get("mixed_model", outcome, time, "arm_x_time_ci_high", second)
            contrast = fmt.estimate_interval(-mixed, None if high is None else -high, None if low is None else -low,
                                             2, language)
            contrast_p = fmt.p_value(look.get("mixed_model", outcome, time, "arm_x_time_p", second), language)
        elif look.get("mixed_model", outcome, time, "arm_estimate", second) is not None:
            contrast, contrast_p = context.p("trial.reference"), ""
        else:
            contrast, contrast_p = fmt.DASH, ""
        body.append(Row((time, *cells, estimate, fmt.p_value(look.get("continuous", outcome, time, "p"), language),
                         contrast, contrast_p)))
    notes = [context.p("trial.continuous.note", effect=effect, first=first, second=second,
                       which=context.p("trial.hedges" if effect == "g" else "trial.cohen"))]
    for row in [r for r in context.report.results
                if r.analysis == "within_arm" and r.outcome == outcome and r.statistic == "d_av"]:
        notes.append(context.p("trial.within", arm=row.group, time=row.timepoint, d_av=context.n(row.value),
                               d_z=context.n(look.get("within_arm", outcome, row.timepoint, "d_z", row.group)),
                               n=fmt.integer(look.get("within_arm", outcome, row.timepoint, "n", row.group))))
    title = context.p("trial.continuous", outcome=context.labels.variable(outcome), first=first, second=second)
    return Table(title, headers, tuple(body), _right(len(headers)), " ".join(notes))


def binary_table(context: TrialContext, outcome: str) -> Table:
    arms, look, language = context.arms, context.look, context.language
    rows = [r for r in context.report.results if r.analysis == "binary" and r.outcome == outcome]
    headers = (context.p("trial.time"), *[f"{arm} n/N (%)" for arm in arms], context.p("trial.test"), "p")
    body = []
    for time in _ordered(r.timepoint for r in rows if r.timepoint is not None):
        cells = []
        for arm in arms:
            total = look.get("binary", outcome, time, "n", arm)
            share = look.get("binary", outcome, time, "percent", arm)
            count = None if total is None or share is None else share * total / 100
            cells.append(fmt.count_percent(count, share, language, total))
        chi2 = look.get("binary", outcome, time, "chi2")
        if chi2 is not None:
            test, p = f"χ²(1) = {context.n(chi2)}", look.get("binary", outcome, time, "chi2_p")
        elif look.get("binary", outcome, time, "fisher_p") is not None:
            test, p = context.p("trial.fisher"), look.get("binary", outcome, time, "fisher_p")
        else:
            test, p = fmt.DASH, None
        body.append(Row((time, *cells, test, fmt.p_value(p, language))))
    level = context.labels.value(outcome, "1") or f"{context.labels.variable(outcome)} = 1"
    notes = [context.p("trial.binary.note", level=level)]
    first, second = arms[0], arms[-1]
    for row in [r for r in context.report.results
                if r.analysis == "logistic" and r.outcome == outcome and r.statistic == "odds_ratio"]:
        key = ("logistic", outcome, row.timepoint)
        value = row.value
        low, high = look.get(*key, "or_ci_low", row.group), look.get(*key, "or_ci_high", row.group)
        inverted = (None if value is None else 1 / value, None if high is None else 1 / high,
                    None if low is None else 1 / low)  # fitted as second vs first
        notes.append(context.p("trial.odds", first=first, second=second, time=row.timepoint, covariates="",
                               value=context.n(inverted[0]), interval=fmt.interval(inverted[1], inverted[2], 2, language),
                               p=fmt.p_statement(look.get(*key, "p", row.group), language),
                               n=fmt.integer(look.get(*key, "n", row.group))))
    for row in [r for r in context.report.results
                if r.analysis == "mcnemar" and r.outcome == outcome and r.statistic == "p"]:
        notes.append(context.p("trial.mcnemar", arm=row.group, time=row.timepoint, p=fmt.p_statement(row.value, language),
                               n=fmt.integer(look.get("mcnemar", outcome, row.timepoint, "n", row.group))))
    title = context.p("trial.binary", outcome=context.labels.variable(outcome))
    return Table(title, headers, tuple(body), _right(len(headers)), " ".join(notes))


def attendance_table(context: TrialContext) -> Table | None:
    arms, look, language = context.arms, context.look, context.language
    results = [r for r in context.report.results if r.analysis in ("attendance", "scale") and r.group is not None]
    if not results:
        return None
    body = []
    for variable in _ordered(r.outcome for r in results if r.analysis == "attendance"):
        cells = []
        for arm in arms:
            cells += [fmt.percent(look.get("attendance", variable, None, "mean_percent", arm), language),
                      fmt.integer(look.get("attendance", variable, None, "n", arm))]
        body.append(Row((context.p("trial.attended", name=context.labels.variable(variable)), *cells)))
    for scale, time in _ordered((r.outcome, r.timepoint) for r in results
                                if r.analysis == "scale" and not r.outcome.endswith("_extremity")):
        cells, extremity = [], []
        for arm in arms:
            cells += [fmt.mean_sd(look.get("scale", scale, time, "mean", arm), look.get("scale", scale, time, "sd", arm),
                                  2, language), fmt.integer(look.get("scale", scale, time, "n", arm))]
            extremity += [context.n(look.get("scale", f"{scale}_extremity", time, "mean", arm)), ""]
        label = scale if time is None else f"{scale} ({time})"
        body.append(Row((f"{label}, M (SD)", *cells)))
        body.append(Row((context.p("trial.extremity", name=label), *extremity), indent=1))
    headers = (context.p("trial.measure"), *[h for arm in arms for h in (arm, "n")])
    return Table(context.p("trial.attendance"), headers, tuple(body), _right(len(headers)),
                 context.p("trial.attendance.note"))


def reliability_table(context: TrialContext) -> Table | None:
    look, language = context.look, context.language
    scales = _ordered((r.outcome, r.timepoint) for r in context.report.results
                      if r.analysis == "scale" and r.statistic == "alpha")
    if not scales:
        return None
    ci = context.p("trial.ci")
    body = [Row((scale, time or "", fmt.integer(look.get("scale", scale, time, "items")),
                 fmt.integer(look.get("scale", scale, time, "n")),
                 fmt.estimate_interval(look.get("scale", scale, time, "alpha"), look.get("scale", scale, time, "ci_low"),
                                       look.get("scale", scale, time, "ci_high"), 2, language)))
            for scale, time in scales]
    headers = (context.p("trial.scale"), context.p("trial.time"), context.p("trial.items"), "n", f"α [{ci}]")
    return Table(context.p("trial.reliability"), headers, tuple(body), _right(len(headers)),
                 context.p("trial.reliability.note"))


def correlation_table(context: TrialContext) -> Table | None:
    look, language = context.look, context.language
    pairs = _ordered((r.outcome, r.timepoint) for r in context.report.results if r.analysis == "correlation")
    if not pairs:
        return None
    body = []
    for pair, time in pairs:
        scale, _, other = pair.partition("~")
        body.append(Row((scale, context.labels.variable(other), time or "",
                         fmt.integer(look.get("correlation", pair, time, "n")),
                         context.n(look.get("correlation", pair, time, "pearson_r")),
                         fmt.p_value(look.get("correlation", pair, time, "pearson_p"), language),
                         context.n(look.get("correlation", pair, time, "spearman_r")),
                         fmt.p_value(look.get("correlation", pair, time, "spearman_p"), language))))
    headers = (context.p("trial.scale"), context.p("trial.with"), context.p("trial.time"), "n", "r", "p", "ρ", "p")
    return Table(context.p("trial.correlations"), headers, tuple(body), _right(len(headers)),
                 context.p("trial.correlations.note"))


def all_tables(report: Report, labels: ValueLabels | None = None, language: str = "en") -> list[Table]:
    context = TrialContext(report, labels or ValueLabels(), language)
    if not context.arms:
        return []
    tables = [table_one(context), flow_table(context)]
    kinds: dict[str, list[str]] = {"continuous": [], "binary": []}
    for r in report.results:
        if r.analysis in kinds and r.outcome not in kinds[r.analysis]:
            kinds[r.analysis].append(r.outcome)
    tables += [continuous_table(context, outcome) for outcome in kinds["continuous"]]
    tables += [binary_table(context, outcome) for outcome in kinds["binary"]]
    for extra in (attendance_table(context), reliability_table(context), correlation_table(context)):
        if extra is not None:
            tables.append(extra)
    return tables


def trial_document(report: Report, labels: ValueLabels | None = None, language: str = "en", title: str = "",
                   author: str = "") -> Document:
    blocks: list = list(all_tables(report, labels, language))
    if report.notes:
        blocks.append(Section(phrase("trial.notes", language), tuple(Paragraph.of(note) for note in report.notes)))
    return Document(title or phrase("trial.title", language), tuple(blocks), author=author, language=language)
