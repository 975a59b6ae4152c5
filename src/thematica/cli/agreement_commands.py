"""``thematica agreement``: the numbers coders audit before their consensus meeting."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from thematica.agreement.defaults import BOOTSTRAP_SAMPLES, SEGMENT_MATCH_PERCENT
from thematica.cli.common import ProjectArgument, console, emit, open_existing
from thematica.vocabulary import AgreementMethod, UnitKind


class Format(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    csv = "csv"


def agreement(
    project: str = ProjectArgument,
    coders: str | None = typer.Option(None, "--coders", help="Coders to compare, A,B[,C...] (default: all but consensus)."),
    unit: UnitKind = typer.Option(UnitKind.SENTENCE, "--unit", help="Units for unit-based agreement."),
    method: AgreementMethod = typer.Option(AgreementMethod.UNIT, "--method"),
    domain: list[str] = typer.Option(None, "--domain", help="A parent code whose children are exclusive categories."),
    include_unfinished: bool = typer.Option(False, "--include-unfinished", help="Also documents not marked done."),
    min_overlap: float = typer.Option(0.0, "--min-overlap", min=0.0, max=1.0,
                                      help="Share of a unit a coder's segments must cover (0 = any character)."),
    threshold: float = typer.Option(SEGMENT_MATCH_PERCENT, "--threshold", min=0.0, max=100.0,
                                    help="Segment-based: overlap percent for two segments to agree."),
    bootstrap: int = typer.Option(BOOTSTRAP_SAMPLES, "--bootstrap", min=0,
                                  help="Bootstrap replicates for alpha's interval (Krippendorff 2006)."),
    format: Format = typer.Option(Format.table, "--format"),
    out: Path | None = typer.Option(None, "--out"),
) -> None:
    """Cohen's kappa, Krippendorff's alpha, Gwet's AC1 per code (unit-, segment- or character-based).

    --method unitizing: Krippendorff's |uα per code and, for each --domain, uα, |uα, |cuα and cuα (2016).
    """
    from thematica.agreement import render
    from thematica.agreement.service import AgreementOptions
    from thematica.agreement.service import agreement as compute
    from thematica.cli.agreement_table import agreement_tables

    names = [name.strip() for name in coders.split(",") if name.strip()] if coders else None
    options = AgreementOptions(names, unit, method, list(domain or []), include_unfinished, min_overlap,
                               threshold, bootstrap)
    with open_existing(project) as opened:
        report = compute(opened, options)
    if format is Format.table and out is None:
        console.print(agreement_tables(report))
        for note in report.notes:
            console.print(f"[dim]note: {note}[/dim]")
        return
    renderers = {Format.json: render.to_json, Format.md: render.to_markdown, Format.html: render.to_html,
                 Format.csv: render.to_csv, Format.table: render.to_markdown}
    emit(renderers[format](report), out)


def register(app: typer.Typer) -> None:
    app.command()(agreement)
