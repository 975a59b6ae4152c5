"""The linked trial: import, link to interviewees, analyse as the papers report, plot, joint display."""

from __future__ import annotations

import csv
import io
import json
import math
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import ProjectArgument, console, emit, open_existing
from thematica.errors import ThematicaError

trial_app = typer.Typer(help="Trial data linked to the interviewees: import, link, analyze, plot, joint.",
                        no_args_is_help=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    docx = "docx"


def _ranges(values: list[str] | None) -> dict[str, tuple[float, float]]:
    ranges = {}
    for value in values or []:
        try:
            name, bounds = value.split("=", 1)
            low, high = bounds.split(":", 1)
            ranges[name.strip()] = (float(low), float(high))
        except ValueError:
            raise ThematicaError(f"--range takes VAR=LOW:HIGH, not {value!r}") from None
    return ranges


def trial_import(project: str = ProjectArgument, file: Path = typer.Argument(..., help="CSV or XLSX"),
                 id: str = typer.Option(..., "--id", help="Participant id column."),
                 arm: str = typer.Option(..., "--arm", help="Arm (condition) column."),
                 time: str | None = typer.Option(None, "--time", help="Timepoint column (long data)."),
                 case_col: str = typer.Option("case", "--case-col", help="Column naming the interview case."),
                 range_: list[str] = typer.Option(None, "--range", help="VAR=LOW:HIGH, checked and reported.")) -> None:
    """Import trial data (long or wide), typed, with a check report."""
    from thematica.quant.trial_service import import_trial

    with open_existing(project) as opened:
        result = import_trial(opened, file, id, arm, time, case_col, _ranges(range_))
    typer.echo(f"{result.participants} participants, timepoints {', '.join(map(str, result.timepoints))}, "
               f"{result.values} values; {result.linked} linked to interview cases")
    typer.echo("variables: " + ", ".join(f"{name} ({kind})" for name, kind in result.kinds.items()))
    for check in result.checks:
        typer.echo(f"check: {check}")


def trial_link(project: str = ProjectArgument, case_col: str = typer.Option("case", "--case-col")) -> None:
    """Link participants to interview cases by a column of the trial data."""
    from thematica.quant.trial_service import link_trial

    with open_existing(project) as opened:
        linked = link_trial(opened, case_col)
    typer.echo(f"{linked} participants linked to interview cases")


def _clean(value):
    return None if isinstance(value, float) and (math.isnan(value) or math.isinf(value)) else value


def trial_analyze(project: str = ProjectArgument,
                  outcome: list[str] = typer.Option(None, "--outcome", help="Outcome variable (repeat)."),
                  covariate: list[str] = typer.Option(None, "--covariate", help="Covariate for logistic models."),
                  hedges: bool = typer.Option(False, "--hedges", help="Hedges' g instead of Cohen's d."),
                  format: Format = typer.Option(Format.table, "--format"), out: Path | None = typer.Option(None, "--out")) -> None:
    """Baseline table, outcomes per timepoint (d, t-test, mixed model), binary outcomes (OR, chi², McNemar)."""
    from thematica.quant.trial_service import analyze

    with open_existing(project) as opened:
        report = analyze(opened, outcome or None, covariate or None, hedges)
    data = {"results": [{k: _clean(v) for k, v in r.to_dict().items()} for r in report.results], "notes": report.notes}
    if format is Format.json:
        emit(json.dumps(data, ensure_ascii=False, indent=2), out)
        return
    rows = [(r.analysis, r.outcome, r.timepoint or "", r.group or "", r.statistic,
             "—" if r.value is None else f"{r.value:.3f}") for r in report.results]
    if format is Format.md:
        lines = ["| analysis | outcome | time | group | statistic | value |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows] + [""] + [f"- {note}" for note in report.notes]
        emit("\n".join(lines), out)
        return
    if format is Format.docx:
        if out is None:
            raise ThematicaError("--format docx needs --out FILE.docx")
        import docx

        from thematica.files import private_path

        document = docx.Document()
        document.add_heading("Trial analyses", level=0)
        table = document.add_table(rows=1, cols=6)
        table.style = "Light Grid Accent 1"
        for cell, title in zip(table.rows[0].cells, ("analysis", "outcome", "time", "group", "statistic", "value")):
            cell.text = title
        for row in rows:
            for cell, value in zip(table.add_row().cells, row):
                cell.text = value
        for note in report.notes:
            document.add_paragraph(note, style="List Bullet")
        document.save(str(private_path(out)))
        typer.echo(f"wrote {out}")
        return
    table = Table(title="Trial analyses")
    for column in ("analysis", "outcome", "time", "group", "statistic", "value"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for note in report.notes:
        console.print(f"[dim]note: {note}[/dim]")


def trial_plot(project: str = ProjectArgument, outcome: str = typer.Option(..., "--outcome"),
               out: Path | None = typer.Option(None, "--out", help=".png or .svg (omit: terminal)")) -> None:
    """Outcome means with 95% CI over time per arm."""
    from thematica.quant.plots import plot_means, plot_terminal
    from thematica.quant.trial_service import load

    with open_existing(project) as opened:
        frame, kinds = load(opened)
    if outcome not in kinds:
        raise ThematicaError(f"unknown trial variable {outcome!r}")
    if out is None:
        typer.echo(plot_terminal(frame, outcome))
        return
    plot_means(frame, outcome, out)
    typer.echo(f"wrote {out}")


def trial_joint(project: str = ProjectArgument, by: str = typer.Option("arm", "--by", help="arm or a trial variable"),
                coder: str | None = typer.Option(None, "--coder"), out: Path | None = typer.Option(None, "--out",
                help="CSV file")) -> None:
    """Joint display: which participants of each outcome group voiced which theme."""
    from thematica.quant.joint_display import joint_display
    from thematica.quant.trial_service import outcome_groups
    from thematica.themes.analysis import theme_prevalence
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        groups = outcome_groups(opened, by)
        material = load_material(opened, coder)
    if not material.themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    cells = joint_display({p.name: p.cases for p in theme_prevalence(material)}, groups)
    names = sorted(set(groups.values()))
    if out is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["theme", *[f"{by}={g}" for g in names]])
        for theme in dict.fromkeys(c.theme for c in cells):
            writer.writerow([theme, *[f"{len(c.cases)} of {c.of}: {' '.join(c.cases)}" for c in cells if c.theme == theme]])
        emit(buffer.getvalue(), out)
        return
    table = Table(title=f"Joint display: themes × {by}")
    table.add_column("theme")
    for name in names:
        table.add_column(f"{by} = {name}")
    for theme in dict.fromkeys(c.theme for c in cells):
        table.add_row(theme, *[f"{len(c.cases)} of {c.of}: {', '.join(c.cases)}" for c in cells if c.theme == theme])
    console.print(table)


def register(app: typer.Typer) -> None:
    trial_app.command("import")(trial_import)
    trial_app.command("link")(trial_link)
    trial_app.command("analyze")(trial_analyze)
    trial_app.command("plot")(trial_plot)
    trial_app.command("joint")(trial_joint)
    app.add_typer(trial_app, name="trial")
