"""Readers for document formats beyond plain text and .docx: PDF, ODT, RTF and HTML.

Each reader returns the document's text with one paragraph per line (``\\n`` between paragraphs),
as the .docx reader does, so paragraphs and speaker turns (``R: …``) are recognised exactly as for
a .txt file. Normalisation (newlines, NFC) happens afterwards in ``corpus.readers``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from thematica.corpus.formats.html import read_html
from thematica.corpus.formats.odt import read_odt
from thematica.corpus.formats.pdf import read_pdf
from thematica.corpus.formats.rtf import read_rtf

SUFFIXES = {".pdf": "pdf", ".odt": "odt", ".rtf": "rtf", ".html": "html", ".htm": "html", ".xhtml": "html"}
READERS: dict[str, Callable[[Path], str]] = {"pdf": read_pdf, "odt": read_odt, "rtf": read_rtf, "html": read_html}
