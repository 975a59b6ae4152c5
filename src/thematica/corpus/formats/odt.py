"""OpenDocument text (.odt) through odfpy: headings and paragraphs in document order, tables included."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from thematica.errors import ThematicaError

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def read_odt(path: Path) -> str:
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as error:
        raise ThematicaError(f"not a readable .odt file ({type(error).__name__})", path=str(path)) from None
    lines: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if getattr(child, "qname", None) in ((TEXT_NS, "p"), (TEXT_NS, "h")):
                lines.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    return "\n".join(lines) + "\n"
