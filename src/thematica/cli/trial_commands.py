"""The linked trial: import, link to interviewees, analyse as the papers report, plot, joint display."""

from __future__ import annotations

import io
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from thematica.cli.common import (LanguageOption, ProjectArgument, console, emit, open_existing, print_tables, to_json,
                                  write_report)
from thematica.errors import ThematicaError
from thematica.reports import numbers
from thematica.reports.document import Document, Figure
from thematica.safe_text import SafeCsvWriter

if TYPE_CHECKING:
    from thematica.quant.stats.comparisons import TestResult
    from thematica.quant.stats.trial import Report
    from thematica.quant.trial_service import OutcomeGroups, Scale

trial_app = typer.Typer(help="Trial data linked to the interviewees: import, link, analyze, plot, joint.",
                        no_args_is_help=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"


TimeUnitOption = typer.Option(None, "--time-unit", help="The unit of the time column for the CONSORT diagram: "
                              "days, weeks, months or years ('Assessed at 3 months'; without it 'at timepoint 3').")


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
                 range_: list[str] = typer.Option(None, "--range", help="VAR=LOW:HIGH, checked and reported."),
                 labels: list[str] = typer.Option(None, "--labels", help="Value labels VAR=VALUE:LABEL,... (repeat), "
                                                  "e.g. paid_work=0:nee,1:ja; tables print the labels."),
                 labels_file: Path | None = typer.Option(None, "--labels-file", help="CSV variable,value,label (an "
                                                         "empty value labels the variable itself)."),
                 time_order: str | None = typer.Option(None, "--time-order", help="Order of text timepoint labels, "
                                                       "e.g. pre,post,fu (a label not listed is an error)."),
                 wide: list[str] = typer.Option(None, "--wide", help="Wide data: the column pattern, e.g. "
                                                "'scl90_t{time}' or '{variable}_t{time}' (repeat)."),
                 categorical: list[str] = typer.Option(None, "--categorical", help="A label column (repeat): "
                                                       "categorical even where some labels are numbers; a column "
                                                       "mixing numbers and text is otherwise refused."),
                 replace: bool = typer.Option(False, "--replace", help="Replace the project's trial data "
                                              "(without it, a project that has trial data is left alone).")) -> None:
    """Import trial data (long with --time, wide with --wide, else one timepoint), typed, with a check report.

    Arms keep the order of their first appearance in the file: the first arm is put first in every contrast."""
    from thematica.quant.trial_labels import ValueLabels, parse_label_options, read_labels_file
    from thematica.quant.trial_service import import_trial

    given = (read_labels_file(labels_file) if labels_file else ValueLabels()).merged(parse_label_options(labels))
    with open_existing(project) as opened:
        result = import_trial(opened, file, id, arm, time, case_col, _ranges(range_),
                              time_order=_labels(time_order), wide=wide or None, replace=replace, labels=given,
                              categorical=categorical or None)
    typer.echo(f"{result.participants} participants, timepoints {', '.join(map(str, result.timepoints))}, "
               f"{result.values} values; {result.linked} linked to interview cases")
    typer.echo("variables: " + ", ".join(f"{name} ({kind})" for name, kind in result.kinds.items()))
    for check in result.checks:
        typer.echo(f"check: {check}")


def _labels(value: str | None) -> list[str] | None:
    """'pre,post,fu' → ['pre', 'post', 'fu']; None stays None."""
    if value is None:
        return None
    labels = [part.strip() for part in value.split(",") if part.strip()]
    if not labels:
        raise ThematicaError(f"give a comma-separated list, not {value!r}")
    return labels


def trial_link(project: str = ProjectArgument, case_col: str = typer.Option("case", "--case-col")) -> None:
    """Link participants to interview cases by a column of the trial data."""
    from thematica.quant.trial_service import link_trial

    with open_existing(project) as opened:
        linked = link_trial(opened, case_col)
    typer.echo(f"{linked} participants linked to interview cases")


