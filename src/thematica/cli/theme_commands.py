"""Themes and the thematic map: build themes from codes, count prevalence, draw and export the map."""

from __future__ import annotations

import io
import json
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from thematica.cli.common import LanguageOption, ProjectArgument, TableOrJson, console, emit, open_existing, to_json
from thematica.errors import ThematicaError
from thematica.safe_text import SafeCsvWriter
from thematica.vocabulary import ThemeStatus

theme_app = typer.Typer(help="Themes: add, link, move, merge, split, remove, set status.", no_args_is_help=True)
ACTOR = typer.Option("system", "--as", help="Who makes the change (for the audit log).")
CoderOption = typer.Option(None, "--coder", help="Count this coder's segments (default: the consensus coding).")


def _codes(value: str | None) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def theme_add(project: str = ProjectArgument, name: str = typer.Argument(...),
              parent: str | None = typer.Option(None, "--parent"), codes: str | None = typer.Option(None, "--codes"),
              definition: str = typer.Option("", "--definition"), story: str = typer.Option("", "--story"),
              actor: str = ACTOR) -> None:
    """Add a theme (or a subtheme with --parent) grouping codes."""
    from thematica.themes.service import add_theme

    with open_existing(project) as opened:
        add_theme(opened, name, actor, parent=parent, codes=_codes(codes), definition=definition, story=story)
    typer.echo(f"theme {name!r} added")


def theme_link(project: str = ProjectArgument, source: str = typer.Argument(...), target: str = typer.Argument(...),
               label: str = typer.Option(..., "--label"), actor: str = ACTOR) -> None:
    """Link two themes with a labelled relation ("precondition for", "tension with")."""
    from thematica.themes.service import link_themes

    with open_existing(project) as opened:
        link_themes(opened, source, target, label, actor)
    typer.echo(f"{source} —{label}→ {target}")


def theme_move(project: str = ProjectArgument, name: str = typer.Argument(...),
               parent: str | None = typer.Option(None, "--parent", help="New parent theme (omit: main theme)."),
               add_codes: str | None = typer.Option(None, "--add-codes"),
               remove_codes: str | None = typer.Option(None, "--remove-codes"), actor: str = ACTOR) -> None:
    """Move a theme under another, and/or move codes in or out of it."""
    from thematica.themes.service import assign_codes, move_theme

    with open_existing(project) as opened:
        if add_codes or remove_codes:
            if add_codes:
                assign_codes(opened, name, _codes(add_codes), actor)
            if remove_codes:
                assign_codes(opened, name, _codes(remove_codes), actor, remove=True)
        else:
            move_theme(opened, name, parent, actor)
    typer.echo("done")


def theme_merge(project: str = ProjectArgument, source: str = typer.Argument(...), target: str = typer.Argument(...),
                actor: str = ACTOR) -> None:
    """Merge SOURCE into TARGET (codes, subthemes, links and exemplars move)."""
    from thematica.themes.service import merge_themes

    with open_existing(project) as opened:
        merge_themes(opened, source, target, actor)
    typer.echo(f"{source} merged into {target}")


def theme_split(project: str = ProjectArgument, source: str = typer.Argument(...), new: str = typer.Argument(...),
                codes: str = typer.Option(..., "--codes"), actor: str = ACTOR) -> None:
    """Split codes off a theme into a new theme."""
    from thematica.themes.service import split_theme

    with open_existing(project) as opened:
        split_theme(opened, source, new, _codes(codes), actor)
    typer.echo(f"{new!r} split off {source!r}")


def theme_remove(project: str = ProjectArgument, name: str = typer.Argument(...), actor: str = ACTOR) -> None:
    """Remove a theme (its codes stay in the codebook; its subthemes move up)."""
    from thematica.themes.service import remove_theme

    with open_existing(project) as opened:
        remove_theme(opened, name, actor)
    typer.echo(f"theme {name!r} removed")


def theme_set(project: str = ProjectArgument, name: str = typer.Argument(...),
              status: ThemeStatus | None = typer.Option(None, "--status"),
              definition: str | None = typer.Option(None, "--definition"),
              story: str | None = typer.Option(None, "--story"), actor: str = ACTOR) -> None:
    """Set a theme's status, definition or story."""
    from thematica.themes.service import update_theme

    fields = {k: v for k, v in (("status", status), ("definition", definition), ("story", story)) if v is not None}
    with open_existing(project) as opened:
        update_theme(opened, name, actor, **fields)
    typer.echo("done")


