"""The codebook for co-authors and reviewers: export (csv, json, qdc here; md, html, docx via reports), import (csv, json, qdc),
snapshots at the end of a coding round and the diff between two snapshots.

Every export carries the hierarchy, definition, inclusion and exclusion criteria, example, colour,
frequency per coder and the themes each code belongs to. The REFI-QDA codebook (.qdc) uses the
namespace ``urn:QDA-XML:codebook:1.0`` with the same Code elements as a project; criteria and
example travel inside the Description, labelled, and are read back from it.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from thematica.coding.codebook import code_infos
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.files import private_path, write_private
from thematica.interchange.codebook_csv import CodebookEntry, CodebookImport, merge_entries, parse_codebook_csv
from thematica.interchange.refi_common import (
    CODEBOOK_NS, KNOWN_CODEBOOK_NAMESPACES, KNOWN_PROJECT_NAMESPACES, code_description, colour, distinct_name,
    local_name, minted_guid, namespace_of, parse_xml, project_guid, split_description, valid_guid,
)
from thematica.safe_text import SafeCsvWriter
from thematica.store import audit, interchange as exchange_store
from thematica.store.project import Project

FIELDS = ("color", "definition", "inclusion", "exclusion", "example")


@dataclass(frozen=True)
class CodebookRow:
    code: str
    name: str
    depth: int
    color: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    frequency: dict[str, int] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    id: int = 0


def codebook_rows(project: Project) -> list[CodebookRow]:
    with project.reading() as session:
        frequencies = exchange_store.code_frequencies(session)
        themes = exchange_store.themes_of_codes(session)
        coders = sorted({coder for _, coder in frequencies})
        return [CodebookRow(info.path, info.name, info.depth, info.color, info.definition, info.inclusion,
                            info.exclusion, info.example, {c: frequencies.get((info.id, c), 0) for c in coders},
                            themes.get(info.id, []), info.id) for info in code_infos(session)]


def to_json(rows: list[CodebookRow]) -> str:
    return json.dumps({"codes": [{k: v for k, v in asdict(row).items() if k not in ("id", "depth", "name")}
                                 for row in rows]}, ensure_ascii=False, indent=2)


def to_csv(rows: list[CodebookRow]) -> str:
    coders = sorted({coder for row in rows for coder in row.frequency})
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(["code", *FIELDS, "themes", *[f"n_{coder}" for coder in coders]])
    for row in rows:
        writer.writerow([row.code, row.color, row.definition, row.inclusion, row.exclusion, row.example,
                         "; ".join(row.themes), *[row.frequency.get(coder, 0) for coder in coders]])
    return buffer.getvalue()


def to_qdc(project: Project, rows: list[CodebookRow]) -> bytes:
    namespace = project_guid(project)
    register_namespace("", CODEBOOK_NS)
    q = f"{{{CODEBOOK_NS}}}"
    root = Element(f"{q}CodeBook", {"origin": "Thematica 0.1.0"})
    codes = SubElement(root, f"{q}Codes")
    elements: dict[str, Element] = {"": codes}
    with project.reading() as session:
        infos = {info.id: info for info in code_infos(session)}
        from thematica.store import codes as code_store

        stored = {code.id: code for code in code_store.all_codes(session)}
    for row in rows:
        parent = row.code.rsplit("/", 1)[0] if "/" in row.code else ""
        element = SubElement(elements[parent], f"{q}Code", {
            "guid": valid_guid(stored[row.id].guid) or minted_guid(namespace, "code", row.id), "name": row.name,
            "isCodable": "true" if stored[row.id].is_codable else "false",
            "color": row.color.upper()})
        description = code_description(infos[row.id])
        if description:
            SubElement(element, f"{q}Description").text = description
        elements[row.code] = element
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8")


def export_codebook(project: Project, fmt: str, out: Path) -> None:
    """The data formats (csv, json, qdc); the documents for readers (md, html, docx) are rendered by
    ``thematica.reports.codebook_report`` from :func:`codebook_rows`."""
    rows = codebook_rows(project)
    if fmt == "qdc":
        write_private(out, to_qdc(project, rows))
    elif fmt in ("csv", "json"):
        write_private(out, to_csv(rows) if fmt == "csv" else to_json(rows))
    else:
        raise ThematicaError(f"unknown codebook data format {fmt!r} (csv, json, qdc)")


def parse_json(path: Path) -> list[CodebookEntry]:
    try:
        data = json.loads(read_text_file(path))
    except json.JSONDecodeError as error:
        raise ThematicaError(f"malformed JSON ({error.msg}, line {error.lineno})", path=str(path)) from None
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, list):
        raise ThematicaError('expected {"codes": [{"code": "Parent/Child", ...}]}', path=str(path))
    entries = []
    for number, item in enumerate(codes, start=1):
        if not isinstance(item, dict) or not str(item.get("code", "")).strip():
            raise ThematicaError(f"code entry {number} has no 'code' path", path=str(path))
        entries.append(CodebookEntry(str(item["code"]).strip(), {k: str(item[k]) for k in FIELDS if item.get(k)}))
    return entries


def parse_qdc(path: Path) -> list[CodebookEntry]:
    """A REFI-QDA codebook in any namespace its writers use (``codebook:1.0``, ``1:0``, ``0:4``, or a
    project namespace); sibling codes with the same name stay distinct (``name (2)``)."""
    root = parse_xml(Path(path).read_bytes(), str(path))
    namespace = namespace_of(root)
    if local_name(root) != "CodeBook" or namespace not in (*KNOWN_CODEBOOK_NAMESPACES, *KNOWN_PROJECT_NAMESPACES):
        raise ThematicaError(f"not a REFI-QDA codebook (root {root.tag}, expected {{{CODEBOOK_NS}}}CodeBook)",
                             path=str(path))
    q = f"{{{namespace}}}"
    entries: list[CodebookEntry] = []

    def walk(element: Element, prefix: str) -> None:
        siblings: set[str] = set()
        for code in element.iterfind(f"{q}Code"):
            name = (code.get("name") or "unnamed").replace("/", "-").strip() or "unnamed"
            distinct = distinct_name(name, siblings)
            siblings.add(distinct)
            path_ = f"{prefix}/{distinct}" if prefix else distinct
            fields = split_description(code.findtext(f"{q}Description") or "")
            if colour(code.get("color")):
                fields["color"] = colour(code.get("color"))
            codable = (code.get("isCodable") or "true").strip().lower() not in ("false", "0")
            entries.append(CodebookEntry(path_, fields, codable))
            walk(code, path_)

    codes = root.find(f"{q}Codes")
    if codes is not None:
        walk(codes, "")
    return entries


def import_codebook(project: Project, path: Path, actor: str = "system") -> CodebookImport:
    suffix = Path(path).suffix.lower()
    parsers = {".csv": parse_codebook_csv, ".json": parse_json, ".qdc": parse_qdc}
    if suffix not in parsers:
        raise ThematicaError("codebook files are .csv, .json or .qdc", path=str(path))
    return merge_entries(project, parsers[suffix](Path(path)), actor, str(path))


# ---------------------------------------------------------------------------------------- versions
def snapshot(project: Project, label: str, actor: str = "system") -> int:
    rows = codebook_rows(project)
    content = json.dumps([{"id": r.id, "code": r.code, **{k: getattr(r, k) for k in FIELDS}} for r in rows],
                         ensure_ascii=False)
    with project.transaction() as session:
        if exchange_store.snapshot(session, label) is not None:
            raise ThematicaError(f"a snapshot labelled {label!r} exists already")
        exchange_store.add_snapshot(session, label, content)
        audit.record(session, actor, "codebook.snapshot", "codebook_snapshot", None, label=label, codes=len(rows))
    return len(rows)


@dataclass(frozen=True)
class CodebookDiff:
    added: list[str]
    removed: list[str]
    renamed: list[tuple[str, str]]
    redefined: list[tuple[str, str, str, str]]  # code, field, before, after

    def to_dict(self) -> dict:
        return asdict(self)


def diff(project: Project, first: str, second: str) -> CodebookDiff:
    """Codes added, removed, renamed (same code, new path) and redefined between two snapshots."""
    with project.reading() as session:
        snapshots = []
        for label in (first, second):
            found = exchange_store.snapshot(session, label)
            if found is None:
                raise ThematicaError(f"no codebook snapshot labelled {label!r}")
            snapshots.append({item["id"]: item for item in json.loads(found.content)})
    before, after = snapshots
    added = sorted(after[i]["code"] for i in after.keys() - before.keys())
    removed = sorted(before[i]["code"] for i in before.keys() - after.keys())
    renamed, redefined = [], []
    for code_id in sorted(before.keys() & after.keys(), key=lambda i: after[i]["code"]):
        old, new = before[code_id], after[code_id]
        if old["code"] != new["code"]:
            renamed.append((old["code"], new["code"]))
        for key in FIELDS:
            if old.get(key, "") != new.get(key, ""):
                redefined.append((new["code"], key, old.get(key, ""), new.get(key, "")))
    return CodebookDiff(added, removed, renamed, redefined)