def _scale(value: str) -> Scale:
    from thematica.quant.trial_service import OutcomeGroups, Scale

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
                  scale: list[str] = typer.Option(None, "--scale", help="NAME=item1,item2,... optionally @time (repeat)."),
                  correlate: list[str] = typer.Option(None, "--correlate", help="Correlate scales with this variable."),
                  arms: str | None = typer.Option(None, "--arms", help="A,B: these arms in this order; every effect "
                                                  "is A − B (d, g, difference, LMM) or A vs B (OR, RR). Default: "
                                                  "the order of first appearance in the imported file."),
                  baseline: str | None = typer.Option(None, "--baseline", help="Baseline timepoint of the within-group "
                                                      "d, the adjusted OR and McNemar (default: the first)."),
                  at: str | None = typer.Option(None, "--at", help="T1,T2: the timepoints compared with the baseline "
                                                "(default: the last); also the rows of the outcome tables."),
                  d: str = typer.Option("d_av", "--d", help="Within-group d shown in the tables: baseline = "
                                        "(M_pre − M_post)/SD_pre (Becker 1988); pooled = .../√((SD_pre²+SD_post²)/2) "
                                        "(Cumming 2012); d_av = .../((SD_pre+SD_post)/2) (Lakens 2013); d_z = mean "
                                        "change/SD of change (Cohen 1988); d_rm = d_z·√(2(1−r)) (Morris & DeShon "
                                        "2002). Between arms: Cohen's d on the pooled SD, or --hedges. json has all."),
                  derive: list[str] = typer.Option(None, "--derive", help="A binary outcome: 'NAME = VAR OP NUMBER', "
                                                   "optionally '@ TIME', e.g. 'remission = scl90 < 0.5 @ 24' (repeat); rates "
                                                   "with the ITT (all randomised) and completers' denominators, "
                                                   "χ²/Fisher, OR, RR, NNT with 95% CI."),
                  impute: str | None = typer.Option(None, "--impute", help="mice: multiple imputation by chained "
                                                    "equations, d / mean difference / OR pooled by Rubin's rules "
                                                    "(the mixed model on all available data stays the default)."),
                  imputations: int = typer.Option(20, "--imputations", help="Number of imputations (at least 20)."),
                  seed: int = typer.Option(1, "--seed", help="Seed of the imputations."),
                  format: Format = typer.Option(Format.table, "--format", help="table (terminal), json (full "
                                                "precision), md, html or docx (APA tables; html/docx need --out)."),
                  out: Path | None = typer.Option(None, "--out"),
                  language: str | None = LanguageOption,
                  time_unit: str | None = TimeUnitOption) -> None:
    """Table 1, CONSORT flow, outcomes per timepoint (d, t-test, mixed model), binary outcomes (OR, chi², McNemar),
    attendance, scales (Cronbach's alpha, correlations, extremity).

    Conventions stated in the table notes: contrasts are first arm − second arm (d, mean difference, mixed-model
    contrast) and first versus second (odds ratio with Wald CI, risk ratio); the arm order is the file's unless
    --arms sets it; --hedges switches d to g; chi² has no continuity correction and
    becomes Fisher's exact test when an expected count is below 5; McNemar is the exact (binomial) test;
    Cronbach's alpha drops participants with a missing item (listwise).
    """
    from thematica.corpus.project_details import project_details, report_language
    from thematica.quant.trial_labels import load_labels
    from thematica.quant.trial_service import analyze
    from thematica.reports.figures.consort import check_time_unit
    from thematica.reports.trial_tables import trial_document

    check_time_unit(time_unit)
    pair = None
    if attendance is not None:
        attended, _, offered = attendance.partition(":")
        if not attended or not offered:
            raise typer.BadParameter("use ATTENDED:OFFERED", param_hint="--attendance")
        pair = (attended, offered)
    with open_existing(project) as opened:
        chosen = report_language(opened, language)
        details = project_details(opened)
        labels = load_labels(opened)
        report = analyze(opened, outcome or None, covariate or None, hedges, status or None, pair,
                         [_scale(value) for value in scale or []], correlate or None, _labels(arms), baseline,
                         _labels(at), d, derive or None, impute, imputations, seed)
    if format is Format.json:
        emit(to_json(report.to_dict()), out)
        return
    document = trial_document(report, labels, chosen, author=details.author)
    if format is Format.table:
        print_tables(list(document.blocks))
        for note in report.notes:
            console.print(f"  note: {note}", markup=False, style="dim")
        return
    write_report(with_consort(document, report, time_unit), format.value, out)


