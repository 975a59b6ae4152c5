"""Open-ended survey responses: ``thematica survey import``."""

from __future__ import annotations

from pathlib import Path

import typer

from thematica.cli.common import ProjectArgument, TableOrJson, emit, to_json
from thematica.cli.import_target import project_for_import

survey_app = typer.Typer(help="Open-ended survey answers: one case per respondent, one document per answer.",
                         no_args_is_help=True)


def _names(value: str | None) -> list[str]:
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def survey_import(
    project: str = ProjectArgument,
    file: Path = typer.Argument(..., help="A .csv or .xlsx with one row per respondent."),
    id_column: str = typer.Option(..., "--id", help="The respondent id column."),
    text: str = typer.Option(..., "--text", help="Open-question column(s), comma-separated."),
    attributes: str | None = typer.Option(None, "--attributes", help="Attribute column(s), comma-separated."),
    language: str = typer.Option("nl", "--language"),
    format: TableOrJson = typer.Option(TableOrJson.table, "--format"),
) -> None:
    """Each respondent becomes a case with the attributes; each answer a document 'respondent × question'."""
    from thematica.corpus.survey import import_survey, read_table

    read_table(file)  # refuse an unreadable file before a project file is created
    with project_for_import(project) as opened:
        result = import_survey(opened, file, id_column=id_column, text_columns=_names(text),
                               attribute_columns=_names(attributes), language=language)
    if format is TableOrJson.json:
        emit(to_json(result.to_dict()), None)
        return
    typer.echo(f"{result.respondents} respondents, {len(result.questions)} questions, {result.answers} answers "
               f"({result.documents_added} new documents, {result.empty_answers} empty answers skipped)")
    for name, kind in result.attributes.items():
        typer.echo(f"attribute {name}: {kind}")


def register(app: typer.Typer) -> None:
    survey_app.command("import")(survey_import)
    app.add_typer(survey_app, name="survey")
