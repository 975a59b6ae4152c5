"""HTML documents through lxml: scripts, styles and other non-text dropped; one block element per line.

Whitespace is collapsed as a browser does (runs of spaces and source newlines are one space,
except inside ``<pre>``); block elements (paragraphs, headings, list items, table rows, ``<br>``)
end a line. Bytes are decoded as every text file is (``corpus.decoding.decode_bytes``).
"""

from __future__ import annotations

import re
from pathlib import Path

from thematica.corpus.decoding import decode_bytes
from thematica.errors import ThematicaError

DROPPED = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "pre", "section", "article",
          "header", "footer", "dt", "dd", "table", "ul", "ol", "dl", "figure", "figcaption", "address", "main"}
_SPACE = re.compile(r"\s+")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(path: Path) -> str:
    import lxml.etree
    import lxml.html

    source, _ = decode_bytes(path.read_bytes(), path, "an HTML file")
    try:
        root = lxml.html.document_fromstring(_DECLARATION.sub("", source))
    except (lxml.etree.ParserError, ValueError) as error:
        raise ThematicaError(f"not a readable HTML file ({error})", path=str(path)) from None
    for element in list(root.iter(*DROPPED, lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        inside_pre = element.tag == "pre" or any(parent.tag == "pre" for parent in element.iterancestors())
        if not inside_pre:
            element.text = _SPACE.sub(" ", element.text) if element.text else element.text
        tail_in_pre = any(parent.tag == "pre" for parent in element.iterancestors())
        if element.tail and not tail_in_pre:
            element.tail = _SPACE.sub(" ", element.tail)
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = [line.strip() for line in root.text_content().split("\n")]
    return "\n".join(line for line in lines if line) + "\n"