def with_consort(document: Document, report: Report, time_unit: str | None = None) -> Document:
    """The trial document with the CONSORT 2010 flow diagram as its last figure (inline SVG in HTML, PNG in DOCX)."""
    from thematica.reports.figures.consort import consort_diagram, flow_from_report

    flow = flow_from_report(report)
    title = "CONSORT 2010-stroomdiagram" if document.language == "nl" else "CONSORT 2010 flow diagram"
    figure = Figure(title=title, svg=consort_diagram(flow, "svg", document.language, time_unit),
                    png=consort_diagram(flow, "png", document.language, time_unit), name="consort")
    return replace(document, blocks=document.blocks + (figure,))


def trial_plot(project: str = ProjectArgument, outcome: str = typer.Option(..., "--outcome"),
               out: Path | None = typer.Option(None, "--out", help=".svg, .pdf or .png (300 dpi); omit: terminal"),
               unit: str = typer.Option("", "--unit", help="The outcome's unit, for the axis label."),
               time_label: str = typer.Option("time", "--time-label", help="x axis label, e.g. 'months'.")) -> None:
    """Outcome means with 95% CI over time per arm."""
    from thematica.quant.plots import plot_terminal
    from thematica.quant.trial_service import load

    fmt = None
    if out is not None:
        from thematica.reports.figures.render import figure_format

        fmt = figure_format(out)
    with open_existing(project) as opened:
        frame, kinds = load(opened)
    if outcome not in kinds:
        raise ThematicaError(f"unknown trial variable {outcome!r}")
    if kinds[outcome] not in ("continuous", "binary"):
        raise ThematicaError(f"{outcome!r} is {kinds[outcome]}: a plot of means needs a numeric outcome")
    from thematica.quant.plots import means_over_time

    if not any(means_over_time(frame, outcome).values()):
        raise ThematicaError(f"nothing to plot for {outcome!r}: no arm has two values at one timepoint")
    if out is None or fmt is None:
        typer.echo(plot_terminal(frame, outcome, unit=unit))
        return
    from thematica.reports.figures.render import write_figure
    from thematica.reports.figures.trial_plot import trial_plot as draw

    write_figure(out, draw(frame, outcome, fmt, unit, time_label))
    typer.echo(f"wrote {out}")


def trial_consort(project: str = ProjectArgument,
                  out: Path = typer.Option(..., "--out", help="consort.svg, .pdf or .png (300 dpi)"),
                  screened: int | None = typer.Option(None, "--screened", min=0, help="Number assessed for "
                                                      "eligibility (not in the trial data)."),
                  status: list[str] = typer.Option(None, "--status", help="Status column(s) giving the reasons "
                                                   "(default: columns named status*)."),
                  language: str | None = LanguageOption,
                  time_unit: str | None = TimeUnitOption) -> None:
    """The CONSORT 2010 flow diagram: enrolment, allocation per arm, follow-up per timepoint, analysis."""
    from thematica.corpus.project_details import report_language
    from thematica.quant.trial_service import analyze
    from thematica.reports.figures.consort import check_time_unit, consort_diagram, flow_from_report
    from thematica.reports.figures.render import figure_format, write_figure

    fmt = figure_format(out)
    check_time_unit(time_unit)
    with open_existing(project) as opened:
        chosen = report_language(opened, language)
        report = analyze(opened, None, None, False, status or None, None, [], None)
    write_figure(out, consort_diagram(flow_from_report(report, screened), fmt, chosen, time_unit))
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
        writer = SafeCsvWriter(buffer)
        writer.writerow(["theme", "group", "count", "of", "cases", "outcome values"])
        for cell in display.cells:
            writer.writerow([cell.theme, cell.group, len(cell.cases), cell.of, " ".join(cell.cases),
                             "; ".join(f"{case}: {_outcome_text(grouping, by, case)}" for case in cell.cases)])
        emit(buffer.getvalue(), out)
        return
    table = Table(title=f"Joint display: themes × {grouping.by}", show_lines=True)
    table.add_column("theme")
    for name in display.groups:
        table.add_column(f"{name} (n = {len(display.members[name])})")
    for theme in display.themes:
        row = []
        for cell in display.row(theme):
            detail = "\n".join(f"{case} {_outcome_text(grouping, by, case)}".rstrip() for case in cell.cases)
            row.append(f"{len(cell.cases)} of {cell.of}" + (f"\n{detail}" if detail else ""))
        table.add_row(theme, *row)
    console.print(table)
    typer.echo("cases per group: " + "; ".join(f"{name}: {', '.join(cases)}" for name, cases in display.members.items()))
    if display.ungrouped:
        typer.echo(f"in no group (no trial link or missing outcome): {', '.join(display.ungrouped)}")


