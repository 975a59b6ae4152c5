"""Privacy commands: pseudonymise transcripts before they are imported."""

from __future__ import annotations

from pathlib import Path

import typer

from thematica.corpus.pseudonymise import WordLists, pseudonymise_files


def pseudonymise(
    files: list[Path] = typer.Argument(..., help="Transcripts: .txt, .md, .docx, .vtt, .srt"),
    out: Path = typer.Option(..., "--out", help="Folder for the pseudonymised .txt files and replacements.csv."),
    names: Path | None = typer.Option(None, "--names", help="Extra names, one per line."),
    places: Path | None = typer.Option(None, "--places", help="Extra places, one per line."),
    institutions: Path | None = typer.Option(None, "--institutions", help="Extra institutions, one per line."),
    keep: Path | None = typer.Option(None, "--keep", help="Words never to replace, one per line."),
    mapping: Path | None = typer.Option(None, "--mapping", help="A reviewed replacements.csv to apply and extend."),
    lang: str = typer.Option("nl", "--lang", help="Language of the texts (spaCy blank pipeline)."),
) -> None:
    """Replace likely names, places, institutions, dates and contact details consistently ([NAME-1]...).

    Review OUT/replacements.csv (set 'replace' to 'nee' for a false find, edit a label if you like),
    then run again with --mapping OUT/replacements.csv; import the files in OUT, never the originals.
    The list holds the original identifiers: keep it apart from the project.
    """
    lists = WordLists(WordLists.read(names), WordLists.read(places), WordLists.read(institutions),
                      WordLists.read(keep))
    batch = pseudonymise_files(files, out, lists, lang, mapping)
    found = ", ".join(f"{count} {kind.lower()}" for kind, count in sorted(batch.counts.items())) or "nothing"
    typer.echo(f"wrote {len(batch.written)} file(s) to {out}; replaced: {found}")
    typer.echo(f"review {batch.replacements_path} (replace = nee keeps a word), then rerun with --mapping")


def register(app: typer.Typer) -> None:
    app.command()(pseudonymise)
