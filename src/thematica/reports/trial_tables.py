"""Trial results laid out as the papers print them, as APA tables of the document model:
Table 1 by arm, participant flow, one table per continuous outcome (M (SD) and n by arm per
timepoint, mean difference [95% CI], d [95% CI], t (df), p, mixed-model contrast), binary outcomes
(n/N (%) by arm, test, p, OR and RR [95% CI]; adjusted odds ratio), derived binary outcomes with
the ITT and the completers' denominators (χ²/Fisher, OR, RR, risk difference, NNT), effects after
multiple imputation (Rubin's rules), attendance and scale scores by arm, scale reliability,
correlations.

Every between-arm contrast is printed in one direction, first arm − (or versus) second arm, and
the title and note say which; ``quant.stats.trial`` computes every contrast in that direction
(its results carry the label, "A − B" or "A vs B"), so nothing is negated or inverted here.
Rounding happens here and only here; ``Report`` keeps full precision for json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from thematica.quant.stats.nnt import number_needed_to_treat
from thematica.quant.stats.trial import Report, Result
from thematica.quant.trial_labels import ValueLabels
from thematica.reports import numbers as fmt
from thematica.reports.document import Align, Document, Paragraph, Row, Run, Section, Table
from thematica.reports.formula import formula_runs, phrase_runs
from thematica.reports.language import PHRASES, add_phrases, phrase

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
    "trial.difference": {"en": "Difference [95% CI]", "nl": "Verschil [95%-BI]"},
    "trial.ci": {"en": "95% CI", "nl": "95%-BI"},
    "trial.continuous.note": {
        "en": "Difference = M {first} − M {second} with its 95% CI from Student's t (equal variances); {effect} = "
              "standardised mean difference {first} − {second} ({which}), 95% CI d ± 1.96 SE (Hedges & Olkin); t (df) "
              "and p from Student's t-test. Negative: lower in {first}. Δ change = difference in change from the "
              "first timepoint, {first} − {second}, from a linear mixed model (outcome ~ arm × time, random "
              "intercept per participant, REML) on all available data{participants}.",
        "nl": "Verschil = M {first} − M {second} met 95%-BI uit Students t (gelijke varianties); {effect} = "
              "gestandaardiseerd verschil in gemiddelden {first} − {second} ({which}), 95%-BI d ± 1,96 SE (Hedges & "
              "Olkin); t (df) en p uit Students t-toets. Negatief: lager in {first}. Δ verandering = verschil in "
              "verandering sinds het eerste tijdstip, {first} − {second}, uit een lineair gemengd model (uitkomst ~ "
              "arm × tijd, random intercept per deelnemer, REML) op alle beschikbare gegevens{participants}."},
    "trial.participants": {"en": " ({n} participants with at least one value)",
                           "nl": " ({n} deelnemers met ten minste één waarde)"},
    "trial.cohen": {"en": "Cohen's d, pooled SD", "nl": "Cohens d, gepoolde SD"},
    "trial.hedges": {"en": "Hedges' g, small-sample corrected", "nl": "Hedges' g, gecorrigeerd voor kleine steekproeven"},
    "trial.within": {"en": "Within {arm}, {time}: {name} = {value} (n = {n}, r = {r}).",
                     "nl": "Binnen {arm}, {time}: {name} = {value} (n = {n}, r = {r})."},
    "trial.within.formula": {
        "en": "Within-group {name} = {formula} ({reference}); positive: lower at the later timepoint.",
        "nl": "{name} binnen de groep = {formula} ({reference}); positief: lager op het latere tijdstip."},
    "trial.reference": {"en": "ref.", "nl": "ref."},
    "trial.binary": {"en": "{outcome} by arm and timepoint ({first} vs {second})",
                     "nl": "{outcome} per arm en tijdstip ({first} ten opzichte van {second})"},
    "trial.test": {"en": "Test", "nl": "Toets"},
    "trial.fisher": {"en": "Fisher's exact", "nl": "Fisher exact"},
    "trial.binary.note": {
        "en": "n/N (%) with {level}. χ² without continuity correction; Fisher's exact test when an expected count "
              "is below 5. OR and RR: {first} versus {second} (above 1: more often in {first}), Woolf's and the "
              "log-RR 95% CI; not estimated with a zero cell.",
        "nl": "n/N (%) met {level}. χ² zonder continuïteitscorrectie; Fishers exacte toets als een verwachte "
              "frequentie kleiner is dan 5. OR en RR: {first} ten opzichte van {second} (boven 1: vaker in "
              "{first}), 95%-BI volgens Woolf en op de log-RR-schaal; niet geschat bij een lege cel."},
    "trial.odds": {
        "en": "Odds ratio {first} versus {second} at {time}, adjusted for the baseline value at {base}{covariates}: "
              "{value} {interval} (Wald 95% CI), {p}, n = {n}.",
        "nl": "Odds ratio {first} ten opzichte van {second} op {time}, gecorrigeerd voor de beginwaarde op {base}"
              "{covariates}: {value} {interval} (Wald 95%-BI), {p}, n = {n}."},
    "trial.derived": {"en": "{outcome} by arm, all randomised (ITT) and completers ({first} vs {second})",
                      "nl": "{outcome} per arm, alle gerandomiseerden (ITT) en completers ({first} ten opzichte "
                            "van {second})"},
    "trial.denominator": {"en": "Time, denominator", "nl": "Tijdstip, noemer"},
    "trial.itt": {"en": "ITT", "nl": "ITT"},
    "trial.completers": {"en": "Completers", "nl": "Completers"},
    "trial.rd": {"en": "RD [95% CI]", "nl": "RV [95%-BI]"},
    "trial.derived.note": {
        "en": "n/N (%) with {outcome}. ITT: every randomised participant, a missing value counted as no {outcome}; "
              "completers: the participants measured. χ² without continuity correction, Fisher's exact test when "
              "an expected count is below 5. OR and RR: {first} versus {second}; RD (risk difference, Wald 95% CI) "
              "and NNT = 1/RD: {first} − {second}, positive when {outcome} is more frequent in {first}. When the "
              "CI of the RD includes 0 the CI of the NNT runs through infinity: NNTB (one more {outcome} in {first}) "
              "to ∞ to NNTH (one fewer) (Altman, 1998).",
        "nl": "n/N (%) met {outcome}. ITT: iedere gerandomiseerde deelnemer, een ontbrekende waarde geteld als geen "
              "{outcome}; completers: de gemeten deelnemers. χ² zonder continuïteitscorrectie, Fishers exacte toets "
              "als een verwachte frequentie kleiner is dan 5. OR en RR: {first} ten opzichte van {second}; RV "
              "(risicoverschil, Wald 95%-BI) en NNT = 1/RV: {first} − {second}, positief als {outcome} vaker is in "
              "{first}. Als het BI van het RV 0 bevat loopt het BI van de NNT door oneindig: NNTB (één {outcome} "
              "meer in {first}) tot ∞ tot NNTH (één minder) (Altman, 1998)."},
    "trial.imputed": {"en": "Between-arm effects after multiple imputation, pooled by Rubin's rules ({first} − "
                            "{second}; OR {first} vs {second})",
                      "nl": "Verschillen tussen de armen na meervoudige imputatie, gepoold met de regels van Rubin "
                            "({first} − {second}; OR {first} ten opzichte van {second})"},
    "trial.outcome": {"en": "Outcome", "nl": "Uitkomst"},
    "trial.effect": {"en": "Effect", "nl": "Effect"},
    "trial.estimate": {"en": "Estimate [95% CI]", "nl": "Schatting [95%-BI]"},
    "trial.fmi": {"en": "FMI", "nl": "FMI"},
    "trial.mean_difference": {"en": "Mean difference", "nl": "Verschil in gemiddelden"},
    "trial.imputed.note": {
        "en": "Multiple imputation by chained equations (MICE, predictive mean matching) of every randomised "
              "participant's missing values, from the outcome at the other timepoints and the arm; each completed "
              "data set analysed as in the tables above and the m results pooled by Rubin's rules (1987), 95% CI "
              "with Barnard–Rubin df; the OR pooled on the log scale. Mean difference and d: {first} − {second}; "
              "OR: {first} versus {second}. FMI: fraction of missing information. n: participants analysed.",
        "nl": "Meervoudige imputatie met chained equations (MICE, predictive mean matching) van de ontbrekende "
              "waarden van iedere gerandomiseerde deelnemer, uit de uitkomst op de andere tijdstippen en de arm; "
              "elke aangevulde dataset geanalyseerd als in de tabellen hierboven en de m resultaten gepoold met de "
              "regels van Rubin (1987), 95%-BI met df volgens Barnard–Rubin; de OR gepoold op de logschaal. "
              "Verschil in gemiddelden en d: {first} − {second}; OR: {first} ten opzichte van {second}. FMI: "
              "fractie ontbrekende informatie. n: geanalyseerde deelnemers."},
    "trial.mcnemar": {"en": "McNemar's test (exact binomial) within {arm}, {time}: {p}, n = {n}.",
                      "nl": "McNemar-toets (exact, binomiaal) binnen {arm}, {time}: {p}, n = {n}."},
    "trial.attendance": {"en": "Attendance and scale scores by arm", "nl": "Aanwezigheid en schaalscores per arm"},
    "trial.measure": {"en": "Measure", "nl": "Maat"},
    "trial.attended": {"en": "{name}, % of offered", "nl": "{name}, % van aangeboden"},
    "trial.extremity": {"en": "{name}, extremity (|z|)", "nl": "{name}, extremiteit (|z|)"},
    "trial.attendance.only": {"en": "Attendance by arm", "nl": "Aanwezigheid per arm"},
    "trial.scales": {"en": "Scale scores by arm", "nl": "Schaalscores per arm"},
    "trial.attendance.note": {
        "en": "Attendance: mean over participants of sessions attended as a percentage of sessions offered.",
        "nl": "Aanwezigheid: gemiddelde over deelnemers van het percentage bijgewoonde sessies."},
    "trial.scales.note": {
        "en": "Scale score: mean of the items; participants missing an item have no score. Extremity: absolute "
              "z-score of the scale score.",
        "nl": "Schaalscore: gemiddelde van de items; wie een item mist heeft geen score. Extremiteit: absolute "
              "z-score van de schaalscore."},
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
    def __init__(self, results: Iterable[Result]) -> None:
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

    @cached_property
    def arms(self) -> list[str]:
        return _ordered(r.group for r in self.report.results
                        if r.analysis == "flow" and r.statistic == "randomised" and r.group is not None)

    @cached_property
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
                cell = _mean_sd(mean, look.get("baseline", variable, time, "sd", arm), language)
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


def _mean_sd(mean: float | None, sd: float | None, language: str) -> str:
    """M (SD) to two decimals; a variable that is one whole number for everybody (SD 0, e.g. the 8
    sessions every participant was offered) is a count, shown as "8 (0)" rather than "8.00 (0.00)"."""
    if mean is not None and sd == 0 and float(mean).is_integer():
        return fmt.mean_sd(mean, sd, 0, language)
    return fmt.mean_sd(mean, sd, 2, language)


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


def _label(first: str, second: str, ratio: bool = False) -> str:
    """The group label ``quant.stats.trial.contrast_label`` gives a between-arm effect."""
    return f"{first} vs {second}" if ratio else f"{first} − {second}"


def _estimate(look: _Lookup, analysis: str, outcome: str, time: str | None, name: str, low: str, high: str,
              group: str | None, language: str, digits: int = 2) -> str:
    return fmt.estimate_interval(look.get(analysis, outcome, time, name, group),
                                 look.get(analysis, outcome, time, low, group),
                                 look.get(analysis, outcome, time, high, group), digits, language)


def continuous_table(context: TrialContext, outcome: str) -> Table:
    arms, look, language = context.arms, context.look, context.language
    first, second = arms[0], arms[-1]
    contrast = _label(first, second)
    rows = [r for r in context.report.results if r.analysis == "continuous" and r.outcome == outcome]
    effect = next((r.statistic for r in rows if r.statistic in ("d", "g")), "d")
    ci = context.p("trial.ci")
    headers = (context.p("trial.time"), *[h for arm in arms for h in (f"{arm} M (SD)", "n")],
               context.p("trial.difference"), f"{effect} [{ci}]", "t (df)", "p", context.p("trial.change"), "p")
    body = []
    for time in _ordered(r.timepoint for r in rows if r.timepoint is not None):
        cells = []
        for arm in arms:
            cells += [fmt.mean_sd(look.get("continuous", outcome, time, "mean", arm),
                                  look.get("continuous", outcome, time, "sd", arm), 2, language),
                      fmt.integer(look.get("continuous", outcome, time, "n", arm))]
        difference = _estimate(look, "continuous", outcome, time, "difference", "difference_ci_low",
                               "difference_ci_high", contrast, language)
        estimate = _estimate(look, "continuous", outcome, time, effect, f"{effect}_ci_low", f"{effect}_ci_high", None,
                             language)
        t = look.get("continuous", outcome, time, "t")
        t_cell = fmt.DASH if t is None else \
            f"{context.n(t)}{fmt.NO_BREAK_SPACE}({fmt.integer(look.get('continuous', outcome, time, 'df'))})"
        mixed = look.get("mixed_model", outcome, time, "arm_x_time_estimate", contrast)
        if mixed is not None:  # fitted with the first arm as the contrast: first − second as printed
            change = _estimate(look, "mixed_model", outcome, time, "arm_x_time_estimate", "arm_x_time_ci_low",
                               "arm_x_time_ci_high", contrast, language)
            change_p = fmt.p_value(look.get("mixed_model", outcome, time, "arm_x_time_p", contrast), language)
        elif look.get("mixed_model", outcome, time, "arm_estimate", contrast) is not None:
            change, change_p = context.p("trial.reference"), ""
        else:
            change, change_p = fmt.DASH, ""
        body.append(Row((time, *cells, difference, estimate, t_cell,
                         fmt.p_value(look.get("continuous", outcome, time, "p"), language), change, change_p)))
    fitted = look.get("mixed_model", outcome, None, "participants")
    notes = [context.p("trial.continuous.note", effect=effect, first=first, second=second,
                       which=context.p("trial.hedges" if effect == "g" else "trial.cohen"),
                       participants="" if fitted is None else context.p("trial.participants",
                                                                        n=fmt.integer(fitted)))]
    within = _within_notes(context, outcome)
    title = context.p("trial.continuous", outcome=context.labels.variable(outcome), first=first, second=second)
    runs = tuple(run for note in [tuple(Run(text) for text in notes), *(r for _, r in within)]
                 for run in (Run(" "), *note))[1:]
    plain = " ".join(notes + [text for text, _ in within])  # the plain note keeps the formula as written
    return Table(title, headers, tuple(body), _right(len(headers)), plain, runs if within else ())


def _within_notes(context: TrialContext, outcome: str) -> list[tuple[str, tuple[Run, ...]]]:
    """The within-group d chosen with ``--d`` per arm and comparison, then its formula and reference:
    each as plain text ("d_av = ...") and as runs with the notation styled (``reports.formula``:
    italic d with subscript "av", Mₚᵣₑ ...)."""
    from thematica.quant.stats.effect_sizes import WITHIN_FORMULAS

    chosen = str(context.report.options.get("within_d", "d_av"))
    formula, reference = WITHIN_FORMULAS.get(chosen, WITHIN_FORMULAS["d_av"])
    name = formula_runs(chosen)
    look, notes = context.look, []
    for row in [r for r in context.report.results
                if r.analysis == "within_arm" and r.outcome == outcome and r.statistic == chosen]:
        key = ("within_arm", outcome, row.timepoint)
        values = dict(arm=row.group, time=row.timepoint, value=context.n(row.value),
                      n=fmt.integer(look.get(*key, "n", row.group)), r=context.n(look.get(*key, "r", row.group)))
        notes.append((context.p("trial.within", name=chosen, **values),
                      phrase_runs(PHRASES["trial.within"][context.language], {"name": name}, **values)))
    if notes:
        notes.append((context.p("trial.within.formula", name=chosen, formula=formula, reference=reference),
                      phrase_runs(PHRASES["trial.within.formula"][context.language],
                                  {"name": name, "formula": formula_runs(formula)}, reference=reference)))
    return notes


def _two_by_two(context: TrialContext, analysis: str, outcome: str, time: str) -> list[str]:
    """Test, p, OR [95% CI], RR [95% CI] of one 2 × 2 table (first vs second arm)."""
    look, language = context.look, context.language
    ratio = _label(context.arms[0], context.arms[-1], ratio=True)
    chi2 = look.get(analysis, outcome, time, "chi2")
    if chi2 is not None:
        space = fmt.NO_BREAK_SPACE  # "χ²(1) = 1.06" stays on one line
        test, p = f"χ²(1){space}={space}{context.n(chi2)}", look.get(analysis, outcome, time, "chi2_p")
    elif look.get(analysis, outcome, time, "fisher_p") is not None:
        test, p = context.p("trial.fisher"), look.get(analysis, outcome, time, "fisher_p")
    else:
        test, p = fmt.DASH, None
    return [test, fmt.p_value(p, language),
            _estimate(look, analysis, outcome, time, "odds_ratio", "or_ci_low", "or_ci_high", ratio, language),
            _estimate(look, analysis, outcome, time, "risk_ratio", "rr_ci_low", "rr_ci_high", ratio, language)]


def _events(context: TrialContext, analysis: str, outcome: str, time: str, arm: str) -> str:
    look = context.look
    return fmt.count_percent(look.get(analysis, outcome, time, "events", arm),
                             look.get(analysis, outcome, time, "percent", arm), context.language,
                             look.get(analysis, outcome, time, "n", arm))


def binary_table(context: TrialContext, outcome: str) -> Table:
    arms, look, language = context.arms, context.look, context.language
    first, second = arms[0], arms[-1]
    rows = [r for r in context.report.results if r.analysis == "binary" and r.outcome == outcome]
    ci = context.p("trial.ci")
    headers = (context.p("trial.time"), *[f"{arm} n/N (%)" for arm in arms], context.p("trial.test"), "p",
               f"OR [{ci}]", f"RR [{ci}]")
    body = [Row((time, *[_events(context, "binary", outcome, time, arm) for arm in arms],
                 *_two_by_two(context, "binary", outcome, time)))
            for time in _ordered(r.timepoint for r in rows if r.timepoint is not None)]
    level = context.labels.value(outcome, "1") or f"{context.labels.variable(outcome)} = 1"
    notes = [context.p("trial.binary.note", level=level, first=first, second=second)]
    for row in [r for r in context.report.results
                if r.analysis == "logistic" and r.outcome == outcome and r.statistic == "odds_ratio"]:
        key = ("logistic", outcome, row.timepoint)
        base, _, later = (row.timepoint or "").rpartition("→")
        notes.append(context.p("trial.odds", first=first, second=second, time=later, base=base, covariates="",
                               value=context.n(row.value),
                               interval=fmt.interval(look.get(*key, "or_ci_low", row.group),
                                                     look.get(*key, "or_ci_high", row.group), 2, language),
                               p=fmt.p_statement(look.get(*key, "p", row.group), language),
                               n=fmt.integer(look.get(*key, "n", row.group))))
    for row in [r for r in context.report.results
                if r.analysis == "mcnemar" and r.outcome == outcome and r.statistic == "p"]:
        notes.append(context.p("trial.mcnemar", arm=row.group, time=row.timepoint, p=fmt.p_statement(row.value, language),
                               n=fmt.integer(look.get("mcnemar", outcome, row.timepoint, "n", row.group))))
    title = context.p("trial.binary", outcome=context.labels.variable(outcome), first=first, second=second)
    return Table(title, headers, tuple(body), _right(len(headers)), " ".join(notes))


def _nnt(context: TrialContext, analysis: str, outcome: str, time: str, difference: str) -> str:
    """NNT [95% CI] from ``quant.stats.nnt``; when the RD's CI includes 0: "NNTB a to ∞ to NNTH b" (Altman 1998)."""
    look, space = context.look, fmt.NO_BREAK_SPACE
    risk_difference = look.get(analysis, outcome, time, "risk_difference", difference)
    low = look.get(analysis, outcome, time, "rd_ci_low", difference)
    high = look.get(analysis, outcome, time, "rd_ci_high", difference)
    if risk_difference is None or low is None or high is None:
        return fmt.DASH
    nnt = number_needed_to_treat(risk_difference, low, high)
    if nnt.nnt is None:
        return fmt.DASH
    if nnt.benefit_bound is not None and nnt.harm_bound is not None:
        through = space.join(("NNTB", context.n(nnt.benefit_bound, 1), "to", "∞", "to", "NNTH",
                              context.n(nnt.harm_bound, 1)))
        return f"{context.n(nnt.nnt, 1)} [{through}]"  # the long interval may go under the estimate, whole
    return fmt.estimate_interval(nnt.nnt, nnt.ci_low, nnt.ci_high, 1, context.language)