def _outcome_text(grouping: "OutcomeGroups", by: str, case: str) -> str:
    """The values behind a case's group: "scl90 1.20→0.40, RCI −3.77" (true minus, as every report)."""
    if case in grouping.change:
        first, last, rci = grouping.change[case]
        return f"{by} {numbers.number(first)}→{numbers.number(last)}, RCI {numbers.number(rci)}"
    return grouping.values.get(case, "")


def _render_tests(title: str, rows: list[tuple[str, "TestResult"]]) -> None:
    table = Table(title=title, title_justify="left")
    for header in ("", "test", "n", "statistic (df)", "p", "estimate [95% CI]", "effect [95% CI]"):
        table.add_column(header, justify="left" if header in ("", "test") else "right")
    for label, r in rows:
        df = "" if r.df is None else f"{r.df:.4g}" + ("" if r.df2 is None else f", {r.df2:.4g}")
        statistic = "—" if not r.statistic_name else f"{r.statistic_name} = {numbers.number(r.statistic)}" + (
            f" ({df})" if df else "")
        estimate = "—" if r.estimate is None else (f"{r.estimate_name} {numbers.number(r.estimate)}" + (
            " " + numbers.interval(r.ci_low, r.ci_high) if r.ci_low is not None else ""))
        effect = "—" if r.effect is None else (f"{r.effect_name} {numbers.number(r.effect)}" + (
            " " + numbers.interval(r.effect_ci_low, r.effect_ci_high) if r.effect_ci_low is not None else ""))
        table.add_row(label, r.test, " / ".join(str(n) for n in r.n), statistic, numbers.p_value(r.p), estimate, effect)
    console.print(table)


def trial_test(project: str = ProjectArgument,
               test: str = typer.Option(..., "--test", help="paired | one-sample | student | welch | anova | "
                                        "welch-anova | chi2 | fisher | mann-whitney | wilcoxon"),
               outcome: str = typer.Option(..., "--outcome", help="The variable tested."),
               by: str = typer.Option("arm", "--by", help="Grouping variable (arm or any trial variable, e.g. "
                                      "cluster); paired and one-sample tests run within each group and in all."),
               groups: str | None = typer.Option(None, "--groups", help="A,B: these groups of --by in this order "
                                                 "(the effect is A − B)."),
               arms: str | None = typer.Option(None, "--arms", help="A,B: only these arms, in this order."),
               at: str | None = typer.Option(None, "--at", help="Timepoint (paired tests: the later one; default "
                                             "the last; other tests: default the first measured)."),
               baseline: str | None = typer.Option(None, "--baseline", help="Paired tests: the earlier timepoint."),
               mu: float | None = typer.Option(None, "--mu", help="One-sample test: the norm value."),
               versus: str | None = typer.Option(None, "--versus", help="Paired tests: compare --outcome with this "
                                                 "variable of the same participants at --at (e.g. wav_b vs wav_t)."),
               format: Format = typer.Option(Format.table, "--format")) -> None:
    """Group and paired tests with df, effect size and 95% CI: t-tests (paired, one-sample, Student, Welch),
    one-way and Welch ANOVA (η²), χ² r×c (Cramér's V), Fisher 2×2 (OR), Mann–Whitney, Wilcoxon."""
    from thematica.quant.trial_service import compare

    with open_existing(project) as opened:
        found = compare(opened, test, outcome, by, at, baseline, mu, _labels(arms), _labels(groups), versus)
    if format is Format.json:
        emit(to_json([c.to_dict() for c in found]), None)
        return
    if not found:
        raise ThematicaError(f"too few values of {outcome!r} for the {test} test")
    first = found[0]
    when = " → ".join(first.timepoints)
    direction = f"; {first.groups[0]} − {first.groups[1]}" if len(first.groups) == 2 and first.group is None \
        and test in ("student", "welch", "mann-whitney", "fisher") else ""
    _render_tests(f"{first.outcome} at {when} by {first.by}{direction}",
                  [(c.group if c.group is not None else ("all" if test in ("paired", "wilcoxon", "one-sample")
                                                          else " vs ".join(c.groups)), c.result) for c in found])


