"""One writer per format for :mod:`thematica.reports.document`: Markdown, HTML, DOCX."""

from __future__ import annotations

from pathlib import Path

from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.reports.document import Document

FORMATS = ("md", "html", "docx")


def write_document(document: Document, out: Path, fmt: str | None = None) -> Path:
    """Write ``document`` to ``out`` in ``fmt`` (default: from the suffix). Markdown puts each
    figure beside the file (``<stem>-<figure>.svg``, or ``.png`` when it has no SVG); HTML and DOCX
    carry them inside."""
    from thematica.reports.writers import docx, html, markdown

    out = Path(out)
    kind = fmt or out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ThematicaError("reports are .md, .html or .docx", path=str(out))
    if kind == "docx":
        docx.write(document, out)
    elif kind == "html":
        write_private(out, html.render(document))
    else:
        text, files = markdown.render(document, out.stem)
        for name, payload in files.items():
            write_private(out.with_name(name), payload)
        write_private(out, text)
    return out
