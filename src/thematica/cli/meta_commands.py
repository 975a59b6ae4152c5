"""Meta-analysis commands (no project needed): ``meta``, ``meta compare`` and ``nma``."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from typer._click import core as typer_click  # typer ships its own copy of click; TyperGroup takes its Context

from thematica.cli.common import console, emit, print_tables, to_json, write_report
from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.reports.language import check_language
from thematica.safe_text import csv_text
from thematica.jsonsafe import json_safe
from thematica.vocabulary import EffectMeasure, PoolingMethod

if TYPE_CHECKING:
    from thematica.reports.document import Document


class Output(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"


FormatOption = typer.Option(Output.table, "--format", help="table (terminal), json (full precision), or md, html, "
                                                           "docx (APA tables with the conventions in the note; "
                                                           "html and docx need --out).")
OutOption = typer.Option(None, "--out", help="File for --format md, html or docx.")
LanguageOption = typer.Option("en", "--language", help="Language of md/html/docx tables: nl or en.")


def meta_analysis(
    file: Path = typer.Argument(..., help="CSV: events_t,n_t,events_c,n_c | mean_t,sd_t,n_t,mean_c,sd_c,n_c | estimate,se"),
    measure: EffectMeasure = typer.Option(..., "--measure"),
    method: PoolingMethod = typer.Option(PoolingMethod.REML, "--method", help="FE, DL or REML (tau²); I² is always from Q."),
    subgroup: str | None = typer.Option(None, "--subgroup", help="Column that defines subgroups."),
    hartung_knapp: bool = typer.Option(False, "--hartung-knapp", help="Hartung–Knapp adjustment of the CI "
                                                                      "(t on k − 1; default: Wald z)."),
    format: Output = FormatOption,
    forest: Path | None = typer.Option(None, "--forest", help="Forest plot file (.svg, .pdf or .png); with "
                                       "--subgroup, a diamond per subgroup and the test of their difference."),
    funnel: Path | None = typer.Option(None, "--funnel", help="Contour-enhanced funnel plot file."),
    leave_one_out_forest: Path | None = typer.Option(None, "--leave-one-out-forest", help="Leave-one-out forest file."),
    cumulative_forest: Path | None = typer.Option(None, "--cumulative-forest", help="Cumulative forest file."),
    arms: str = typer.Option("Treatment,Control", "--arms", help="Names of the two arms (column headers, "
                             "'Favours' labels)."),
    larger_is_better: bool = typer.Option(False, "--larger-is-better", help="Values above the null favour "
                                          "the first arm (default: below, as for harmful events)."),
    out: Path | None = OutOption,
    language: str = LanguageOption,
) -> None:
    """Pooled effect with 95% CI, tau², I², Q, prediction interval; subgroups, leave-one-out, Egger's test.

    Conventions (stated in the table note): CI with z unless --hartung-knapp; the prediction interval uses t on
    k − 2; I² = (Q − df)/Q for every --method, REML included; RR and OR are pooled on the log scale, a study
    with a zero cell gets 0.5 added to each cell and a study with no events (or only events) in both arms is
    left out; RD has no zero-cell correction.

    'thematica meta compare A.csv B.csv' lists every cell where two extraction files differ.
    """
    from thematica.quant.meta_analysis import analyse
    from thematica.reports.figures.forest_rows import cumulative_rows, forest_rows, forest_text, leave_one_out_rows
    from thematica.reports.figures.forest import forest as draw_forest, funnel as draw_funnel
    from thematica.reports.figures.render import figure_format, write_figure

    names = [name.strip() for name in arms.split(",")]
    if len(names) != 2 or not all(names):
        raise typer.BadParameter("give two arm names: 'BCG vaccine,Control'", param_hint="--arms")
    pair = (names[0], names[1])
    for path in (forest, funnel, leave_one_out_forest, cumulative_forest):
        if path is not None:
            figure_format(path)
    result = analyse(file, measure.value, method.value, subgroup, hartung_knapp)
    if forest:
        write_figure(forest, draw_forest(forest_rows(result, file, pair, subgroup), figure_format(forest), pair,
                                         larger_is_better))
    if leave_one_out_forest:
        if not result.leave_one_out:
            raise ThematicaError("a leave-one-out forest needs at least 3 studies", path=str(file))
        write_figure(leave_one_out_forest, draw_forest(leave_one_out_rows(result), figure_format(leave_one_out_forest),
                                                       pair, larger_is_better))
    if cumulative_forest:
        write_figure(cumulative_forest, draw_forest(cumulative_rows(result), figure_format(cumulative_forest), pair,
                                                    larger_is_better))
    if funnel:
        write_figure(funnel, draw_funnel(result, figure_format(funnel)))
    if format is Output.json:
        emit(to_json(result.to_dict()), None)
        return
    if format not in (Output.table,):
        from thematica.reports.meta_tables import meta_document

        write_report(meta_document(result, check_language(language)), format.value, out)
        return
    from thematica.reports import numbers

    summary = result.summary(result.pooled)
    table = Table(title=f"{measure.value} meta-analysis ({method.value}{', Hartung–Knapp' if hartung_knapp else ''})")
    for header in ("k", f"{measure.value} [95% CI]", "95% PI", "τ²", "I²", "Q (df)", "p"):
        table.add_column(header, justify="right", no_wrap=True)
    i2 = summary["i2"]
    table.add_row(str(summary["k"]),
                  numbers.estimate_interval(summary["estimate"], summary["ci_low"], summary["ci_high"]),
                  numbers.interval(summary["pi_low"], summary["pi_high"]), numbers.number(summary["tau2"], 3),
                  "—" if i2 is None else f"{numbers.number(i2, 1)}%",
                  f"{numbers.number(summary['q'], 2)} ({result.pooled.q_df})", numbers.p_value(summary["q_p"]))
    console.print(table)
    console.print(forest_text(result), markup=False, highlight=False)
    if result.subgroups and result.subgroup_q:
        q, df, p = result.subgroup_q
        console.print(f"Subgroup difference: Q = {numbers.number(q, 2)}, df = {df}, p {_p_shown(p)}")
    if result.egger:
        console.print(f"Egger's test: intercept {numbers.number(result.egger.intercept, 3)} "
                      f"(SE {numbers.number(result.egger.se, 3)}), p {_p_shown(result.egger.p)}")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/dim]")


def _p_shown(p: float) -> str:
    """"= .045", "< .001" (``reports.numbers.p_value`` with its relation)."""
    from thematica.reports import numbers

    shown = numbers.p_value(p)
    return shown if shown[:1] in "<>" else f"= {shown}"


def meta_compare(first: Path = typer.Argument(...), second: Path = typer.Argument(...),
                 out: Path | None = typer.Option(None, "--out")) -> None:
    """Every cell where two independent data extractions differ (study, column, A, B)."""
    from thematica.quant.meta_files import compare_extractions

    differences = compare_extractions(first, second)
    emit(csv_text([["study", "column", first.name, second.name], *differences]), out)
    typer.echo(f"{len(differences)} differing cells", err=True)


class MetaGroup(typer.core.TyperGroup):
    """``meta FILE ...`` runs the analysis; ``meta compare A B`` compares two extractions."""

    def resolve_command(self, ctx: typer_click.Context, args: list[str]
                        ) -> tuple[str | None, typer_click.Command | None, list[str]]:
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        return "analyse", self.commands["analyse"], args


meta_app = typer.Typer(cls=MetaGroup, help="Pairwise meta-analysis: 'meta FILE --measure RR' or 'meta compare A B'.",
                       no_args_is_help=True)


def nma(
    file: Path = typer.Argument(..., help="Arm-level CSV (study,treatment,events,n | study,treatment,mean,sd,n) "
                                          "or contrast-level CSV (study,treat1,treat2,te,sete)"),
    measure: EffectMeasure = typer.Option(..., "--measure"),
    reference: str = typer.Option(..., "--reference", help="Reference treatment."),
    random: bool = typer.Option(False, "--random", help="Random-effects model (default: fixed effect)."),
    smaller_is_better: bool = typer.Option(False, "--smaller-is-better", help="Rank low values first (e.g. HbA1c, "
                                           "harms). One of --smaller-is-better / --larger-is-better is required."),
    larger_is_better: bool = typer.Option(False, "--larger-is-better", help="Rank high values first (e.g. the "
                                          "risk ratio of having paid work)."),
    draws: int = typer.Option(10000, "--draws", min=100, help="Draws from the multivariate normal of the "
                              "estimates for the rank probabilities (SUCRA, P(best), mean rank)."),
    seed: int = typer.Option(1, "--seed", help="Seed of those draws (numpy default_rng): the same seed, the same ranks."),
    format: Output = FormatOption,
    league: Path | None = typer.Option(None, "--league", help="League table with 95% CIs: .csv, or .md, .html, .docx "
                                       "(with the other NMA tables)."),
    network: Path | None = typer.Option(None, "--network", help="Network plot (.svg, .pdf, .png)."),
    forest: Path | None = typer.Option(None, "--forest", help="NMA forest: every treatment against the reference, "
                                       "with the prediction interval under random effects."),
    rankogram: Path | None = typer.Option(None, "--rankogram", help="Rankogram: probability of each rank."),
    out: Path | None = OutOption,
    language: str = LanguageOption,
) -> None:
    """Network meta-analysis: every treatment against the reference with 95% CI and (random effects) prediction
    interval, P-scores, SUCRA / P(best) / mean rank from the multivariate normal of the estimates (seeded),
    league table, design-by-treatment Q and node-splitting (direct vs indirect, back-calculation).

    Conventions (stated in the table note): GLS on contrasts, multi-arm studies with their covariance; --random
    adds tau² by the method of moments (Jackson et al. 2012); CIs with z; the ranking direction is required."""
    from thematica.errors import ThematicaError
    from thematica.markdown import md_table
    from thematica.quant.meta.network import league_table, node_split, prediction_intervals, rank_probabilities
    from thematica.quant.meta_analysis import analyse_network
    from thematica.quant.meta_figure_data import network_graph
    from thematica.reports.figures import network as figures
    from thematica.reports.figures.render import figure_format, write_figure
    from thematica.reports.meta_tables import league_text

    for path in (network, forest, rankogram):
        if path is not None:
            figure_format(path)
    result = analyse_network(file, measure.value, reference, random, not smaller_is_better)
    if smaller_is_better == larger_is_better:
        raise ThematicaError("ranking needs its direction: give --smaller-is-better or --larger-is-better "
                             "(not both)", path=str(file))
    natural = measure.value in ("RR", "OR")
    transform = math.exp if natural else (lambda x: x)
    table_rows = league_text(league_table(result, natural))
    ranking = rank_probabilities(result, smaller_is_better=smaller_is_better, draws=draws, seed=seed)
    intervals = {(r.first, r.second): r for r in prediction_intervals(result)}
    splits = node_split(result)

    def document() -> Document:
        from thematica.reports.meta_tables import nma_document

        return nma_document(result, natural, not smaller_is_better, check_language(language), ranking=ranking,
                            intervals=tuple(intervals.values()), splits=splits)

    if league:
        kind = league.suffix.lower().lstrip(".")
        if kind in ("md", "html", "docx"):  # the APA tables of the document model, the league table among them
            write_report(document(), kind, league)
        else:
            write_private(league, csv_text(table_rows))
    if network:
        write_figure(network, figures.network_plot(network_graph(file, measure.value), figure_format(network)))
    data = json_safe(result.to_dict(natural))
    data["ranking_direction"] = "smaller is better" if smaller_is_better else "larger is better"

    def versus_reference(treatment: str) -> dict:
        key = (treatment, reference) if (treatment, reference) in intervals else (reference, treatment)
        row = intervals[key]
        sign = 1 if key[0] == treatment else -1
        low, high = (row.pi_low, row.pi_high) if sign == 1 else (
            None if row.pi_high is None else -row.pi_high, None if row.pi_low is None else -row.pi_low)
        return {"pi_low": None if low is None else transform(low), "pi_high": None if high is None else transform(high)}

    for row in data["treatments"]:
        if row["treatment"] != reference:
            row.update(versus_reference(row["treatment"]))
        else:
            row.update({"pi_low": None, "pi_high": None})
    data["ranking"] = ranking.to_dict()
    data["comparisons"] = [{**r.to_dict(), "scale": "log" if natural else "natural"} for r in intervals.values()]
    data["node_split"] = [{**s.to_dict(), "scale": "log" if natural else "natural"} for s in splits]
    data["league"] = table_rows
    if forest:
        write_figure(forest, _nma_forest(data, measure.value, natural, figure_format(forest)))
    if rankogram:
        write_figure(rankogram, figures.rankogram(list(ranking.treatments), np.asarray(ranking.probabilities),
                                                  figure_format(rankogram),
                                                  [result.p_scores[t] for t in ranking.treatments]))
    if format is Output.json:
        emit(to_json(json_safe(data)), None)
        return
    if format is not Output.table:
        write_report(document(), format.value, out)
        return
    sucra = dict(zip(ranking.treatments, zip(ranking.sucra, ranking.p_best, ranking.mean_rank)))
    from thematica.reports import numbers
    from thematica.reports.document import Row, Table as ReportTable

    def shown(value: float | None, digits: int = 3) -> str:
        return numbers.number(value, digits)

    ranked = []
    for row in sorted(data["treatments"], key=lambda r: -r["p_score"]):
        share, best, mean = sucra[row["treatment"]]
        ranked.append(Row((row["treatment"], shown(row["estimate"]), numbers.interval(row["ci_low"], row["ci_high"], 3),
                           numbers.interval(row["pi_low"], row["pi_high"], 3), shown(row["p_score"]), shown(share),
                           shown(best), shown(mean, 2))))
    # the shared terminal table (cli.fitted_tables): names wrap between words, intervals never break, and
    # columns that do not fit come in a second block under the first
    print_tables([ReportTable(f"Network meta-analysis ({measure.value}, {'random' if random else 'fixed'} effects; "
                              f"each treatment vs {reference}; {data['ranking_direction']})",
                              ("treatment", "estimate", "95% CI", "95% PI", "P-score", "SUCRA", "P(best)", "mean rank"),
                              tuple(ranked))])
    h = data["heterogeneity"]
    i2 = "—" if h["i2"] is None else f"{h['i2']:.1f}%"
    console.print(f"tau² = {data['tau2']:.4f}; I² = {i2}; Q total {h['q_total']:.2f} (df {h['df_total']}), within designs "
                  f"{h['q_within_designs']:.2f} (df {h['df_within_designs']}), between designs (inconsistency) "
                  f"{h['q_between_designs']:.2f} (df {h['df_between_designs']})")
    console.print(f"[dim]PI: estimate ± t(df {h['df_total']})·√(se² + τ²), random effects only. SUCRA, P(best), mean rank: "
                  f"{draws} draws (seed {seed}) from the multivariate normal of the estimates.[/dim]")
    if splits:
        split_table = Table(title="Node-splitting (back-calculation): direct vs indirect evidence")
        for column in ("comparison", "studies", "direct [95% CI]", "indirect [95% CI]", "network", "p"):
            split_table.add_column(column, justify="left" if column == "comparison" else "right")
        from thematica.maths.normal import Z95  # scipy: loaded only when a table needs it

        z = Z95
        for s in splits:
            split_table.add_row(f"{s.first} vs {s.second}", str(s.studies),
                                f"{transform(s.direct):.3f} [{transform(s.direct - z * s.direct_se):.3f}, "
                                f"{transform(s.direct + z * s.direct_se):.3f}]",
                                f"{transform(s.indirect):.3f} [{transform(s.indirect - z * s.indirect_se):.3f}, "
                                f"{transform(s.indirect + z * s.indirect_se):.3f}]", f"{transform(s.network):.3f}",
                                f"{s.p:.3f}")
        console.print(split_table)
    else:
        console.print("[dim]node-splitting: no comparison has both direct and indirect evidence[/dim]")


def _nma_forest(data: dict, measure: str, natural: bool, fmt: str) -> bytes:
    """The NMA forest from the result's rows (analysis scale; the prediction interval when the model gives one)."""
    import math

    from thematica.reports.figures.network import nma_forest

    rows = data["treatments"]
    to_scale = (lambda v: math.log(v) if v is not None else float("nan")) if natural else (
        lambda v: v if v is not None else float("nan"))
    estimates = [to_scale(r["estimate"]) for r in rows]
    has_pi = all(r.get("pi_low") is not None for r in rows if r["treatment"] != data["reference"])
    pi = ([to_scale(r.get("pi_low")) for r in rows], [to_scale(r.get("pi_high")) for r in rows]) if has_pi else (None, None)
    return nma_forest([r["treatment"] for r in rows], estimates, [to_scale(r["ci_low"]) for r in rows],
                      [to_scale(r["ci_high"]) for r in rows], data["reference"], measure, natural, fmt,
                      pi[0], pi[1], [r["p_score"] for r in rows])


def register(app: typer.Typer) -> None:
    meta_app.command("analyse", hidden=True)(meta_analysis)
    meta_app.command("compare")(meta_compare)
    app.add_typer(meta_app, name="meta")
    app.command()(nma)
