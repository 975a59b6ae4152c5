"""Project commands: init, import, cases, info, show, codings, demo."""

from __future__ import annotations

import io
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import (LanguageOption, ProjectArgument, TableOrJson, console, emit, open_existing,
                                  print_tables, to_json, write_report)
from thematica.coding.overview import summarise
from thematica.corpus.cases import import_cases_csv
from thematica.corpus.documents import document_text, document_units
from thematica.corpus.importer import import_files
from thematica.interchange.codings_csv import export_rows, import_codings, write_codings_csv
from thematica.store.project import open_project
from thematica.vocabulary import UnitKind

cases_app = typer.Typer(help="Case (participant) attributes.", no_args_is_help=True)
codings_app = typer.Typer(help="Codings as CSV: document,start,end,code,coder,memo.", no_args_is_help=True)


def init(project: str = ProjectArgument,
         language: str = typer.Option("en", "--language", help="Language of the reports and tables: nl or en "
                                      "(each report command's --language overrides it)."),
         lead: str = typer.Option("", "--lead", help="The project lead: may switch blind mode off, and is the "
                                  "author of the reports (DOCX author)."),
         title: str = typer.Option("", "--title", help="The study's title (reports' document title).")) -> None:
    """Create a new, empty project."""
    from thematica.coding.coders import checked_coder_name
    from thematica.coding.visibility import set_lead
    from thematica.corpus.project_details import LANGUAGES, set_project_details

    if "://" not in project and Path(project).exists() and not (Path(project).is_file() and Path(project).stat().st_size == 0):
        raise typer.BadParameter(f"{project} already exists", param_hint="PROJECT")
    if language not in LANGUAGES:
        raise typer.BadParameter("nl or en", param_hint="--language")
    lead_name = checked_coder_name(lead) if lead else None  # refused before anything is created
    with open_project(project, create=True) as opened:
        set_project_details(opened, title or None, lead_name, language)
        if lead_name is not None:
            set_lead(opened, lead_name, lead_name)
        typer.echo(f"created {opened.location}" + (f" (lead: {lead_name})" if lead_name else ""))


def import_(
    project: str = ProjectArgument,
    files: list[Path] = typer.Argument(..., help="Transcripts: .txt, .md, .docx, .vtt, .srt"),
    lang: str = typer.Option("nl", "--lang", help="Language of the texts (spaCy blank pipeline): nl, en, de, fr."),
    case: str | None = typer.Option(None, "--case", help="Link the documents to this case (participant)."),
    strip_controls: bool = typer.Option(False, "--strip-controls",
                                        help="Remove control characters and escape sequences (counted) instead of refusing the file."),
) -> None:
    """Import transcripts: strict encoding (UTF-8, UTF-16 with BOM, cp1252), NFC, speaker turns, sentences, paragraphs."""
    with open_existing(project) as opened:
        for result in import_files(opened, files, language=lang, case=case, strip_controls=strip_controls):
            units = ", ".join(f"{count} {kind}s" for kind, count in result.units.items())
            removed = f", {result.controls_removed} control characters removed" if result.controls_removed else ""
            typer.echo(f"{result.status}: {result.name} ({result.words} words{', ' + units if units else ''}{removed})")


def cases_import(project: str = ProjectArgument, file: Path = typer.Argument(..., help="CSV with a 'case' column.")) -> None:
    """Import case attributes from CSV (one row per case)."""
    with open_existing(project) as opened:
        result = import_cases_csv(opened, file)
    types = ", ".join(f"{name} ({kind})" for name, kind in result.attributes.items())
    typer.echo(f"{result.cases} case{'s' * (result.cases != 1)}; attributes: {types}; "
               f"{result.linked_documents} documents linked")
    if result.unmatched:
        count = len(result.unmatched)
        typer.echo(f"warning: {count} case{' matches' if count == 1 else 's match'} no document: "
                   f"{', '.join(result.unmatched)} (a case is linked to the document of the same name)")


class CaseTableFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"


def cases_table(project: str = ProjectArgument,
                format: CaseTableFormat = typer.Option(CaseTableFormat.table, "--format",
                                                       help="table (terminal), json, or md, html, docx (APA "
                                                            "table; html and docx need --out)."),
                out: Path | None = typer.Option(None, "--out"), language: str | None = LanguageOption) -> None:
    """The respondents' attributes as the study's Table 1: one row per case, the sample summarised in the note."""
    from thematica.corpus.case_table import case_table
    from thematica.corpus.project_details import project_details, report_language
    from thematica.reports.case_tables import case_document

    with open_existing(project) as opened:
        table = case_table(opened)
        chosen = report_language(opened, language)
        details = project_details(opened)
    if format is CaseTableFormat.json:
        emit(to_json(table.to_dict()), out)
        return
    document = case_document(table, chosen, details.author)
    if format is CaseTableFormat.table:
        print_tables(list(document.blocks))
        return
    write_report(document, format.value, out)