def derived_table(context: TrialContext, outcome: str) -> Table:
    """A derived binary outcome: per timepoint the ITT row and the completers' row one under the other."""
    arms, look, language = context.arms, context.look, context.language
    first, second = arms[0], arms[-1]
    difference = _label(first, second)
    ci = context.p("trial.ci")
    headers = (context.p("trial.denominator"), *[f"{arm} n/N (%)" for arm in arms], context.p("trial.test"), "p",
               f"OR [{ci}]", f"RR [{ci}]", context.p("trial.rd"), f"NNT [{ci}]")
    body = []
    times = _ordered(r.timepoint for r in context.report.results
                     if r.analysis == "derived_itt" and r.outcome == outcome and r.timepoint is not None)
    for time in times:
        body.append(Row((time,), group=True))
        for denominator in ("itt", "completers"):
            analysis = f"derived_{denominator}"
            body.append(Row((context.p(f"trial.{denominator}"),
                             *[_events(context, analysis, outcome, time, arm) for arm in arms],
                             *_two_by_two(context, analysis, outcome, time),
                             _estimate(look, analysis, outcome, time, "risk_difference", "rd_ci_low", "rd_ci_high",
                                       difference, language, 3),
                             _nnt(context, analysis, outcome, time, difference)), indent=1))
    name = context.labels.variable(outcome)
    return Table(context.p("trial.derived", outcome=name, first=first, second=second), headers, tuple(body),
                 _right(len(headers)), context.p("trial.derived.note", outcome=name, first=first, second=second))


