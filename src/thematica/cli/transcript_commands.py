"""``thematica transcript``: one document with its codes in the margin (HTML, DOCX or PDF)."""

from __future__ import annotations

from pathlib import Path

import typer

from thematica.cli.common import ProjectArgument, open_existing
from thematica.errors import ThematicaError


def transcript(project: str = ProjectArgument, document: str = typer.Argument(..., help="Document name (e.g. R1)."),
               coder: str | None = typer.Option(None, "--coder", help="A coder's name or 'consensus' "
                                                "(default: consensus, else every coder)."),
               out: Path = typer.Option(..., "--out", help="x.html, x.docx or x.pdf")) -> None:
    """The coded transcript: numbered lines, codes in the right margin beside the lines they cover, overlapping
    codes as parallel stripes, speaker turns distinct, the case's attributes in the header."""
    from thematica.files import write_private
    from thematica.reports.figures.qualitative_data import case_attributes
    from thematica.reports.figures.transcript import build, to_docx, to_html, to_pdf
    from thematica.themes.data import load_material

    suffix = out.suffix.lower()
    if suffix not in (".html", ".docx", ".pdf"):
        raise ThematicaError("coded transcripts are .html, .docx or .pdf", path=str(out))
    with open_existing(project) as opened:
        material = load_material(opened, coder)  # 'consensus': the meetings' consensus codings
        attributes = case_attributes(opened)
    if document not in material.texts:
        raise ThematicaError(f"no document {document!r} in the project")
    case = dict(material.documents)[document]
    segments = [(s.code, s.start, s.end) for s in material.segments if s.document == document]
    coded = build(document, case, material.coding, material.texts[document], segments, attributes.get(case, {}))
    data = to_html(coded) if suffix == ".html" else to_docx(coded) if suffix == ".docx" else to_pdf(coded)
    write_private(out, data)
    typer.echo(f"wrote {out} ({len(coded.lines)} lines, {len(coded.stripes)} segments)")


def register(app: typer.Typer) -> None:
    app.command()(transcript)