def themes(project: str = ProjectArgument, coder: str | None = CoderOption,
           format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """Themes with codes, segments, cases (prevalence) and links."""
    from thematica.themes.analysis import theme_prevalence
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        material = load_material(opened, coder)
    prevalence = {p.name: p for p in theme_prevalence(material)}
    rows = [{"name": t.name, "parent": t.parent, "status": t.status, "definition": t.definition, "codes": t.codes,
             "segments": prevalence[t.name].segments, "cases": prevalence[t.name].cases,
             "case_count": len(prevalence[t.name].cases), "of_cases": prevalence[t.name].of_cases,
             "links": [{"to": target, "label": label} for source, target, label in material.links if source == t.name]}
            for t in material.themes]
    if format is TableOrJson.json:
        emit(to_json({"coding": material.coding, "themes": rows, "notes": material.notes}), None)
        return
    table = Table(title=f"Themes ({material.coding})")
    for column in ("theme", "status", "codes", "segments", "cases"):
        table.add_column(column)
    for theme in material.themes:
        shown = prevalence[theme.name]
        name = theme.name if not theme.parent else f"  └ {theme.name}"
        table.add_row(name, theme.status, str(len(theme.codes)), str(shown.segments),
                      f"{len(shown.cases)} of {shown.of_cases}: {', '.join(shown.cases)}")
    console.print(table)
    for note in material.notes:
        console.print(f"[dim]note: {note}[/dim]")


def map_(project: str = ProjectArgument, out: Path | None = typer.Option(None, "--out",
         help="map.svg, .pdf, .png (300 dpi), .dot or .mmd (omit: draw in the terminal)"),
         coder: str | None = CoderOption,
         a4: bool = typer.Option(False, "--a4", help=(
             "Fit the map to an A4 page: laid out again (fewer themes per row, legend below) so that "
             "text stays 9 pt; scaled down only if no layout fits.")),
         language: str | None = typer.Option(None, "--language", help=(
             "Words of the map (title, boxes, legend), in the terminal and in every export: nl or en "
             "(default: the project's, set with 'thematica init --language')."))) -> None:
    """The thematic map (laid out by Graphviz): in the terminal, or exported for a paper or for others to edit."""
    from thematica.corpus.project_details import report_language
    from thematica.themes.data import load_material
    from thematica.themes.thematic_map import export_text, to_terminal

    from thematica.reports.analysis_report import map_words

    with open_existing(project) as opened:
        material = load_material(opened, coder)
        chosen = report_language(opened, language)
    words = map_words(chosen, material)
    if out is None:
        emit(to_terminal(material, words), None)
        return
    if out.suffix.lower() in (".svg", ".pdf", ".png"):
        from thematica.reports.figures.render import figure_format, write_figure
        from thematica.reports.figures.thematic_map import thematic_map

        if not material.themes:
            raise ThematicaError("no themes yet: add them with 'thematica theme add'")
        write_figure(out, thematic_map(material, figure_format(out), fit_a4=a4, words=words))
    else:
        export_text(material, out, words)
    typer.echo(f"wrote {out}")


class CoOccurrenceBasis(str, Enum):
    unit = "unit"
    overlap = "overlap"


def cooccurrence(project: str = ProjectArgument, by: CoOccurrenceBasis = typer.Option(CoOccurrenceBasis.unit, "--by"),
                 coder: str | None = CoderOption, out: Path | None = typer.Option(None, "--out")) -> None:
    """Code × code co-occurrence (same sentence, or overlapping segments) as CSV."""
    from thematica.themes.analysis import cooccurrence as compute
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        codes, matrix = compute(load_material(opened, coder), by.value)
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(["code", *codes])
    for code, row in zip(codes, matrix):
        writer.writerow([code, *row.tolist()])
    emit(buffer.getvalue(), out)


def framework(project: str = ProjectArgument, coder: str | None = CoderOption,
              out: Path | None = typer.Option(None, "--out")) -> None:
    """Theme × case matrix (framework matrix) of segment counts, as CSV."""
    from thematica.themes.analysis import framework_matrix
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        names, cases, matrix = framework_matrix(load_material(opened, coder))
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(["theme", *cases])
    for name, row in zip(names, matrix):
        writer.writerow([name, *row.tolist()])
    emit(buffer.getvalue(), out)


def suggest_themes(project: str = ProjectArgument, clusters: int = typer.Option(6, "--clusters", min=2),
                   seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1), coder: str | None = CoderOption) -> None:
    """Candidate themes by clustering codes (co-occurrence, and words of the coded text)."""
    from thematica.themes.data import load_material
    from thematica.themes.suggest import suggest_by_cooccurrence, suggest_by_words

    with open_existing(project) as opened:
        material = load_material(opened, coder)
    found = suggest_by_cooccurrence(material, clusters) + suggest_by_words(material, clusters, seed)
    emit(to_json([s.to_dict() for s in found]), None)
    typer.echo("suggestions only: accept one with 'thematica theme add PROJECT NAME --codes ...'", err=True)


