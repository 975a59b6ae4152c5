"""Pieces every REFI-QDA reader and writer shares: namespaces, GUIDs, safe XML, code descriptions.

Namespaces: the standard's project namespace is ``urn:QDA-XML:project:1.0`` and its codebook
namespace ``urn:QDA-XML:codebook:1.0``; ATLAS.ti and NVivo versions also write
``urn:QDA-XML:codebook:0:4`` and ``urn:QDA-XML:codebook:1:0``. Readers take the namespace from the
root element when it is one of the ``KNOWN_*`` ones, so every element is looked up in the file's
own namespace; writers always write the standard's.

GUIDs: the schema's ``GUIDType`` is 8-4-4-4-12 hex digits, optionally in braces. A GUID read from
a file is kept (lower case, no braces) when it is one; an identifier that is not (``"c1"``) is
used to resolve references inside that file only and never written back — exports mint a UUID-5
of the project GUID and the row's kind and key instead, stable from export to export.
"""

from __future__ import annotations

import re
import uuid
from xml.etree.ElementTree import Element

from thematica.errors import ThematicaError
from thematica.store import settings
from thematica.store.project import Project

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
KNOWN_PROJECT_NAMESPACES = ("urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1:0", "urn:QDA-XML:project:0:4")
KNOWN_CODEBOOK_NAMESPACES = ("urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4")
ATTRIBUTE_TYPES = {"text": "Text", "integer": "Integer", "float": "Float", "boolean": "Boolean", "date": "Date"}
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Float": "FloatValue", "Boolean": "BooleanValue",
                  "Date": "DateValue", "DateTime": "DateTimeValue"}
# Names both directions share: what the export writes, the import reads back.
PATH_MARK = " > "  # a code path inside a name (REFI-QDA code names cannot hold Thematica's "/")
MEMO_SEPARATOR = "\n\n"  # several memos on one case or document, joined in its Description
SUBTHEME_LINK = "subtheme of"  # a Link from a theme's Set to its parent theme's Set (Sets have no hierarchy)
_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_CRITERIA = re.compile(r"\n\n(?:Include: (?P<inclusion>.*?)\n?)?(?:Exclude: (?P<exclusion>.*?)\n?)?"
                       r"(?:Example: (?P<example>.*?))?$", re.S)


def namespace_of(root: Element) -> str:
    return root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""


def local_name(element: Element) -> str:
    return element.tag.split("}", 1)[-1]


def reference(value: str | None) -> str:
    """An identifier as used for references inside one file: braces stripped, lower case."""
    return (value or "").strip().strip("{}").lower()


def valid_guid(value: str | None) -> str | None:
    """The GUID in canonical form (lower case, no braces), or None when ``value`` is not one."""
    match = _GUID.fullmatch((value or "").strip())
    return match.group(1).lower() if match else None


def distinct_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, ... : the first that is not in ``taken`` (which is left as it is)."""
    distinct, number = name, 2
    while distinct in taken:
        distinct, number = f"{name} ({number})", number + 1
    return distinct


def project_guid(project: Project) -> uuid.UUID:
    with project.transaction() as session:
        value = settings.get_setting(session, "project_guid")
        if value is None:
            value = str(uuid.uuid4())
            settings.set_setting(session, "project_guid", value)
        return uuid.UUID(value)


def minted_guid(namespace: uuid.UUID, kind: str, key: object) -> str:
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def parse_xml(data: bytes, where: str) -> Element:
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        return safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ThematicaError(f"refused unsafe XML ({type(error).__name__}: entities or a DTD)", path=where) from None
    except ParseError as error:
        raise ThematicaError(f"malformed XML ({error})", path=where) from None


def code_description(info) -> str:
    """Definition, then the labelled criteria and example (read back by ``split_description``)."""
    extra = [f"{label}: {value}" for label, value in (("Include", info.inclusion), ("Exclude", info.exclusion),
                                                      ("Example", info.example)) if value]
    return info.definition + ("\n\n" + "\n".join(extra) if extra else "")


def split_description(description: str) -> dict[str, str]:
    match = _CRITERIA.search(description)
    if match and any(match.group(k) for k in ("inclusion", "exclusion", "example")):
        fields = {k: (match.group(k) or "").strip() for k in ("inclusion", "exclusion", "example")}
        return {"definition": description[:match.start()].strip(), **{k: v for k, v in fields.items() if v}}
    return {"definition": description.strip()} if description.strip() else {}


def colour(value: str | None) -> str:
    """``#RGB`` widened to ``#RRGGBB``; anything that is not a colour becomes empty (the default applies)."""
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:])
    return value if re.fullmatch(r"#[0-9A-Fa-f]{6}", value) else ""


_THEME_PARTS = re.compile(r"\n\n(?:Story: (?P<story>.*?))?(?:\n?Status: (?P<status>candidate|reviewed|final))?$", re.S)


def theme_description(definition: str, story: str, status: str) -> str:
    """A theme's Set description: the definition, then the labelled story and status (read back by
    ``split_theme_description``); the status is left out when it is the default, ``candidate``."""
    extra = ([f"Story: {story}"] if story else []) + ([f"Status: {status}"] if status != "candidate" else [])
    return definition + ("\n\n" + "\n".join(extra) if extra else "")


def split_theme_description(description: str) -> tuple[str, str, str]:
    """``(definition, story, status)`` from a Set description written by ``theme_description`` (or any
    other tool's plain description, which is all definition)."""
    match = _THEME_PARTS.search(description)
    if match and (match.group("story") or match.group("status")):
        return (description[:match.start()].strip(), (match.group("story") or "").strip(),
                match.group("status") or "candidate")
    return description.strip(), "", "candidate"


# Thematica's own project data in ``Project/Description``: REFI-QDA has no element for a project's lead
# nor for coders' progress marks, but a project may carry a free Description. Thematica writes one
# readable block there and reads it back from files whose origin is Thematica; other tools show it as
# the project's description. Fields are tab-separated (names never hold a tab: control characters
# are refused in names).
PROJECT_DATA_HEADER = "Thematica project data (read back by Thematica):"


def project_data_description(lead: str | None, statuses: list[tuple[str, str, str]]) -> str:
    """The Description block: ``lead<TAB>name`` and ``status<TAB>document<TAB>coder<TAB>status`` lines."""
    lines = [PROJECT_DATA_HEADER]
    if lead:
        lines.append(f"lead\t{lead}")
    lines += [f"status\t{document}\t{coder}\t{status}" for document, coder, status in statuses]
    return "\n".join(lines)


def parse_project_data(description: str) -> tuple[str | None, list[tuple[str, str, str]]]:
    """(lead, [(document, coder, status)]) from a Description block; (None, []) when there is none."""
    lines = description.splitlines()
    if not lines or lines[0].strip() != PROJECT_DATA_HEADER:
        return None, []
    lead: str | None = None
    statuses: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        fields = line.split("\t")
        if fields[0] == "lead" and len(fields) == 2:
            lead = fields[1]
        elif fields[0] == "status" and len(fields) == 4:
            statuses.append((fields[1], fields[2], fields[3]))
    return lead, statuses
