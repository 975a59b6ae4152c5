"""Meta-analysis commands (no project needed): ``meta``, ``meta compare`` and ``nma``."""

from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table
from typer._click import core as typer_click  # typer ships its own copy of click; TyperGroup takes its Context

from thematica.cli.common import console, emit, to_json, write_report
from thematica.files import write_private
from thematica.reports.language import check_language
from thematica.safe_text import csv_text
from thematica.jsonsafe import json_safe
from thematica.vocabulary import EffectMeasure, PoolingMethod


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
    forest: Path | None = typer.Option(None, "--forest", help="Forest plot file (.png, .svg or .pdf)."),
    funnel: Path | None = typer.Option(None, "--funnel", help="Funnel plot file."),
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
    from thematica.quant.meta_plots import forest_plot, forest_text, funnel_plot

    result = analyse(file, measure.value, method.value, subgroup, hartung_knapp)
    if forest:
        forest_plot(result, forest)
    if funnel:
        funnel_plot(result, funnel)
    if format is Output.json:
        emit(to_json(result.to_dict()), None)
        return
    if format not in (Output.table,):
        from thematica.reports.meta_tables import meta_document

        write_report(meta_document(result, check_language(language)), format.value, out)
        return
    summary = result.summary(result.pooled)
    table = Table(title=f"{measure.value} meta-analysis ({method.value}{', Hartung–Knapp' if hartung_knapp else ''})")
    for key in ("k", "estimate", "ci_low", "ci_high", "tau2", "i2", "q", "q_p", "pi_low", "pi_high"):
        table.add_column(key, justify="right")
    table.add_row(*[("—" if summary[k] is None else f"{summary[k]:.4g}") for k in
                    ("k", "estimate", "ci_low", "ci_high", "tau2", "i2", "q", "q_p", "pi_low", "pi_high")])
    console.print(table)
    console.print(forest_text(result), markup=False, highlight=False)
    if result.subgroups and result.subgroup_q:
        q, df, p = result.subgroup_q
        console.print(f"Subgroup difference: Q = {q:.3f}, df = {df}, p = {p:.4f}")
    if result.egger:
        console.print(f"Egger's test: intercept {result.egger.intercept:.3f} (se {result.egger.se:.3f}), p = {result.egger.p:.4f}")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/dim]")


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
    smaller_is_better: bool = typer.Option(False, "--smaller-is-better", help="Rank low values first (e.g. harms)."),
    format: Output = FormatOption,
    league: Path | None = typer.Option(None, "--league", help="League table CSV."),
    network: Path | None = typer.Option(None, "--network", help="Network plot (.png, .svg)."),
    out: Path | None = OutOption,
    language: str = LanguageOption,
) -> None:
    """Network meta-analysis: every treatment against the reference, league table, P-scores, inconsistency.

    Conventions (stated in the table note): GLS on contrasts, multi-arm studies with their covariance; --random
    adds tau² by the method of moments (Jackson et al. 2012); CIs with z; P-scores rank larger values first
    unless --smaller-is-better."""
    from thematica.quant.meta.network import league_table
    from thematica.quant.meta_analysis import analyse_network
    from thematica.quant.meta_plots import network_plot

    result = analyse_network(file, measure.value, reference, random, not smaller_is_better)
    natural = measure.value in ("RR", "OR")
    if league:
        write_private(league, csv_text(league_table(result, natural)))
    if network:
        network_plot(result, network)
    data = json_safe(result.to_dict(natural))
    if format is Output.json:
        emit(to_json(data), None)
        return
    if format is not Output.table:
        from thematica.reports.meta_tables import nma_document

        write_report(nma_document(result, natural, not smaller_is_better, check_language(language)), format.value, out)
        return
    table = Table(title=f"Network meta-analysis ({measure.value}, {'random' if random else 'fixed'} effects; "
                        f"reference {reference})")
    for column in ("treatment", "estimate", "95% CI", "P-score"):
        table.add_column(column, justify="left" if column == "treatment" else "right")
    for row in sorted(data["treatments"], key=lambda r: -r["p_score"]):
        ci = "—" if row["ci_low"] is None else f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}]"
        table.add_row(row["treatment"], f"{row['estimate']:.3f}", ci, f"{row['p_score']:.3f}")
    console.print(table)
    h = data["heterogeneity"]
    i2 = "—" if h["i2"] is None else f"{h['i2']:.1f}%"
    console.print(f"tau² = {data['tau2']:.4f}; I² = {i2}; Q total {h['q_total']:.2f} (df {h['df_total']}), within designs "
                  f"{h['q_within_designs']:.2f} (df {h['df_within_designs']}), between designs (inconsistency) "
                  f"{h['q_between_designs']:.2f} (df {h['df_between_designs']})")


def register(app: typer.Typer) -> None:
    meta_app.command("analyse", hidden=True)(meta_analysis)
    meta_app.command("compare")(meta_compare)
    app.add_typer(meta_app, name="meta")
    app.command()(nma)