def saturation(project: str = ProjectArgument, coder: str | None = CoderOption,
               format: TableOrJson = typer.Option(TableOrJson.table, "--format")) -> None:
    """New codes per transcript in interview order, and the transcript after which none appeared."""
    from thematica.themes.analysis import saturation as compute
    from thematica.themes.data import load_material

    with open_existing(project) as opened:
        result = compute(load_material(opened, coder))
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
        return
    table = Table(title="Saturation: new codes per transcript")
    for column in ("transcript", "new codes", "new themes", "codes present"):
        table.add_column(column, justify="left" if column == "transcript" else "right")
    for document, new, new_themes, share in zip(result.documents, result.new_codes, result.new_themes,
                                                result.cumulative_share):
        table.add_row(document, str(new), str(new_themes), f"{100 * share:.0f}%")
    console.print(table)
    if not result.documents:
        console.print("No coded transcripts yet.")
    elif result.saturated_after:
        console.print(f"No new code appeared after {result.saturated_after}.")
    elif result.last_new_code_after:
        console.print(f"The last transcript ({result.last_new_code_after}) still brought new codes: no saturation yet.")


def code_map(project: str = ProjectArgument, coder: str | None = CoderOption,
             seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1)) -> None:
    """Hierarchical clustering of codes (with its cophenetic correlation) and an MDS map of codes and cases."""
    from thematica.themes.data import load_material
    from thematica.themes.suggest import code_map as compute

    with open_existing(project) as opened:
        emit(to_json(compute(load_material(opened, coder), seed).to_dict()), None)


def report(project: str = ProjectArgument, out: Path = typer.Option(..., "--out", help="report.md, .html or .docx"),
           coder: str | None = CoderOption, language: str | None = LanguageOption) -> None:
    """The analysis report: method, themes with definitions, prevalence, quotes, map, codebook appendix.

    Agreement in the method section: as 'thematica agreement' by default, over sentences and all coders.

    It is the agreement before consensus; with three coders or more, percent agreement counts units all agree on.

    Counts use the consensus coding, else the union of all coders; --coder picks one coder."""
    from thematica.agreement.service import AgreementOptions, agreement
    from thematica.coding.consensus.meeting import decision_counts
    from thematica.corpus.project_details import project_details, report_language
    from thematica.errors import ThematicaError
    from thematica.interchange.codebook import codebook_rows
    from thematica.reports.analysis_report import (AnalysisInputs, ConsensusCounts, build_document,
                                                   thematic_map_figure)
    from thematica.reports.writers import write_document
    from thematica.themes.data import load_material

    if Path(out).suffix.lower() not in (".md", ".html", ".docx"):
        raise ThematicaError("reports are .md, .html or .docx", path=str(out))
    with open_existing(project) as opened:
        chosen = report_language(opened, language)
        details = project_details(opened)
        material = load_material(opened, coder)
        agreement_data, agreement_error = None, None
        try:
            agreement_data = agreement(opened, AgreementOptions(bootstrap_samples=0)).to_dict()
        except ThematicaError as error:
            agreement_error = str(error.args[0]) if error.args else "no data"
        kinds, total = decision_counts(opened)
        consensus = ConsensusCounts(kinds, total) if kinds else None
        codebook = codebook_rows(opened)
    inputs = AnalysisInputs(material, codebook, agreement_data, agreement_error, consensus,
                            thematic_map_figure(material, chosen), details.title if details.title != Path(
                                str(project)).stem else "", details.author, chosen)
    write_document(build_document(inputs), out)
    typer.echo(f"wrote {out}")
    if agreement_error:
        typer.echo(f"note: agreement between coders not computed: {agreement_hint(agreement_error, project)}")


def agreement_hint(error: str, project: str) -> str:
    """The reason the report gives its reader, with the way out for the terminal (the report names no command)."""
    if "no documents to compare" in error:
        return ("no document is marked finished by every coder (an import from REFI-QDA carries no such marks "
                f"unless Thematica wrote the file); each coder marks a document done with s in 'thematica code "
                f"{project} --coder NAME', or check with 'thematica agreement {project} --include-unfinished'")
    return error


def register(app: typer.Typer) -> None:
    theme_app.command("add")(theme_add)
    theme_app.command("link")(theme_link)
    theme_app.command("move")(theme_move)
    theme_app.command("merge")(theme_merge)
    theme_app.command("split")(theme_split)
    theme_app.command("remove")(theme_remove)
    theme_app.command("set")(theme_set)
    app.add_typer(theme_app, name="theme")
    app.command()(themes)
    app.command("map")(map_)
    app.command()(cooccurrence)
    app.command()(framework)
    app.command("suggest-themes")(suggest_themes)
    app.command()(saturation)
    app.command("code-map")(code_map)
    app.command()(report)