def imputed_table(context: TrialContext) -> Table | None:
    """Between-arm effects after multiple imputation (MICE), pooled by Rubin's rules."""
    results = [r for r in context.report.results if r.analysis == "imputed"]
    if not results:
        return None
    look, language = context.look, context.language
    first, second = context.arms[0], context.arms[-1]
    effects = {"difference": ("trial.mean_difference", "difference", "difference_fmi"), "d": ("", "d", "d_fmi"),
               "odds_ratio": ("", "or", "log_or_fmi")}
    body = []
    for r in results:
        if r.statistic not in effects:
            continue
        key, prefix, fmi = effects[r.statistic]
        body.append(Row((context.labels.variable(r.outcome), r.timepoint or "",
                         context.p(key) if key else ("OR" if prefix == "or" else "d"),
                         _estimate(look, "imputed", r.outcome, r.timepoint, r.statistic, f"{prefix}_ci_low",
                                   f"{prefix}_ci_high", r.group, language),
                         context.n(look.get("imputed", r.outcome, r.timepoint, fmi, r.group)),
                         fmt.integer(look.get("imputed", r.outcome, r.timepoint, "n")))))
    headers = (context.p("trial.outcome"), context.p("trial.time"), context.p("trial.effect"),
               context.p("trial.estimate"), context.p("trial.fmi"), "n")
    left: tuple[Align, ...] = ("left", "left", "left")
    return Table(context.p("trial.imputed", first=first, second=second), headers, tuple(body),
                 left + ("right",) * 3, context.p("trial.imputed.note", first=first, second=second))


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
    # titled and explained by what it shows: attendance rows only with --attendance ATTENDED:OFFERED
    shown = {r.analysis for r in results}
    title = {frozenset({"attendance", "scale"}): "trial.attendance", frozenset({"attendance"}): "trial.attendance.only",
             frozenset({"scale"}): "trial.scales"}[frozenset(shown)]
    note = " ".join(context.p(key) for key, analysis in (("trial.attendance.note", "attendance"),
                                                          ("trial.scales.note", "scale")) if analysis in shown)
    return Table(context.p(title), headers, tuple(body), _right(len(headers)), note)


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
    tables += [derived_table(context, outcome) for outcome in _ordered(r.outcome for r in report.results
                                                                       if r.analysis == "derived_itt")]
    for extra in (imputed_table(context), attendance_table(context), reliability_table(context),
                  correlation_table(context)):
        if extra is not None:
            tables.append(extra)
    return tables


def trial_document(report: Report, labels: ValueLabels | None = None, language: str = "en", title: str = "",
                   author: str = "") -> Document:
    blocks: list = list(all_tables(report, labels, language))
    if report.notes:
        blocks.append(Section(phrase("trial.notes", language), tuple(Paragraph.of(note) for note in report.notes)))
    return Document(title or phrase("trial.title", language), tuple(blocks), author=author, language=language)
