"""The consensus meeting from the command line: the disagreement report and the decision log."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from thematica.cli.common import LanguageOption, ProjectArgument, emit, open_existing, write_report
from thematica.corpus.project_details import project_details, report_language
from thematica.coding.consensus.meeting import Selection, compare, decide, decision_log, open_meeting, state
from thematica.errors import ThematicaError
from thematica.reports import consensus_log, disagreement_report

consensus_app = typer.Typer(help="The consensus meeting: open it, decide passages, export the decision log.",
                            no_args_is_help=True)


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"
    csv = "csv"


class GroupBy(str, Enum):
    document = "document"
    code = "code"


class LogFormat(str, Enum):
    csv = "csv"
    md = "md"
    html = "html"
    docx = "docx"


def _selection(coders: str, unit: str, include_unfinished: bool, min_overlap: float) -> Selection:
    names = [name.strip() for name in coders.split(",") if name.strip()]
    if len(names) != 2:
        raise ThematicaError("--coders takes exactly two coders, e.g. --coders anouk,bas")
    if unit not in ("sentence", "turn", "paragraph"):
        raise ThematicaError("--unit must be sentence, turn or paragraph")
    return Selection(names[0], names[1], unit, include_unfinished, min_overlap)


CodersOption = typer.Option(..., "--coders", help="The two coders, A,B.")
UnitOption = typer.Option("sentence", "--unit", help="Passage unit: sentence, turn or paragraph.")
UnfinishedOption = typer.Option(False, "--include-unfinished", help="Also documents not marked done by both.")
OverlapOption = typer.Option(0.0, "--min-overlap", min=0.0, max=1.0,
                             help="Share of a unit a segment must cover to count (0 = any character).")


def disagreements(
    project: str = ProjectArgument,
    coders: str = CodersOption,
    unit: str = UnitOption,
    include_unfinished: bool = UnfinishedOption,
    min_overlap: float = OverlapOption,
    format: ReportFormat = typer.Option(ReportFormat.md, "--format"),
    group_by: GroupBy = typer.Option(GroupBy.document, "--group-by"),
    out: Path = typer.Option(..., "--out", help="Report file."),
    language: str | None = LanguageOption,
) -> None:
    """Every passage where two coders differ, for their consensus meeting.

    The agreement table's note states its conventions: Cohen's kappa per code on presence in each unit
    (--unit, --min-overlap change the units), undefined when both coders are constant."""
    with open_existing(project) as opened:
        chosen = report_language(opened, language)
        details = project_details(opened)
        comparison = compare(opened, _selection(coders, unit, include_unfinished, min_overlap))
    disagreement_report.write_report(comparison, out, format.value, group_by.value, chosen, details.author)
    typer.echo(f"{len(comparison.disagreements)} disagreements in {len(comparison.documents)} documents -> {out}")
    if comparison.excluded_documents:
        typer.echo(f"not included (not done by both coders): {', '.join(comparison.excluded_documents)}", err=True)


def open_(
    project: str = ProjectArgument, coders: str = CodersOption, unit: str = UnitOption,
    include_unfinished: bool = UnfinishedOption, actor: str = typer.Option(..., "--as", help="Who opens the meeting."),
) -> None:
    """Open (or resume) the meeting: blind mode off (logged), agreed passages copied to the consensus coding."""
    with open_existing(project) as opened:
        meeting = open_meeting(opened, _selection(coders, unit, include_unfinished, 0.0), actor)
    typer.echo(f"{meeting.decided} of {meeting.total} disagreements decided")


def status(project: str = ProjectArgument, coders: str = CodersOption, unit: str = UnitOption,
           include_unfinished: bool = UnfinishedOption) -> None:
    """Progress of the meeting and the next passage to discuss."""
    with open_existing(project) as opened:
        meeting = state(opened, _selection(coders, unit, include_unfinished, 0.0))
    typer.echo(f"{meeting.decided} of {meeting.total} disagreements decided")
    if meeting.next_passage:
        p = meeting.next_passage
        typer.echo(f"next: {p.document} [{p.start}, {p.end}) {p.kind}; A: {', '.join(p.codes_a) or '—'}; "
                   f"B: {', '.join(p.codes_b) or '—'}")


def decide_next(
    project: str = ProjectArgument, coders: str = CodersOption, unit: str = UnitOption,
    include_unfinished: bool = UnfinishedOption,
    decision: str = typer.Argument(..., help="keep_a, keep_b, both, neither or recode"),
    codes: str = typer.Option("", "--codes", help="For recode: code paths, comma-separated."),
    rationale: str = typer.Option("", "--rationale"),
    actor: str = typer.Option(..., "--as", help="Who records the decision."),
) -> None:
    """Decide the next undecided passage."""
    selection = _selection(coders, unit, include_unfinished, 0.0)
    with open_existing(project) as opened:
        meeting = state(opened, selection)
        if meeting.next_passage is None:
            raise ThematicaError("every disagreement has been decided")
        decide(opened, selection, meeting.next_passage, decision, actor, rationale=rationale,
               codes=[c.strip() for c in codes.split(",") if c.strip()] or None)
        meeting = state(opened, selection)
    typer.echo(f"{meeting.decided} of {meeting.total} disagreements decided")


def meet(
    project: str = ProjectArgument, coders: str = CodersOption, unit: str = UnitOption,
    include_unfinished: bool = UnfinishedOption, actor: str = typer.Option(..., "--as", help="Who leads the meeting."),
) -> None:
    """The meeting in the terminal: the agreement screen, then consensus mode (stop any time, resume later)."""
    from thematica.tui.screens.consensus import ConsensusApp

    with open_existing(project) as opened:
        ConsensusApp(opened, _selection(coders, unit, include_unfinished, 0.0), actor).run()


def log(
    project: str = ProjectArgument,
    format: LogFormat = typer.Option(LogFormat.csv, "--format", help="csv (archive), or md, html, docx (the "
                                     "appendix table; html and docx need --out)."),
    out: Path | None = typer.Option(None, "--out"),
    language: str | None = LanguageOption,
) -> None:
    """The consensus decisions as an audit trail: passage, A's codes, B's codes, decision, rationale, who, when."""
    with open_existing(project) as opened:
        rows = decision_log(opened)
        chosen = report_language(opened, language)
        details = project_details(opened)
    if format is LogFormat.csv:
        emit(consensus_log.render_csv(rows), out)
        return
    write_report(consensus_log.build_document(rows, chosen, details.author), format.value, out)


def register(app: typer.Typer) -> None:
    app.command()(disagreements)
    consensus_app.command("open")(open_)
    consensus_app.command()(status)
    consensus_app.command("decide")(decide_next)
    consensus_app.command()(meet)
    consensus_app.command()(log)
    app.add_typer(consensus_app, name="consensus")
