"""Meta-analysis and network meta-analysis as APA tables of the document model.

Pairwise: one table of the studies (effect [95% CI], weight) with the pooled estimate and the
prediction interval, per subgroup when asked, and a heterogeneity note. Network: every treatment
against the reference with its 95% CI, prediction interval (random effects), P-score, SUCRA,
P(best) and mean rank (the ranking direction in title and note), the league table, and the
node-splitting table (direct versus indirect evidence, first versus second, with p). The notes name each convention that
changes a number: the CI (Wald z, or Hartung–Knapp t on k − 1), the prediction interval (t on
k − 2, Higgins et al. 2009), I² from Cochran's Q whatever the τ² estimator (REML included),
ratio measures pooled on the log scale, zero cells (0.5 added for RR/OR; RD none) and studies
with no events in either arm left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from thematica.maths.normal import Z95
from thematica.quant.meta.network import ComparisonInterval, LeagueTable, NodeSplit, RankProbabilities, league_table
from thematica.quant.meta.pooling import Pooled
from thematica.quant.meta_analysis import MetaResult
from thematica.reports import numbers as fmt
from thematica.reports.document import Align, Block, Document, Paragraph, Row, Table
from thematica.reports.language import add_phrases, phrase

Z = Z95

add_phrases({
    "meta.title": {"en": "Meta-analysis", "nl": "Meta-analyse"},
    "meta.table": {"en": "Study effects and pooled {measure} ({model})",
                   "nl": "Effecten per studie en gepoolde {measure} ({model})"},
    "meta.study": {"en": "Study", "nl": "Studie"},
    "meta.weight": {"en": "Weight (%)", "nl": "Gewicht (%)"},
    "meta.pooled": {"en": "Pooled ({model})", "nl": "Gepoold ({model})"},
    "meta.prediction": {"en": "Prediction interval", "nl": "Predictie-interval"},
    "meta.subgroup": {"en": "Subgroup {name}", "nl": "Subgroep {name}"},
    "meta.model.FE": {"en": "fixed effect", "nl": "fixed effect"},
    "meta.model.DL": {"en": "random effects, DerSimonian–Laird", "nl": "random effects, DerSimonian–Laird"},
    "meta.model.REML": {"en": "random effects, REML", "nl": "random effects, REML"},
    "meta.hk": {"en": ", Hartung–Knapp", "nl": ", Hartung–Knapp"},
    "meta.note.ci.z": {"en": "95% CI with z (Wald).", "nl": "95%-BI met z (Wald)."},
    "meta.note.ci.hk": {"en": "95% CI of the pooled estimate with the Hartung–Knapp adjustment (t on k − 1 df).",
                        "nl": "95%-BI van de gepoolde schatting met de Hartung–Knapp-correctie (t met k − 1 df)."},
    "meta.note.ratio": {"en": "{measure} pooled on the log scale and shown back-transformed.",
                        "nl": "{measure} gepoold op de logschaal en teruggetransformeerd weergegeven."},
    "meta.note.zero": {"en": "Studies with a zero cell get 0.5 added to every cell; studies without events (or with "
                             "only events) in both arms are left out.",
                       "nl": "Studies met een lege cel krijgen 0,5 bij elke cel; studies zonder gebeurtenissen (of "
                             "met alleen gebeurtenissen) in beide armen vallen weg."},
    "meta.note.rd": {"en": "RD needs and gets no zero-cell correction.",
                     "nl": "RD heeft en krijgt geen correctie voor lege cellen."},
    "meta.note.smd": {"en": "SMD is Hedges' g.", "nl": "SMD is Hedges' g."},
    "meta.note.heterogeneity": {
        "en": "Heterogeneity: k = {k}, τ² = {tau2}, I² = {i2}% (from Cochran's Q: (Q − df)/Q, whatever the τ² "
              "estimator), Q({df}) = {q}, {p}.",
        "nl": "Heterogeniteit: k = {k}, τ² = {tau2}, I² = {i2}% (uit Cochrans Q: (Q − df)/Q, ongeacht de "
              "τ²-schatter), Q({df}) = {q}, {p}."},
    "meta.note.prediction": {"en": "Prediction interval: t on k − 2 df (Higgins et al., 2009), needs k ≥ 3.",
                             "nl": "Predictie-interval: t met k − 2 df (Higgins e.a., 2009), vereist k ≥ 3."},
    "meta.note.subgroups": {"en": "Subgroup difference: Q({df}) = {q}, {p}.",
                            "nl": "Verschil tussen subgroepen: Q({df}) = {q}, {p}."},
    "meta.note.egger": {"en": "Egger's test: intercept {intercept} (SE {se}), {p}.",
                        "nl": "Eggers toets: intercept {intercept} (SE {se}), {p}."},
    "meta.left_out": {"en": "Left out: {studies}.", "nl": "Weggelaten: {studies}."},
    "nma.title": {"en": "Network meta-analysis", "nl": "Netwerk-meta-analyse"},
    "nma.table": {"en": "Treatments versus {reference} ({measure}, {model}{ranked})",
                  "nl": "Behandelingen ten opzichte van {reference} ({measure}, {model}{ranked})"},
    "nma.treatment": {"en": "Treatment", "nl": "Behandeling"},
    "nma.fixed": {"en": "fixed effect", "nl": "fixed effect"},
    "nma.random": {"en": "random effects", "nl": "random effects"},
    "nma.note": {
        "en": "Frequentist contrast-based network meta-analysis (GLS, multi-arm studies with their covariance); "
              "{tau}95% CI with z. P-score: mean certainty of being better than another treatment ({better}). "
              "Heterogeneity: Q({df_total}) = {q_total}, {p_total}, I² = {i2}; within designs Q({df_within}) = "
              "{q_within}; between designs (inconsistency) Q({df_between}) = {q_between}, {p_between}.",
        "nl": "Frequentistische contrastgebaseerde netwerk-meta-analyse (GLS, studies met meer armen met hun "
              "covariantie); {tau}95%-BI met z. P-score: gemiddelde zekerheid beter te zijn dan een andere "
              "behandeling ({better}). Heterogeniteit: Q({df_total}) = {q_total}, {p_total}, I² = {i2}; binnen "
              "designs Q({df_within}) = {q_within}; tussen designs (inconsistentie) Q({df_between}) = {q_between}, "
              "{p_between}."},
    "nma.tau": {"en": "τ² = {tau2} (method of moments, Jackson et al., 2012); ",
                "nl": "τ² = {tau2} (momentenmethode, Jackson e.a., 2012); "},
    "nma.ranked": {"en": "; ranked: {better}", "nl": "; rangorde: {better}"},
    "nma.pi": {"en": "95% PI", "nl": "95%-PI"},
    "nma.mean_rank": {"en": "Mean rank", "nl": "Gemiddelde rang"},
    "nma.note.pi": {"en": "95% PI: prediction interval of the effect in a new study, estimate ± t(df {df})·√(SE² + τ²) "
                          "(Higgins et al., 2009), random effects only.",
                    "nl": "95%-PI: predictie-interval van het effect in een nieuwe studie, schatting ± t(df {df})·"
                          "√(SE² + τ²) (Higgins e.a., 2009), alleen bij random effects."},
    "nma.note.ranks": {"en": "SUCRA, P(best) (probability of rank 1) and mean rank from {draws} draws (seed {seed}) of "
                             "the multivariate normal of the estimates; rank 1 is the best ({better}); SUCRA equals "
                             "the P-score in expectation (Rücker & Schwarzer, 2015).",
                       "nl": "SUCRA, P(beste) (kans op rang 1) en gemiddelde rang uit {draws} trekkingen (seed {seed}) "
                             "uit de multivariate normale verdeling van de schattingen; rang 1 is de beste ({better}); "
                             "SUCRA is in verwachting gelijk aan de P-score (Rücker & Schwarzer, 2015)."},
    "nma.p_best": {"en": "P(best)", "nl": "P(beste)"},
    "nma.split": {"en": "Node-splitting: direct versus indirect evidence ({measure} [95% CI], first versus second)",
                  "nl": "Node-splitting: direct ten opzichte van indirect bewijs ({measure} [95%-BI], eerste ten "
                        "opzichte van tweede)"},
    "nma.comparison": {"en": "Comparison", "nl": "Vergelijking"},
    "nma.studies": {"en": "Studies", "nl": "Studies"},
    "nma.direct": {"en": "Direct", "nl": "Direct"},
    "nma.indirect": {"en": "Indirect", "nl": "Indirect"},
    "nma.network": {"en": "Network", "nl": "Netwerk"},
    "nma.split.note": {
        "en": "Each comparison is the first treatment versus the second. Back-calculation (Dias et al., 2010): direct "
              "= inverse-variance pool of the studies holding both treatments (τ² of the network); indirect = what "
              "the rest of the network adds; p from the z-test of direct − indirect{scale}. Comparisons without "
              "direct or without indirect evidence are left out; with multi-arm studies an approximation.",
        "nl": "Elke vergelijking is de eerste behandeling ten opzichte van de tweede. Terugrekening (Dias e.a., 2010): "
              "direct = inverse-variantiepooling van de studies met beide behandelingen (τ² van het netwerk); "
              "indirect = wat de rest van het netwerk toevoegt; p uit de z-toets van direct − indirect{scale}. "
              "Vergelijkingen zonder direct of zonder indirect bewijs vallen weg; bij studies met meer armen een "
              "benadering."},
    "nma.log": {"en": " on the log scale", "nl": " op de logschaal"},
    "nma.versus": {"en": "{first} vs {second}", "nl": "{first} vs. {second}"},
    "nma.larger": {"en": "larger is better", "nl": "groter is beter"},
    "nma.smaller": {"en": "smaller is better", "nl": "kleiner is beter"},
    "nma.league": {"en": "League table ({measure} [95% CI], row versus column)",
                   "nl": "Ranglijst ({measure} [95%-BI], rij ten opzichte van kolom)"},
    "nma.league.note": {"en": "Treatments in P-score order; each cell compares the treatment on the diagonal of "
                               "its row with the treatment on the diagonal of its column.",
                        "nl": "Behandelingen in volgorde van P-score; elke cel vergelijkt de behandeling op de "
                              "diagonaal van haar rij met die op de diagonaal van haar kolom."},
})


def _model(pooled: Pooled, language: str) -> str:
    return phrase(f"meta.model.{pooled.method}", language) + (phrase("meta.hk", language) if pooled.hartung_knapp
                                                               else "")


def _pooled_rows(result: MetaResult, pooled: Pooled, language: str, label: str, weight: str) -> list[Row]:
    s = result.summary(pooled)
    rows = [Row((label, fmt.estimate_interval(s["estimate"], s["ci_low"], s["ci_high"], 2, language), weight))]
    if s["pi_low"] is not None and pooled.method != "FE":
        rows.append(Row((phrase("meta.prediction", language), fmt.interval(s["pi_low"], s["pi_high"], 2, language), ""),
                        indent=1))
    return rows


def meta_document(result: MetaResult, language: str = "en", author: str = "") -> Document:
    pooled = result.pooled
    model = _model(pooled, language)
    rows: list[Row] = []
    weights = result.weights()
    for effect, weight in zip(result.effects.effects, weights):
        rows.append(Row((effect.study, fmt.estimate_interval(result.scale(effect.estimate),
                                                             result.scale(effect.estimate - Z * effect.se),
                                                             result.scale(effect.estimate + Z * effect.se), 2, language),
                         fmt.percent(weight, language))))
    rows += _pooled_rows(result, pooled, language, phrase("meta.pooled", language, model=model),
                         fmt.percent(100.0, language))
    for name, sub in result.subgroups.items():
        rows += _pooled_rows(result, sub, language, phrase("meta.subgroup", language, name=name) + f" (k = {sub.k})",
                             "")
    notes = [phrase("meta.note.ci.hk" if pooled.hartung_knapp else "meta.note.ci.z", language)]
    if result.natural:
        notes.append(phrase("meta.note.ratio", language, measure=result.measure))
    if result.measure in ("RR", "OR"):
        notes.append(phrase("meta.note.zero", language))
    elif result.measure == "RD":
        notes.append(phrase("meta.note.rd", language))
    elif result.measure == "SMD":
        notes.append(phrase("meta.note.smd", language))
    notes.append(phrase("meta.note.heterogeneity", language, k=pooled.k, tau2=fmt.number(pooled.tau2, 3, language),
                        i2=fmt.number(pooled.i2, 1, language), df=pooled.q_df, q=fmt.number(pooled.q, 2, language),
                        p=fmt.p_statement(None if math.isnan(pooled.q_p) else pooled.q_p, language)))
    if pooled.method != "FE":
        notes.append(phrase("meta.note.prediction", language))
    if result.subgroups and result.subgroup_q:
        q, df, p = result.subgroup_q
        notes.append(phrase("meta.note.subgroups", language, df=df, q=fmt.number(q, 2, language),
                            p=fmt.p_statement(None if math.isnan(p) else p, language)))
    if result.egger:
        notes.append(phrase("meta.note.egger", language, intercept=fmt.number(result.egger.intercept, 2, language),
                            se=fmt.number(result.egger.se, 2, language), p=fmt.p_statement(result.egger.p, language)))
    if result.effects.excluded:
        notes.append(phrase("meta.left_out", language, studies=", ".join(result.effects.excluded)))
    ci = "95%-BI" if language == "nl" else "95% CI"
    table = Table(phrase("meta.table", language, measure=result.measure, model=model),
                  (phrase("meta.study", language), f"{result.measure} [{ci}]", phrase("meta.weight", language)),
                  tuple(rows), note=" ".join(notes))
    blocks: list[Block] = [table]
    return Document(phrase("meta.title", language), tuple(blocks), author=author, language=language)


def _versus_reference(intervals: Sequence[ComparisonInterval], treatment: str,
                      reference: str) -> tuple[float | None, float | None]:
    """The prediction interval of ``treatment`` versus ``reference`` (analysis scale), whichever way it was listed."""
    for row in intervals:
        if (row.first, row.second) == (treatment, reference):
            return row.pi_low, row.pi_high
        if (row.first, row.second) == (reference, treatment):
            return (None if row.pi_high is None else -row.pi_high, None if row.pi_low is None else -row.pi_low)
    return None, None


def _split_table(splits: Sequence[NodeSplit], measure: str, natural: bool, transform: Callable[[float], float],
                 z: float, language: str) -> Table:
    def shown(value: float, se: float) -> str:
        return fmt.estimate_interval(transform(value), transform(value - z * se), transform(value + z * se), 2,
                                     language)

    rows = [Row((phrase("nma.versus", language, first=s.first, second=s.second), str(s.studies),
                 shown(s.direct, s.direct_se), shown(s.indirect, s.indirect_se), fmt.number(transform(s.network), 2,
                                                                                            language),
                 fmt.p_value(s.p, language))) for s in splits]
    headers = (phrase("nma.comparison", language), phrase("nma.studies", language), phrase("nma.direct", language),
               phrase("nma.indirect", language), phrase("nma.network", language), "p")
    return Table(phrase("nma.split", language, measure=measure), headers, tuple(rows),
                 note=phrase("nma.split.note", language, scale=phrase("nma.log", language) if natural else ""))


def nma_document(result: Any, natural: bool, larger_is_better: bool, language: str = "en", author: str = "",
                 ranking: RankProbabilities | None = None, intervals: Sequence[ComparisonInterval] = (),
                 splits: Sequence[NodeSplit] = ()) -> Document:
    """``result`` is a :class:`~thematica.quant.meta.network.NetworkResult`; ``ranking``, ``intervals`` and
    ``splits`` come from ``rank_probabilities``, ``prediction_intervals`` and ``node_split`` on it: the
    prediction-interval column (random effects), SUCRA / P(best) / mean rank and the node-splitting table."""
    data = result.to_dict(natural)
    model = phrase("nma.random" if result.random else "nma.fixed", language)
    ci = "95%-BI" if language == "nl" else "95% CI"
    transform: Callable[[float], float] = math.exp if natural else (lambda x: x)
    better = phrase("nma.larger" if larger_is_better else "nma.smaller", language)
    with_pi = result.random and any(row.pi_low is not None for row in intervals)
    ranks = {} if ranking is None else {t: (s, b, m) for t, s, b, m in zip(ranking.treatments, ranking.sucra,
                                                                             ranking.p_best, ranking.mean_rank)}
    rows = []
    for row in sorted(data["treatments"], key=lambda r: -r["p_score"]):
        estimate = (fmt.estimate_interval(row["estimate"], row["ci_low"], row["ci_high"], 2, language)
                    if row["ci_low"] is not None else "ref.")
        cells = [row["treatment"], estimate]
        if with_pi:
            low, high = _versus_reference(intervals, row["treatment"], result.reference)
            cells.append(fmt.DASH if low is None or high is None or row["treatment"] == result.reference else
                         fmt.interval(transform(low), transform(high), 2, language))
        cells.append(fmt.number(row["p_score"], 2, language))
        if row["treatment"] in ranks:
            sucra, best, mean = ranks[row["treatment"]]
            cells += [fmt.number(sucra, 2, language), fmt.number(best, 2, language), fmt.number(mean, 2, language)]
        rows.append(Row(tuple(cells)))
    h = data["heterogeneity"]
    note = phrase("nma.note", language,
                  tau=phrase("nma.tau", language, tau2=fmt.number(data["tau2"], 3, language)) if result.random else "",
                  better=better,
                  df_total=h["df_total"], q_total=fmt.number(h["q_total"], 2, language),
                  p_total=fmt.p_statement(h["p_total"], language),
                  i2="—" if h["i2"] is None else fmt.percent(h["i2"], language) + "%",
                  df_within=h["df_within_designs"], q_within=fmt.number(h["q_within_designs"], 2, language),
                  df_between=h["df_between_designs"], q_between=fmt.number(h["q_between_designs"], 2, language),
                  p_between=fmt.p_statement(h["p_between_designs"], language))
    headers = [phrase("nma.treatment", language), f"{result.measure} [{ci}]"]
    if with_pi:
        headers.append(phrase("nma.pi", language))
        note += " " + phrase("nma.note.pi", language, df=next(r.pi_df for r in intervals if r.pi_df is not None))
    headers.append("P-score")
    if ranking is not None:
        headers += ["SUCRA", phrase("nma.p_best", language), phrase("nma.mean_rank", language)]
        note += " " + phrase("nma.note.ranks", language, draws=ranking.draws, seed=ranking.seed, better=better)
    main = Table(phrase("nma.table", language, reference=result.reference, measure=result.measure, model=model,
                        ranked=phrase("nma.ranked", language, better=better)),
                 tuple(headers), tuple(rows), note=note)
    league = league_table(result, natural)
    order = league.treatments
    league_rows = [Row(tuple(first if cell is None else fmt.estimate_interval(cell.estimate, cell.ci_low,
                                                                              cell.ci_high, 2, language)
                             for cell in row))
                   for first, row in zip(order, league.cells)]
    centred: tuple[Align, ...] = ("center",)
    blocks: list[Block] = [main, Table(phrase("nma.league", language, measure=result.measure), order,
                                       tuple(league_rows), centred * len(order), phrase("nma.league.note", language))]
    if splits:
        blocks.append(_split_table(splits, result.measure, natural, transform, Z, language))
    blocks += [Paragraph.of(note) for note in data.get("notes", [])]
    return Document(phrase("nma.title", language), tuple(blocks), author=author, language=language)


def league_text(table: LeagueTable) -> list[list[str]]:
    """The league table as plain text rows for CSV and json: a header row of the treatments, then per row
    the treatment and its cells "estimate (low; high)" to 2 decimals, the treatment's name on the diagonal."""
    rows = [["", *table.treatments]]
    for first, cells in zip(table.treatments, table.cells):
        rows.append([first, *(first if cell is None else f"{cell.estimate:.2f} ({cell.ci_low:.2f}; {cell.ci_high:.2f})"
                              for cell in cells)])
    return rows