def _summary(value: str) -> tuple[float, float, int]:
    try:
        mean, sd, n = (part.strip() for part in value.split(","))
        return float(mean.replace(" ", "")), float(sd), int(n)
    except ValueError:
        raise ThematicaError(f"--group takes M,SD,N (e.g. 1.28,0.57,64), not {value!r}") from None


def trial_summary_t(group: list[str] = typer.Option(..., "--group", help="M,SD,N of a group (twice for two "
                                                    "groups; once with --mu for a norm value)."),
                    mu: float | None = typer.Option(None, "--mu", help="Norm value for a one-sample test."),
                    format: Format = typer.Option(Format.table, "--format")) -> None:
    """t-tests from summary statistics (as papers compare with published norms): Student and Welch for two
    groups (first − second), or one sample against --mu; with df, mean difference and d with 95% CI."""
    from thematica.quant.stats.comparisons import summary_one_sample_t, summary_t

    groups = [_summary(value) for value in group]
    if len(groups) == 1 and mu is not None:
        rows = [("sample − norm", summary_one_sample_t(*groups[0], mu))]
    elif len(groups) == 2 and mu is None:
        rows = [("first − second", summary_t(*groups[0], *groups[1], equal_var=True)),
                ("first − second", summary_t(*groups[0], *groups[1], equal_var=False))]
    else:
        raise ThematicaError("give --group twice (two groups) or once with --mu (one sample against a norm)")
    if format is Format.json:
        emit(to_json([r.to_dict() for _, r in rows]), None)
        return
    _render_tests("t-test from summary statistics", rows)


def trial_correlate(project: str = ProjectArgument,
                    var: list[str] = typer.Option(..., "--var", help="Variable or --scale name (repeat; every pair)."),
                    scale: list[str] = typer.Option(None, "--scale", help="NAME=item1,item2,... (item mean)."),
                    at: str | None = typer.Option(None, "--at", help="Timepoint (default: the first with all measured)."),
                    method: str = typer.Option("pearson", "--method", help="pearson or spearman."),
                    extremity: bool = typer.Option(False, "--extremity", help="Correlate |z| extremity scores: "
                                                   "each variable standardised, absolute value, then correlated."),
                    extreme: list[str] = typer.Option(None, "--extreme", help="Only this variable as |z| extremity "
                                                      "score (repeat), e.g. the alliance against raw attachment."),
                    by: str | None = typer.Option(None, "--by", help="Also within each group of this variable."),
                    arms: str | None = typer.Option(None, "--arms", help="A,B: only these arms."),
                    format: Format = typer.Option(Format.table, "--format")) -> None:
    """Correlations (Pearson or Spearman) with n, p and 95% CI (Fisher z), optionally of |z| extremity scores."""
    from thematica.quant.trial_service import correlations

    with open_existing(project) as opened:
        found = correlations(opened, var, at, method, extremity, [_scale(value) for value in scale or []],
                             _labels(arms), by, extreme or None)
    if format is Format.json:
        emit(to_json([{"group": group, "extremity": extremity, **c.to_dict()} for group, c in found]), None)
        return
    kind = "|z| extremity scores" if extremity else (f"scores (|z| of {', '.join(extreme)})" if extreme else "scores")
    table = Table(title=f"{method.capitalize()} correlations of {kind}", title_justify="left")
    for header in ("group", "variables", "n", "r [95% CI]", "p"):
        table.add_column(header, justify="left" if header in ("group", "variables") else "right")
    for group, c in found:
        interval = "" if c.ci_low is None else " " + numbers.interval(c.ci_low, c.ci_high)
        table.add_row(group or "all", f"{c.first} × {c.second}", str(c.n), f"{numbers.number(c.r)}{interval}",
                      numbers.p_value(c.p))
    console.print(table)


def register(app: typer.Typer) -> None:
    trial_app.command("import")(trial_import)
    trial_app.command("link")(trial_link)
    trial_app.command("analyze")(trial_analyze)
    trial_app.command("plot")(trial_plot)
    trial_app.command("consort")(trial_consort)
    trial_app.command("joint")(trial_joint)
    trial_app.command("test")(trial_test)
    trial_app.command("summary-t")(trial_summary_t)
    trial_app.command("correlate")(trial_correlate)
    app.add_typer(trial_app, name="trial")
