"""Pieces the REFI-QDA project (.qdpx) and codebook (.qdc) formats share.

A code's Description carries its definition followed by "Include: / Exclude: / Example:" lines
(how ATLAS.ti, MAXQDA and NVivo show them); GUIDs Thematica makes are uuid5 in the project's
namespace, so exporting twice gives the same GUIDs. XML is parsed with defusedxml (no entities, no DTD).
"""

from __future__ import annotations

import re
import uuid
from typing import Protocol
from xml.etree.ElementTree import Element

from thematica.errors import ThematicaError

CRITERIA = re.compile(r"\n\n(?:Include: (?P<inclusion>.*?)\n?)?(?:Exclude: (?P<exclusion>.*?)\n?)?"
                      r"(?:Example: (?P<example>.*?))?$", re.S)


class DescribedCode(Protocol):
    @property
    def definition(self) -> str: ...

    @property
    def inclusion(self) -> str: ...

    @property
    def exclusion(self) -> str: ...

    @property
    def example(self) -> str: ...


def stable_guid(namespace: uuid.UUID, kind: str, key: object) -> str:
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def code_description(info: DescribedCode) -> str:
    extra = [f"{label}: {value}" for label, value in (("Include", info.inclusion), ("Exclude", info.exclusion),
                                                      ("Example", info.example)) if value]
    return info.definition + ("\n\n" + "\n".join(extra) if extra else "")


def split_description(description: str) -> dict[str, str]:
    """The inverse of ``code_description``: definition, inclusion, exclusion, example (those given)."""
    match = CRITERIA.search(description)
    if match and any(match.group(k) for k in ("inclusion", "exclusion", "example")):
        fields = {k: (match.group(k) or "").strip() for k in ("inclusion", "exclusion", "example")}
        return {"definition": description[:match.start()].strip(), **{k: v for k, v in fields.items() if v}}
    return {"definition": description.strip()} if description.strip() else {}


def parse_xml(data: bytes, where: str) -> Element:
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        root: Element = safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ThematicaError(f"refused unsafe XML ({type(error).__name__}: entities or a DTD)", path=where) from None
    except ParseError as error:
        raise ThematicaError(f"malformed XML ({error})", path=where) from None
    return root