def info(project: str = ProjectArgument, format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Documents (case, words, units), coders, codes and segments per coder."""
    with open_existing(project) as opened:
        summary = summarise(opened)
    if format is TableOrJson.json:
        emit(to_json(summary.to_dict()), None)
        return
    table = Table(title=f"Documents in {summary.location}")
    for column in ("document", "case", "words", "sentences", "turns", "paragraphs"):
        table.add_column(column, justify="right" if column not in ("document", "case") else "left")
    for document in summary.documents:
        table.add_row(document.name, document.case or "–", str(document.words), str(document.units[UnitKind.SENTENCE]),
                      str(document.units[UnitKind.TURN]), str(document.units[UnitKind.PARAGRAPH]))
    console.print(table)
    coders = ", ".join(f"{name}: {count} segments" for name, count in summary.coders.items()) or "none"
    console.print(f"Coders: {coders}")
    console.print(f"Codes: {summary.codes}    Blind mode: {'on' if summary.blind_mode else 'off'}")


def show(
    project: str = ProjectArgument,
    document: str = typer.Argument(..., help="Document name."),
    units: str | None = typer.Option(None, "--units", help="sentence, turn or paragraph: one unit per line."),
) -> None:
    """Print a document's stored text, or its units as start<TAB>end<TAB>speaker<TAB>text.

    Control characters in the text (escape sequences, carriage returns, bells) print as visible symbols
    (␛, ␍, ␇), never as raw codes the terminal would obey; offsets still count them as one character."""
    from thematica.safe_text import terminal_safe

    with open_existing(project) as opened:
        if units is None:
            emit(terminal_safe(document_text(opened, document)), None)
            return
        lines = [f"{u.start}\t{u.end}\t{terminal_safe(u.speaker or '')}\t{terminal_safe(u.text.replace(chr(10), ' '))}"
                 for u in document_units(opened, document, units)]
    emit("\n".join(lines), None)


def codings_import(project: str = ProjectArgument, file: Path = typer.Argument(..., help="Codings CSV.")) -> None:
    """Import codings (all rows checked first; a bad row imports nothing)."""
    with open_existing(project) as opened:
        result = import_codings(opened, file)
    typer.echo(f"{result.added} segments added, {result.already_present} already present, "
               f"{result.codes_created} codes created; coders: {', '.join(result.coders)}")


def codings_export(
    project: str = ProjectArgument,
    coder: list[str] = typer.Option(None, "--coder", help="Only this coder (repeat for several)."),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: standard output)."),
) -> None:
    """Export codings as CSV."""
    with open_existing(project) as opened:
        rows = export_rows(opened, coder or None)
    buffer = io.StringIO()
    write_codings_csv(rows, buffer)
    emit(buffer.getvalue(), out)


def demo(
    no_tui: bool = typer.Option(False, "--no-tui", help="Print the demo project's summary instead of opening it."),
    directory: Path | None = typer.Option(None, "--dir", help="Folder for the demo project (default: a fresh one)."),
    coder: str | None = typer.Option(None, "--coder", help="Open the workbench as this coder."),
) -> None:
    """Build the bundled demo study (six interviews, two coders) and open it."""
    from thematica.demo import build_demo

    path = build_demo(directory)
    typer.echo(str(path))
    if no_tui:
        info(str(path), TableOrJson.table)
        console.print("\nTry next (see README, 'A study from start to end'):")
        for command in ("agreement {p} --domain 'Ervaren effect'", "disagreements {p} --coders anouk,bas --out meeting.md",
                        "themes {p}", "map {p}", "trial analyze {p}", "trial joint {p} --by scl90 --reliability 0.97",
                        "code {p} --coder anouk"):
            console.print(f"  thematica {command.format(p=path)}", soft_wrap=True)
        return
    from thematica.tui.launch import run_workbench

    run_workbench(str(path), coder=coder)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command("import")(import_)
    app.command()(info)
    app.command()(show)
    cases_app.command("import")(cases_import)
    cases_app.command("table")(cases_table)
    app.add_typer(cases_app, name="cases")
    codings_app.command("import")(codings_import)
    codings_app.command("export")(codings_export)
    app.add_typer(codings_app, name="codings")
    app.command()(demo)
