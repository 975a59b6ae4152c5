"""The linked trial: import, link to interviewees, analyse as the papers report, plot, joint display."""

from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import ProjectArgument, console, emit, open_existing, to_json
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
        low_value, high_value = ranges[name.strip()]
        if not low_value <= high_value:  # also refuses NaN
            raise ThematicaError(f"--range {value!r}: LOW must not be above HIGH")
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


def _scale(value: str) -> "Scale":
    from thematica.quant.trial_service import Scale

    name, _, rest = value.partition("=")
    items, _, time = rest.partition("@")
    columns = [item.strip() for item in items.split(",") if item.strip()]
    if not name.strip() or len(columns) < 2:
        raise typer.BadParameter(f"{value!r}: use NAME=item1,item2[,...][@time]", param_hint="--scale")
    return Scale(name.strip(), columns, time.strip() or None)


def trial_analyze(project: str = ProjectArgument,
                  outcome: list[str] = typer.Option(None, "--outcome", help="Outcome variable (repeat); default: "
                                                    "every variable measured at two or more timepoints."),
                  covariate: list[str] = typer.Option(None, "--covariate", help="Covariate for logistic models."),
                  hedges: bool = typer.Option(False, "--hedges", help="Hedges' g instead of Cohen's d."),
                  status: list[str] = typer.Option(None, "--status", help="Per-participant status column for the "
                                                   "CONSORT flow (default: columns named status*)."),
                  attendance: str | None = typer.Option(None, "--attendance", help="ATTENDED:OFFERED columns."),
                  scale: list[str] = typer.Option(None, "--scale", help="NAME=item1,item2,...[@time] (repeat)."),
                  correlate: list[str] = typer.Option(None, "--correlate", help="Correlate scales with this variable."),
                  format: Format = typer.Option(Format.table, "--format"),
                  out: Path | None = typer.Option(None, "--out")) -> None:
    """Table 1, CONSORT flow, outcomes per timepoint (d, t-test, mixed model), binary outcomes (OR, chi², McNemar),
    attendance, scales (Cronbach's alpha, correlations, extremity)."""
    from thematica.quant.trial_service import analyze
    from thematica.reports.trial_tables import all_tables, render_markdown, write_docx

    pair = None
    if attendance is not None:
        attended, _, offered = attendance.partition(":")
        if not attended or not offered:
            raise typer.BadParameter("use ATTENDED:OFFERED", param_hint="--attendance")
        pair = (attended, offered)
    with open_existing(project) as opened:
        report = analyze(opened, outcome or None, covariate or None, hedges, status or None, pair,
                         [_scale(value) for value in scale or []], correlate or None)
    if format is Format.json:
        emit(to_json(report.to_dict()), out)
        return
    tables = all_tables(report)
    if format is Format.md:
        emit(render_markdown(tables), out)
        return
    if format is Format.docx:
        if out is None:
            raise ThematicaError("--format docx needs --out FILE.docx")
        write_docx(tables, out)
        typer.echo(f"wrote {out}")
        return
    for data in tables:
        table = Table(title=data.title, title_justify="left")
        for number, header in enumerate(data.headers):
            table.add_column(header, justify="left" if number == 0 else "right")
        for row in data.rows:
            table.add_row(*row)
        console.print(table)
        for note in data.notes:
            console.print(f"  [dim]{note}[/dim]")


def trial_plot(project: str = ProjectArgument, outcome: str = typer.Option(..., "--outcome"),
               out: Path | None = typer.Option(None, "--out", help=".png or .svg (omit: terminal)")) -> None:
    """Outcome means with 95% CI over time per arm."""
    from thematica.quant.plots import plot_means, plot_terminal
    from thematica.quant.trial_service import load

    with open_existing(project) as opened:
        frame, kinds = load(opened)
    if outcome not in kinds:
        raise ThematicaError(f"unknown trial variable {outcome!r}")
    if kinds[outcome] not in ("continuous", "binary"):
        raise ThematicaError(f"{outcome!r} is {kinds[outcome]}: a plot of means needs a numeric outcome")
    from thematica.quant.plots import means_over_time

    if not any(means_over_time(frame, outcome).values()):
        raise ThematicaError(f"nothing to plot for {outcome!r}: no arm has two values at one timepoint")
    if out is None:
        typer.echo(plot_terminal(frame, outcome))
        return
    plot_means(frame, outcome, out)
    typer.echo(f"wrote {out}")


def trial_joint(project: str = ProjectArgument, by: str = typer.Option("arm", "--by", help="arm or a trial variable"),
                reliability: float | None = typer.Option(None, "--reliability", help="Group by reliable change in "
                                                         "--by (Jacobson–Truax) with this reliability, e.g. 0.97."),
                higher_is_better: bool = typer.Option(False, "--higher-is-better", help="For reliable change: a rise "
                                                      "is improvement (default: a fall, as on symptom scales)."),
                coder: str | None = typer.Option(None, "--coder"),
                out: Path | None = typer.Option(None, "--out", help="CSV file")) -> None:
    """Joint display: which participants of each outcome group voiced which theme, with their outcome values."""
    from thematica.quant.joint_display import joint_display
    from thematica.quant.trial_service import outcome_groups
    from thematica.themes.analysis import theme_prevalence
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        grouping = outcome_groups(opened, by, reliability, higher_is_better)
        material = load_material(opened, coder)
    if not material.themes:
        raise ThematicaError("no themes yet: add them with 'thematica theme add'")
    display = joint_display({p.name: p.cases for p in theme_prevalence(material)}, grouping.groups)
    if out is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["theme", "group", "count", "of", "cases", "outcome values"])
        for cell in display.cells:
            writer.writerow([cell.theme, cell.group, len(cell.cases), cell.of, " ".join(cell.cases),
                             "; ".join(f"{case}: {grouping.values.get(case, '')}" for case in cell.cases)])
        emit(buffer.getvalue(), out)
        return
    table = Table(title=f"Joint display: themes × {grouping.by}", show_lines=True)
    table.add_column("theme")
    for name in display.groups:
        table.add_column(f"{name} (n = {len(display.members[name])})")
    for theme in display.themes:
        row = []
        for cell in display.row(theme):
            detail = "\n".join(f"{case} {grouping.values.get(case, '')}".rstrip() for case in cell.cases)
            row.append(f"{len(cell.cases)} of {cell.of}" + (f"\n{detail}" if detail else ""))
        table.add_row(theme, *row)
    console.print(table)
    typer.echo("cases per group: " + "; ".join(f"{name}: {', '.join(cases)}" for name, cases in display.members.items()))
    if display.ungrouped:
        typer.echo(f"in no group (no trial link or missing outcome): {', '.join(display.ungrouped)}")


def register(app: typer.Typer) -> None:
    trial_app.command("import")(trial_import)
    trial_app.command("link")(trial_link)
    trial_app.command("analyze")(trial_analyze)
    trial_app.command("plot")(trial_plot)
    trial_app.command("joint")(trial_joint)
    app.add_typer(trial_app, name="trial")
