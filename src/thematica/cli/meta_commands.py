"""Meta-analysis commands (no project needed): ``meta``, ``meta compare`` and ``nma``."""

from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path

import click
import typer
from rich.table import Table

from thematica.cli.common import TableOrJson, console, emit, to_json
from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.jsonsafe import json_safe


class Measure(str, Enum):
    RR = "RR"
    OR = "OR"
    RD = "RD"
    SMD = "SMD"
    MD = "MD"


class Method(str, Enum):
    FE = "FE"
    DL = "DL"
    REML = "REML"


def meta_analysis(
    file: Path = typer.Argument(..., help="CSV: events_t,n_t,events_c,n_c | mean_t,sd_t,n_t,mean_c,sd_c,n_c | estimate,se"),
    measure: Measure = typer.Option(..., "--measure"),
    method: Method = typer.Option(Method.REML, "--method"),
    subgroup: str | None = typer.Option(None, "--subgroup", help="Column that defines subgroups."),
    hartung_knapp: bool = typer.Option(False, "--hartung-knapp", help="Hartung–Knapp adjustment of the CI."),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
    forest: Path | None = typer.Option(None, "--forest", help="Forest plot file (.svg, .pdf or .png); with "
                                       "--subgroup, a diamond per subgroup and the test of their difference."),
    funnel: Path | None = typer.Option(None, "--funnel", help="Contour-enhanced funnel plot file."),
    leave_one_out_forest: Path | None = typer.Option(None, "--leave-one-out-forest", help="Leave-one-out forest file."),
    cumulative_forest: Path | None = typer.Option(None, "--cumulative-forest", help="Cumulative forest file."),
    arms: str = typer.Option("Treatment,Control", "--arms", help="Names of the two arms (column headers, "
                             "'Favours' labels)."),
    larger_is_better: bool = typer.Option(False, "--larger-is-better", help="Values above the null favour "
                                          "the first arm (default: below, as for harmful events)."),
) -> None:
    """Pooled effect with 95% CI, tau², I², Q, prediction interval; subgroups, leave-one-out, Egger's test.

    'thematica meta compare A.csv B.csv' lists every cell where two extraction files differ.
    """
    from thematica.quant.meta_analysis import analyse
    from thematica.quant.meta_plots import cumulative_rows, forest_rows, forest_text, leave_one_out_rows
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
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["study", "column", first.name, second.name])
    writer.writerows(differences)
    emit(buffer.getvalue(), out)
    typer.echo(f"{len(differences)} differing cells", err=True)


class MetaGroup(typer.core.TyperGroup):
    """``meta FILE ...`` runs the analysis; ``meta compare A B`` compares two extractions."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        return "analyse", self.commands["analyse"], args


meta_app = typer.Typer(cls=MetaGroup, help="Pairwise meta-analysis: 'meta FILE --measure RR' or 'meta compare A B'.",
                       no_args_is_help=True)


def nma(
    file: Path = typer.Argument(..., help="Arm-level CSV (study,treatment,events,n | study,treatment,mean,sd,n) "
                                          "or contrast-level CSV (study,treat1,treat2,te,sete)"),
    measure: Measure = typer.Option(..., "--measure"),
    reference: str = typer.Option(..., "--reference", help="Reference treatment."),
    random: bool = typer.Option(False, "--random", help="Random-effects model (default: fixed effect)."),
    smaller_is_better: bool = typer.Option(False, "--smaller-is-better", help="Rank low values first (e.g. harms)."),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
    league: Path | None = typer.Option(None, "--league", help="League table CSV."),
    network: Path | None = typer.Option(None, "--network", help="Network plot (.svg, .pdf, .png)."),
    forest: Path | None = typer.Option(None, "--forest", help="NMA forest: every treatment against the reference."),
    rankogram: Path | None = typer.Option(None, "--rankogram", help="Rankogram: probability of each rank."),
) -> None:
    """Network meta-analysis: every treatment against the reference, league table, P-scores, inconsistency."""
    from thematica.quant.meta.network import league_table
    from thematica.quant.meta_analysis import analyse_network
    from thematica.quant.meta_plots import network_graph
    from thematica.reports.figures import network as figures
    from thematica.reports.figures.render import figure_format, write_figure

    for path in (network, forest, rankogram):
        if path is not None:
            figure_format(path)
    result = analyse_network(file, measure.value, reference, random, not smaller_is_better)
    natural = measure.value in ("RR", "OR")
    if league:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(league_table(result, natural))
        write_private(league, buffer.getvalue())
    if network:
        write_figure(network, figures.network_plot(network_graph(file, measure.value), figure_format(network)))
    data = json_safe(result.to_dict(natural))
    if forest:
        write_figure(forest, _nma_forest(data, measure.value, natural, figure_format(forest)))
    if rankogram:
        probabilities = getattr(result, "rank_probabilities", None)
        if probabilities is None:
            raise ThematicaError("this version's network model gives no rank probabilities for a rankogram")
        write_figure(rankogram, figures.rankogram(result.treatments, probabilities, figure_format(rankogram),
                                                  [result.p_scores[t] for t in result.treatments]))
    if format is TableOrJson.json:
        emit(to_json(data), None)
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
