"""PDF documents through pypdf's text extraction; a PDF without a text layer is refused.

pypdf returns the page's text in layout lines; a paragraph that wraps over several lines is
joined again: a line continues the previous one unless it is blank or starts with a speaker
label (``R:``).
A word broken by a hyphen at the line end is joined without the hyphen when the next line starts
in lower case (``zelf-`` / ``standig`` → ``zelfstandig``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from thematica.errors import ThematicaError

_LABEL = re.compile(r"^[^\W\d_][\w.'’ -]{0,40}:\s")


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    log = logging.getLogger("pypdf")  # pypdf's modules log damaged objects; the user sees one line
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ThematicaError("the PDF is encrypted; save an unprotected copy first", path=str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except ThematicaError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise ThematicaError(f"not a readable PDF ({type(error).__name__})", path=str(path)) from None
    finally:
        log.setLevel(level)
    if not any(page.strip() for page in pages):
        raise ThematicaError("no text layer (scanned?); run OCR first and import the result", path=str(path))
    return "\n".join(_paragraphs(page) for page in pages if page.strip()) + "\n"


def _paragraphs(page: str) -> str:
    paragraphs: list[str] = []
    current = ""
    for raw in page.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif _LABEL.match(line):
            paragraphs.append(current)
            current = line
        elif current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}"
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)
