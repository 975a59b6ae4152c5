"""The consensus meeting from the command line: the disagreement report and the decision log."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from thematica.cli.common import LanguageOption, ProjectArgument, emit, open_existing, to_json, write_report
from thematica.coding.consensus.meeting import (Selection, compare, decide, decision_log, find_passage, meeting_selection,
                                                open_meeting, progress, state)
from thematica.coding.team import acting_as
from thematica.corpus.project_details import project_details, report_language
from thematica.errors import ThematicaError
from thematica.reports import consensus_log, disagreement_report
from thematica.vocabulary import ConsensusDecision, UnitKind

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
    json = "json"
    html = "html"
    docx = "docx"


def _pair(coders: str) -> tuple[str, str]:
    names = [name.strip() for name in coders.split(",") if name.strip()]
    if len(names) != 2:
        raise ThematicaError("--coders takes exactly two coders, e.g. --coders anouk,bas")
    return names[0], names[1]


def _check_unit(unit: str | None) -> None:
    if unit is not None and unit not in ("sentence", "turn", "paragraph"):
        raise ThematicaError("--unit must be sentence, turn or paragraph")


def _selection(coders: str, unit: str, include_unfinished: bool, min_overlap: float) -> Selection:
    _check_unit(unit)
    coder_a, coder_b = _pair(coders)
    return Selection(coder_a, coder_b, unit, include_unfinished, min_overlap)


def _meeting(opened, coders: str, unit: str | None, include_unfinished: bool) -> Selection:
    """The selection of the pair's meeting (its own unit once opened)."""
    _check_unit(unit)
    coder_a, coder_b = _pair(coders)
    return meeting_selection(opened, coder_a, coder_b, unit, include_unfinished or None)


CodersOption = typer.Option(..., "--coders", help="The two coders, A,B.")
UnitOption = typer.Option("sentence", "--unit", help="Passage unit: sentence, turn or paragraph.")
MeetingUnitOption = typer.Option(None, "--unit", help="Passage unit (an opened meeting keeps the unit it was opened with).")
UnfinishedOption = typer.Option(False, "--include-unfinished", help="Also documents not marked done by both.")
OverlapOption = typer.Option(0.0, "--min-overlap", min=0.0, max=1.0,
                             help="Share of a unit a segment must cover to count (0 = any character).")


def disagreements(
    project: str = ProjectArgument,
    coders: str = CodersOption,
    unit: UnitKind = UnitOption,
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
    project: str = ProjectArgument, coders: str = CodersOption, unit: UnitKind = UnitOption,
    include_unfinished: bool = UnfinishedOption, actor: str = typer.Option(..., "--as", help="Who opens the meeting."),
) -> None:
    """Open (or resume) the pair's meeting: its two coders see each other's codings (nobody else does),
    agreed passages are copied to the meeting's consensus coding (consensus:A+B)."""
    with open_existing(project) as opened:
        meeting = open_meeting(opened, _selection(coders, unit, include_unfinished, 0.0), acting_as(opened, actor))
    typer.echo(f"{meeting.decided} of {meeting.total} passages decided")


def status(project: str = ProjectArgument, coders: str = CodersOption, unit: str | None = MeetingUnitOption,
           include_unfinished: bool = UnfinishedOption) -> None:
    """Progress of the meeting and the next passage to discuss."""
    with open_existing(project) as opened:
        meeting = state(opened, _meeting(opened, coders, unit, include_unfinished))
    typer.echo(f"{meeting.decided} of {meeting.total} passages decided")
    if meeting.next_passage:
        p = meeting.next_passage
        typer.echo(f"next: {p.document} [{p.start}, {p.end}) {p.kind}; A: {', '.join(p.codes_a) or '—'}; "
                   f"B: {', '.join(p.codes_b) or '—'}")


def decide_next(
    project: str = ProjectArgument, coders: str = CodersOption, unit: str | None = MeetingUnitOption,
    include_unfinished: bool = UnfinishedOption,
    decision: ConsensusDecision = typer.Argument(..., help="What the meeting decided for the passage."),
    codes: str = typer.Option("", "--codes", help="For recode: code paths, comma-separated."),
    rationale: str = typer.Option("", "--rationale"),
    actor: str = typer.Option(..., "--as", help="Who decides: one of the meeting's coders or the project lead."),
    document: str | None = typer.Option(None, "--document", help="Decide (again) the passage of this document..."),
    start: int | None = typer.Option(None, "--start", help="...that contains this offset (with --document)."),
) -> None:
    """Decide the next undecided passage, or (--document, --start) decide a passage again: the new
    decision supersedes the old one, and both stay in the log."""
    if (document is None) != (start is None):
        raise ThematicaError("--document and --start go together")
    with open_existing(project) as opened:
        selection = _meeting(opened, coders, unit, include_unfinished)
        if document is not None and start is not None:
            passage = find_passage(compare(opened, selection), document, start)
        else:
            next_passage = state(opened, selection).next_passage
            if next_passage is None:
                raise ThematicaError(f"every passage where {selection.coder_a} and {selection.coder_b} differ is "
                                     "decided (decide one again with --document and --start)")
            passage = next_passage
        decide(opened, selection, passage, decision, acting_as(opened, actor), rationale=rationale,
               codes=[c.strip() for c in codes.split(",") if c.strip()] or None)
        meeting = state(opened, selection)
    typer.echo(f"{meeting.decided} of {meeting.total} passages decided")


def meet(
    project: str = ProjectArgument, coders: str = CodersOption, unit: str = UnitOption,
    include_unfinished: bool = UnfinishedOption,
    actor: str = typer.Option(..., "--as", help="Who decides: one of the two coders or the project lead."),
) -> None:
    """The meeting in the terminal: the agreement screen, then consensus mode (stop any time, resume later)."""
    from thematica.tui.screens.consensus import ConsensusApp

    with open_existing(project) as opened:
        selection = _selection(coders, unit, include_unfinished, 0.0)
        open_meeting(opened, selection, acting_as(opened, actor))  # refuses a foreign decider before the screen opens
        ConsensusApp(opened, selection, actor).run()


def log(
    project: str = ProjectArgument,
    format: LogFormat = typer.Option(LogFormat.csv, "--format", help="csv (archive), or md, html, docx (the "
                                     "appendix table; html and docx need --out)."),
    out: Path | None = typer.Option(None, "--out"),
    language: str | None = LanguageOption,
) -> None:
    """Every consensus decision, superseded ones included: passage, A's codes, B's codes, decision,
    rationale, who, when, superseded_by; and per meeting how many passages are decided."""
    with open_existing(project) as opened:
        rows = decision_log(opened)
        meetings = progress(opened)
        chosen = report_language(opened, language)
        details = project_details(opened)
    if format is LogFormat.json:
        emit(to_json({"meetings": [m.to_dict() for m in meetings], "decisions": [row.to_dict() for row in rows]}), out)
    elif format is LogFormat.csv:
        emit(consensus_log.render_csv(rows), out)
    else:
        write_report(consensus_log.build_document(rows, meetings, chosen, details.author), format.value, out)
    if format is not LogFormat.json and out is not None:
        for meeting in meetings:
            typer.echo(f"{meeting.meeting}: {meeting.wording}", err=True)


def register(app: typer.Typer) -> None:
    app.command()(disagreements)
    consensus_app.command("open")(open_)
    consensus_app.command()(status)
    consensus_app.command("decide")(decide_next)
    consensus_app.command()(meet)
    consensus_app.command()(log)
    app.add_typer(consensus_app, name="consensus")
