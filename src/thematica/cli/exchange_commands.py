"""Codebooks and exchange: codebook export/import/snapshot/diff, REFI-QDA .qdpx, merging copies."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from thematica.cli.common import LanguageOption, ProjectArgument, TableOrJson, emit, open_existing, to_json
from thematica.cli.import_target import project_for_import
from thematica.output import check_output
from thematica.store.project import open_project

codebook_app = typer.Typer(help="The codebook: export, import, snapshots and their differences.", no_args_is_help=True)


class CodebookFormat(str, Enum):
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    docx = "docx"
    qdc = "qdc"


def codebook_export(project: str = ProjectArgument, format: CodebookFormat = typer.Option(..., "--format"),
                    out: Path = typer.Option(..., "--out"), language: str | None = LanguageOption) -> None:
    """Export the codebook: hierarchy, definitions, criteria, examples, colours, frequencies, themes."""
    from thematica.corpus.project_details import project_details, report_language
    from thematica.interchange.codebook import codebook_rows, export_codebook
    from thematica.reports.codebook_report import write_codebook

    with open_existing(project) as opened:
        if format.value in ("md", "html", "docx"):
            details = project_details(opened)
            write_codebook(codebook_rows(opened), details.title, out, format.value,
                           report_language(opened, language), details.author)
        else:
            export_codebook(opened, format.value, out)
    typer.echo(f"wrote {out}")


def codebook_import(project: str = ProjectArgument, file: Path = typer.Argument(..., help=".csv, .json or .qdc")) -> None:
    """Import a codebook, merging by code path; conflicting fields are reported, never overwritten."""
    from thematica.interchange.codebook import import_codebook

    with open_project(project, create=True) as opened:
        report = import_codebook(opened, file)
    typer.echo(f"{len(report.created)} codes created, {len(report.unchanged)} unchanged, "
               f"{len(report.conflicts)} conflicts")
    for path, field, ours, theirs in report.conflicts:
        typer.echo(f"conflict: {path} {field}: project has {ours!r}, file has {theirs!r}")


def codebook_snapshot(project: str = ProjectArgument, label: str = typer.Option(..., "--label")) -> None:
    """Freeze the codebook under a label (e.g. at the end of a coding round)."""
    from thematica.interchange.codebook import snapshot

    with open_existing(project) as opened:
        count = snapshot(opened, label)
    typer.echo(f"snapshot {label!r}: {count} codes")


def codebook_diff(project: str = ProjectArgument, first: str = typer.Argument(...), second: str = typer.Argument(...),
                  format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Codes added, removed, renamed and redefined between two snapshots."""
    from thematica.interchange.codebook import diff

    with open_existing(project) as opened:
        result = diff(opened, first, second)
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
        return
    for code in result.added:
        typer.echo(f"+ added      {code}")
    for code in result.removed:
        typer.echo(f"- removed    {code}")
    for old, new in result.renamed:
        typer.echo(f"~ renamed    {old} -> {new}")
    for code, field, old, new in result.redefined:
        typer.echo(f"~ redefined  {code} [{field}]: {old!r} -> {new!r}")
    if not any((result.added, result.removed, result.renamed, result.redefined)):
        typer.echo("no differences")


class ForTool(str, Enum):
    standard = "standard"
    nvivo = "nvivo"
    qualcoder = "qualcoder"


class Positions(str, Enum):
    codepoints = "codepoints"
    utf16 = "utf16"
    crlf_as_one = "codepoints-crlf-as-one"


class SetsAs(str, Enum):
    themes = "themes"
    groups = "groups"


def export(project: str = ProjectArgument, out: Path = typer.Option(..., "--out", help="study.qdpx"),
           for_tool: ForTool = typer.Option(ForTool.standard, "--for",
                                            help="nvivo: positions in UTF-16 code units, as NVivo counts; "
                                                 "qualcoder: themes also as journal notes")) -> None:
    """Export the project as REFI-QDA (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder and others."""
    from thematica.interchange.refi_export import export_losses
    from thematica.interchange.refi_qda import export_qdpx

    check_output(out)  # refuse an impossible --out before anything is written to the project
    with open_existing(project) as opened:
        export_qdpx(opened, out, for_tool=for_tool.value)
        losses = export_losses(opened)
    notes = {ForTool.nvivo: " (positions in UTF-16 code units, for NVivo)",
             ForTool.qualcoder: " (themes also as journal notes, for QualCoder)"}
    typer.echo(f"wrote {out}{notes.get(for_tool, '')}")
    for line in losses:
        typer.echo(f"not carried: {line}")


def import_qdpx_command(
    file: Path = typer.Argument(..., help="A .qdpx archive."), project: str = ProjectArgument,
    positions: Positions | None = typer.Option(None, "--positions",
                                               help="How the file counts positions (default: from Project@origin)."),
    sets: SetsAs = typer.Option(SetsAs.themes, "--sets", help="Sets of codes become themes (default) or code groups."),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
) -> None:
    """Import a REFI-QDA project (.qdpx) into a new or existing project, in one transaction."""
    from thematica.interchange.refi_qda import Counting, import_qdpx, parse_qdpx

    counting = Counting(positions.value) if positions is not None else None
    parse_qdpx(file, counting)  # refuse a bad archive before a project file is created
    with project_for_import(project) as opened:
        result = import_qdpx(file, opened, counting=counting, sets_as=sets.value)
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
        return
    typer.echo(f"added: {result.documents_added} documents, {result.codes_added} codes, {result.cases_added} cases, "
               f"{result.segments_added} codings, {result.themes} themes, {result.code_groups} code groups, "
               f"{result.links} links, {result.memos} memos ({result.annotations} annotations)")
    if result.anything_present:
        typer.echo(f"already in the project, skipped: {result.documents_present} documents, {result.codes_present} "
                   f"codes, {result.cases_present} cases, {result.codings_present} codings, {result.themes_present} "
                   f"themes, {result.code_groups_present} code groups")
    typer.echo(f"positions read as {result.counting} ({result.counting_reason}); "
               f"{result.codings_moved} codings placed differently than a code-point reading would")
    for line in result.renamed:
        typer.echo(f"renamed: {line}")
    for line in result.warnings:
        typer.echo(f"warning: {line}")
    for line in result.not_carried:
        typer.echo(f"not carried: {line}")


def merge(project: str = ProjectArgument,
          other: str = typer.Argument(..., help="The other copy: a project file or a .qdpx.")) -> None:
    """Bring in the segments of a coder who worked on another copy (identical documents only)."""
    from thematica.interchange.merge import merge as merge_copies

    with open_existing(project) as opened:
        report = merge_copies(opened, other)
    typer.echo(f"{report.added} segments added, {report.already_present} already present, from "
               f"{report.documents} documents; coders: {', '.join(report.coders)}")


def register(app: typer.Typer) -> None:
    codebook_app.command("export")(codebook_export)
    codebook_app.command("import")(codebook_import)
    codebook_app.command("snapshot")(codebook_snapshot)
    codebook_app.command("diff")(codebook_diff)
    app.add_typer(codebook_app, name="codebook")
    app.command()(export)
    app.command("import-qdpx")(import_qdpx_command)
    app.command()(merge)
    from thematica.cli import survey_commands

    survey_commands.register(app)
