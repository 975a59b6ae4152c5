"""REFI-QDA Project Exchange (.qdpx): export strictly, import tolerantly.

A .qdpx is a zip with ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and the sources' plain
texts under ``sources/<GUID>.txt``. Positions are Unicode code points from 0, end exclusive.

GUIDs are stable across exports: a GUID read at import is kept (codes and segments store it);
otherwise it is a UUID-5 of a project GUID (made once, kept in the project settings) and the
row's kind and key, so the same project exports the same GUIDs every time.

Import bends to real files: the .qde may be named after the project (ATLAS.ti), sources may sit
in ``Sources/`` (older QualCoder), categories may be codable (MAXQDA), GUIDs may be re-minted,
and a source's text may use CRLF: our stored text uses ``\\n`` and NFC, so positions are mapped
from the source's own text to ours, and no coding shifts by a character per line. The XML is
parsed with defusedxml (no DTDs, no entity expansion, no external entities); every reference is
checked before anything is written.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from thematica.coding.codebook import code_infos, ensure_code_path
from thematica.corpus.archives import open_archive, read_member
from thematica.corpus.decoding import check_controls, decode_utf8
from thematica.corpus.importer import normalise_text, sha256_text, store_text
from thematica.errors import ThematicaError
from thematica.names import MAX_CODE_DEPTH
from thematica.files import write_private
from thematica.store import audit, cases as case_store, coders as coder_store, documents as document_store
from thematica.store import interchange as exchange_store, segments as segment_store, settings
from thematica.store.project import Project

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
ATTRIBUTE_TYPES = {"text": "Text", "integer": "Integer", "float": "Float", "boolean": "Boolean", "date": "Date"}
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Float": "FloatValue", "Boolean": "BooleanValue",
                  "Date": "DateValue", "DateTime": "DateTimeValue"}
_CRITERIA = re.compile(r"\n\n(?:Include: (?P<inclusion>.*?)\n?)?(?:Exclude: (?P<exclusion>.*?)\n?)?"
                       r"(?:Example: (?P<example>.*?))?$", re.S)


def project_guid(project: Project) -> uuid.UUID:
    with project.transaction() as session:
        value = settings.get_setting(session, "project_guid")
        if value is None:
            value = str(uuid.uuid4())
            settings.set_setting(session, "project_guid", value)
        return uuid.UUID(value)


def _guid(namespace: uuid.UUID, kind: str, key: object) -> str:
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def _description(info) -> str:
    extra = [f"{label}: {value}" for label, value in (("Include", info.inclusion), ("Exclude", info.exclusion),
                                                      ("Example", info.example)) if value]
    return info.definition + ("\n\n" + "\n".join(extra) if extra else "")


def _boolean(value: str) -> str:
    return "true" if value.strip().lower() in ("ja", "yes", "true", "j", "y", "1") else "false"


def export_qdpx(project: Project, out: Path) -> Path:
    """Write the whole project as a .qdpx archive (owner-only)."""
    namespace = project_guid(project)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    root = Element(f"{Q}Project", {"name": Path(project.location).stem, "origin": "Thematica 0.1.0",
                                   "creationDateTime": now})
    texts: dict[str, str] = {}
    with project.reading() as session:
        coders = coder_store.all_coders(session)
        user_guid = {coder.id: _guid(namespace, "coder", coder.name) for coder in coders}
        users = SubElement(root, f"{Q}Users")
        for coder in coders:
            SubElement(users, f"{Q}User", {"guid": user_guid[coder.id], "name": coder.name})
        infos = code_infos(session)
        code_rows = {code.id: code for code in _all_codes(session)}
        code_guid = {info.id: code_rows[info.id].guid or _guid(namespace, "code", info.id) for info in infos}
        if infos:
            codes = SubElement(SubElement(root, f"{Q}CodeBook"), f"{Q}Codes")
            elements: dict[int | None, Element] = {None: codes}
            for info in infos:
                element = SubElement(elements[info.parent_id], f"{Q}Code",
                                     {"guid": code_guid[info.id], "name": info.name, "isCodable": "true",
                                      "color": info.color.upper()})
                description = _description(info)
                if description:
                    SubElement(element, f"{Q}Description").text = description
                elements[info.id] = element
        attributes = case_store.attributes(session)
        variable_guid = {a.id: _guid(namespace, "attribute", a.name) for a in attributes}
        if attributes:
            variables = SubElement(root, f"{Q}Variables")
            for attribute in attributes:
                SubElement(variables, f"{Q}Variable", {"guid": variable_guid[attribute.id], "name": attribute.name,
                                                      "typeOfVariable": ATTRIBUTE_TYPES[attribute.type]})
        documents = document_store.all_documents(session)
        source_guid = {d.id: _guid(namespace, "document", d.sha256 + d.name) for d in documents}
        cases = case_store.all_cases(session)
        if cases:
            cases_element = SubElement(root, f"{Q}Cases")
            for case in cases:
                element = SubElement(cases_element, f"{Q}Case", {"guid": _guid(namespace, "case", case.label),
                                                                "name": case.label})
                for attribute, value in case_store.case_values(session, case.id):
                    if value is None:
                        continue
                    kind = ATTRIBUTE_TYPES[attribute.type]
                    holder = SubElement(element, f"{Q}VariableValue")
                    SubElement(holder, f"{Q}VariableRef", {"targetGUID": variable_guid[attribute.id]})
                    text = _boolean(value) if kind == "Boolean" else (value.replace(",", ".") if kind == "Float" else value)
                    SubElement(holder, f"{Q}{VALUE_ELEMENTS[kind]}").text = text
                for document in documents:
                    if document.case_id == case.id:
                        SubElement(element, f"{Q}SourceRef", {"targetGUID": source_guid[document.id]})
        if documents:
            sources = SubElement(root, f"{Q}Sources")
            for document in documents:
                guid = source_guid[document.id]
                texts[guid] = document_store.document_text(session, document.id)
                source = SubElement(sources, f"{Q}TextSource", {"guid": guid, "name": document.name,
                                                                "plainTextPath": f"internal://{guid}.txt"})
                for segment, coder in exchange_store.segments_with_coders(session, document.id):
                    selection = SubElement(source, f"{Q}PlainTextSelection", {
                        "guid": segment.guid or _guid(namespace, "segment", segment.id),
                        "name": texts[guid][segment.start:segment.end][:60],
                        "startPosition": str(segment.start), "endPosition": str(segment.end),
                        "creatingUser": user_guid[segment.coder_id]})
                    if segment.memo:
                        SubElement(selection, f"{Q}Description").text = segment.memo
                    coding = SubElement(selection, f"{Q}Coding", {"guid": _guid(namespace, "coding", segment.id),
                                                                  "creatingUser": user_guid[segment.coder_id]})
                    SubElement(coding, f"{Q}CodeRef", {"targetGUID": code_guid[segment.code_id]})
        memos = exchange_store.project_memos(session)
        if memos:
            notes = SubElement(root, f"{Q}Notes")
            for memo in memos:
                note = SubElement(notes, f"{Q}Note", {"guid": memo.guid or _guid(namespace, "memo", memo.id),
                                                      "name": memo.title or "memo"})
                SubElement(note, f"{Q}PlainTextContent").text = memo.text
    xml = _serialise(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    return write_private(out, buffer.getvalue())


def _serialise(root: Element) -> bytes:
    from xml.etree.ElementTree import register_namespace

    register_namespace("", NS)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)


def _all_codes(session):
    from thematica.store import codes as code_store

    return code_store.all_codes(session)


# ---------------------------------------------------------------------------------------- import
@dataclass
class ParsedProject:
    users: dict[str, str] = field(default_factory=dict)
    codes: list[tuple[str, str, str, str]] = field(default_factory=list)  # guid, path, colour, description
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    cases: list[tuple[str, dict[str, str], list[str]]] = field(default_factory=list)
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # guid, name, stored text
    selections: list[tuple[str, int, int, str, str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def _parse_xml(data: bytes, where: str) -> Element:
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        return safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ThematicaError(f"refused unsafe XML ({type(error).__name__}: entities or a DTD)", path=where) from None
    except ParseError as error:
        raise ThematicaError(f"malformed XML ({error})", path=where) from None


def offset_map(original: str) -> tuple[str, list[int]]:
    """The stored form of a source text and, for each original position 0..len, the stored position.

    Handles CRLF / CR (one position less per line) and Unicode NFC composition.
    """
    positions = [0] * (len(original) + 1)
    pieces: list[str] = []
    stored = 0
    index = 0
    while index < len(original):
        char = original[index]
        if char == "\r":
            positions[index] = stored
            if index + 1 < len(original) and original[index + 1] == "\n":
                index += 1
                positions[index] = stored
            pieces.append("\n")
            stored += 1
            index += 1
            continue
        run_end = index + 1
        while run_end < len(original) and unicodedata.combining(original[run_end]):
            run_end += 1
        composed = unicodedata.normalize("NFC", original[index:run_end])
        for offset in range(index, run_end):
            positions[offset] = stored + min(offset - index, len(composed) - 1) if offset > index else stored
        pieces.append(composed)
        stored += len(composed)
        index = run_end
    positions[len(original)] = stored
    return "".join(pieces), positions


def _read_archive(path: Path) -> tuple[Element, dict[str, bytes]]:
    archive = open_archive(path, kind=".qdpx archive")  # bounded: checked before anything is extracted
    with archive:
        names = archive.namelist()
        qde = [name for name in names if name.lower().endswith(".qde") and "/" not in name.strip("/")]
        if not qde:
            raise ThematicaError("no .qde project file in the archive", path=str(path))
        preferred = next((name for name in qde if name.lower() == "project.qde"), qde[0])
        files = {name.split("/", 1)[1].lower(): read_member(archive, name, path) for name in names
                 if name.lower().startswith("sources/") and not name.endswith("/")}
        return _parse_xml(read_member(archive, preferred, path), f"{path}:{preferred}"), files


def parse_qdpx(path: Path) -> ParsedProject:
    root, files = _read_archive(path)
    if root.tag != f"{Q}Project":
        raise ThematicaError(f"not a REFI-QDA project (root element {root.tag}, expected {{{NS}}}Project)",
                             path=str(path))
    parsed = ParsedProject()
    for user in root.iterfind(f"{Q}Users/{Q}User"):
        parsed.users[user.get("guid", "").strip("{}").lower()] = user.get("name") or user.get("id") or "unknown"

    def walk(element: Element, prefix: str, depth: int = 0) -> None:
        if depth >= MAX_CODE_DEPTH and element.find(f"{Q}Code") is not None:
            raise ThematicaError(f"the codebook nests codes deeper than {MAX_CODE_DEPTH} levels", path=str(path))
        for code in element.iterfind(f"{Q}Code"):
            name = (code.get("name") or "").replace("/", "-").strip() or "unnamed"
            path_ = f"{prefix}/{name}" if prefix else name
            description = code.findtext(f"{Q}Description") or ""
            colour = code.get("color") or ""
            if re.fullmatch(r"#[0-9A-Fa-f]{3}", colour):
                colour = "#" + "".join(c * 2 for c in colour[1:])
            parsed.codes.append((code.get("guid", "").strip("{}").lower(), path_, colour, description))
            walk(code, path_, depth + 1)

    codes_root = root.find(f"{Q}CodeBook/{Q}Codes")
    if codes_root is not None:
        walk(codes_root, "")
    for variable in root.iterfind(f"{Q}Variables/{Q}Variable"):
        parsed.variables[variable.get("guid", "").strip("{}").lower()] = (variable.get("name", ""),
                                                                         variable.get("typeOfVariable", "Text"))
    for source in root.iterfind(f"{Q}Sources/{Q}TextSource"):
        guid = source.get("guid", "").strip("{}").lower()
        text = source.findtext(f"{Q}PlainTextContent")
        if text is None:
            target = (source.get("plainTextPath") or "").replace("internal://", "").lower()
            raw = files.get(target) or files.get(f"{guid}.txt")
            if raw is None:
                raise ThematicaError(f"text of source {source.get('name')!r} is missing from the archive", path=str(path))
            text = decode_utf8(raw, Path(f"{path}:sources/{target or guid}")).text
        text, _ = check_controls(text, Path(f"{path}:{source.get('name') or guid}"))
        stored, positions = offset_map(text)
        name = (source.get("name") or guid).rsplit(".", 1)[0] if (source.get("name") or "").lower().endswith(
            (".txt", ".docx", ".rtf")) else (source.get("name") or guid)
        parsed.sources.append((guid, name, stored))
        for selection in source.iterfind(f"{Q}PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            except (TypeError, ValueError):
                raise ThematicaError(f"selection without valid positions in {name!r}", path=str(path)) from None
            if not 0 <= start < end <= len(text):
                raise ThematicaError(f"selection [{start}, {end}) outside source {name!r} (length {len(text)})",
                                     path=str(path))
            memo = selection.findtext(f"{Q}Description") or ""
            for coding in selection.iterfind(f"{Q}Coding"):
                reference = coding.find(f"{Q}CodeRef")
                user = (coding.get("creatingUser") or selection.get("creatingUser") or "").strip("{}").lower()
                parsed.selections.append((guid, positions[start], positions[end],
                                          (reference.get("targetGUID") if reference is not None else "").strip("{}").lower(),
                                          user, memo, (selection.get("guid") or "").strip("{}").lower()))
    for case in root.iterfind(f"{Q}Cases/{Q}Case"):
        values = {}
        for holder in case.iterfind(f"{Q}VariableValue"):
            reference = holder.find(f"{Q}VariableRef")
            target = (reference.get("targetGUID") if reference is not None else "").strip("{}").lower()
            value = next((child.text for child in holder if child.tag != f"{Q}VariableRef"), None)
            if target in parsed.variables and value is not None:
                values[parsed.variables[target][0]] = value
        sources = [ref.get("targetGUID", "").strip("{}").lower() for ref in case.iterfind(f"{Q}SourceRef")]
        parsed.cases.append((case.get("name") or case.get("guid", ""), values, sources))
    for note in root.iterfind(f"{Q}Notes/{Q}Note"):
        parsed.notes.append((note.get("guid", "").strip("{}").lower(), note.get("name", ""),
                             note.findtext(f"{Q}PlainTextContent") or ""))
    known_codes = {guid for guid, *_ in parsed.codes}
    for _, _, _, code_guid, user, _, _ in parsed.selections:
        if code_guid not in known_codes:
            raise ThematicaError(f"a coding refers to an unknown code {code_guid}", path=str(path))
    return parsed


@dataclass(frozen=True)
class QdpxImport:
    documents: int
    segments_added: int
    codes: int
    cases: int


def import_qdpx(path: Path, project: Project, actor: str = "system") -> QdpxImport:
    """Import a .qdpx into a (new or existing) project; everything is checked before anything is written."""
    parsed = parse_qdpx(Path(path))
    with project.reading() as session:
        for _, name, text in parsed.sources:
            existing = document_store.document_by_name(session, name)
            if existing is not None and existing.sha256 != sha256_text(normalise_text(text)):
                raise ThematicaError(f"document {name!r} is already in the project with a different text",
                                     path=str(path))
    for _, name, text in parsed.sources:
        store_text(project, name, text, actor=actor, source_path=str(path), source_format="qdpx")
    added = 0
    with project.transaction() as session:
        code_ids = {}
        for guid, code_path, colour, description in parsed.codes:
            existing = exchange_store.code_by_guid(session, guid) if guid else None
            fields = _split_description(description)
            if colour:
                fields["color"] = colour
            code = existing or ensure_code_path(session, code_path, actor, **fields)
            if code.guid is None and guid:
                code.guid = guid
            code_ids[guid] = code.id
        documents = {guid: document_store.document_by_name(session, name) for guid, name, _ in parsed.sources}
        for source, start, end, code_guid, user, memo, selection_guid in parsed.selections:
            coder = coder_store.get_or_create_coder(session, parsed.users.get(user, user or "unknown"))
            segment, inserted = segment_store.insert_segment_once(
                session, document_id=documents[source].id, coder_id=coder.id, code_id=code_ids[code_guid],
                start=start, end=end, memo=memo)
            if inserted and selection_guid and segment.guid is None:
                segment.guid = selection_guid if not _guid_taken(session, selection_guid) else None
            added += inserted
        for label, values, sources in parsed.cases:
            case = case_store.get_or_create_case(session, label)
            for name, value in values.items():
                attribute = case_store.get_or_create_attribute(session, name, _attribute_type(parsed, name))
                case_store.set_case_value(session, case, attribute, value)
            for source in sources:
                if source in documents and documents[source] is not None:
                    documents[source].case_id = case.id
        existing_notes = {memo.guid for memo in exchange_store.project_memos(session)}
        for guid, title, text in parsed.notes:
            if guid not in existing_notes:
                exchange_store.add_memo(session, title, text, guid or None)
        audit.record(session, actor, "qdpx.import", "project", None, file=str(path), segments_added=added)
    return QdpxImport(len(parsed.sources), added, len(parsed.codes), len(parsed.cases))


def _guid_taken(session, guid: str) -> bool:
    from thematica.store.segments import segment_guid_exists

    return segment_guid_exists(session, guid)


def _attribute_type(parsed: ParsedProject, name: str) -> str:
    reverse = {v: k for k, v in ATTRIBUTE_TYPES.items()}
    for variable_name, kind in parsed.variables.values():
        if variable_name == name:
            return reverse.get(kind, "text")
    return "text"


def _split_description(description: str) -> dict[str, str]:
    match = _CRITERIA.search(description)
    if match and any(match.group(k) for k in ("inclusion", "exclusion", "example")):
        fields = {k: (match.group(k) or "").strip() for k in ("inclusion", "exclusion", "example")}
        return {"definition": description[:match.start()].strip(), **{k: v for k, v in fields.items() if v}}
    return {"definition": description.strip()} if description.strip() else {}
