"""Writing a REFI-QDA project (.qdpx) that other tools import and the schema accepts, in every case.

What goes where (element order follows ``Project-mrt2019.xsd``):

- coders → ``Users`` (their GUID when one was imported); a ``Thematica`` user is added when a memo
  has no author or the project has no coders, so ``Users`` is never empty (the schema needs one);
- codes → ``CodeBook`` (categories ``isCodable="false"``), code memos as ``NoteRef``;
- attributes → typed ``Variables``; cases → ``Cases`` with values and their documents' ``SourceRef``;
  a case memo → a ``Note`` and a ``Link`` from it to the ``Case`` (the schema gives cases no
  ``NoteRef``), its text also the Case's ``Description`` (QualCoder's case memo);
- documents → ``TextSource`` with ``plainTextPath`` into ``sources/``; document memos as ``NoteRef``
  and their text as the source's ``Description`` (QualCoder's source memo); each segment a
  ``PlainTextSelection`` with its ``Coding``; a segment memo is the selection's ``Description`` and
  also a ``Note`` it refers to (QualCoder reads the one, ATLAS.ti the other); an annotation is a
  selection without coding that refers to its note;
- memos → ``Notes`` with ``creatingUser`` and ``creationDateTime`` (QualCoder's importer needs both);
- themes → ``Sets`` of their codes (definition as ``Description``), theme memos as ``MemberNote``;
  code groups → ``Sets`` too; theme links and code links → ``Links``; the thematic map → a ``Graph``
  whose vertices carry the layout's positions and whose edges carry the links' labels.

Positions are code points (the standard, §10.2); ``for_tool="nvivo"`` writes UTF-16 code units,
as NVivo reads them, and says so in ``Project@origin`` so Thematica reads such a file back right.
QualCoder imports a note as a journal only from a ``plainTextPath`` file, a selection without
coding as an annotation with its ``Description``, and Sets only of documents: so free memos are
written as files, annotations carry their text as ``Description`` too, and ``for_tool="qualcoder"``
adds each theme as a journal note ("Theme: …", with its codes and links), a member note of its Set.
Journal notes get distinct names ("memo (2)"): QualCoder stores journals by unique name and its
importer fails on two notes of one name. QualCoder also keeps code names unique, so
``for_tool="qualcoder"`` names a code whose name occurs more than once after its parent
(``unique_code_names``); Thematica's import reads such a name back as it was. Annotation and case-memo notes carry their text inline, so
QualCoder does not make journals of them as well.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from thematica.coding.codebook import code_infos
from thematica.corpus.position_map import utf16_offsets
from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.interchange.refi_common import (
    ATTRIBUTE_TYPES, MEMO_SEPARATOR, NS, PATH_MARK, Q, SUBTHEME_LINK, VALUE_ELEMENTS, code_description, distinct_name,
    minted_guid, project_data_description, project_guid, theme_description, valid_guid,
)
from thematica.store import cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store, interchange as exchange_store, themes as theme_store
from thematica.store import segments as segment_store
from thematica.store.project import Project

ORIGIN = "Thematica 0.1.0"
TOOLS = ("standard", "nvivo", "qualcoder")
THEME_NOTE = "Theme: "  # --for qualcoder: each theme also as a journal note (QualCoder reads Sets of documents only)
SYSTEM_USER = "Thematica"
SCALE = 100  # map layout units -> integer vertex coordinates
CASE_MEMO_LINK = "memo on case"


def _timestamp(value: datetime | None) -> str:
    """UTC as ``2018-03-27T18:01:07Z``: the form of the standard's examples, and the one QualCoder's
    importer turns into its own ``YYYY-MM-DD HH:MM:SS`` (it drops the "T" and "Z", not an offset)."""
    moment = value or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _claim_name(name: str, taken: set[str]) -> str:
    """A note name no other note has: QualCoder's importer stores journals under unique names and fails
    (on its own renaming) when two notes share one."""
    distinct = distinct_name(name, taken)
    taken.add(distinct)
    return distinct


def unique_code_names(infos: list) -> dict[int, str]:
    """``{code id: name}`` with every name used once in the codebook, for QualCoder: it stores code
    (and category) names as unique, so its importer gives a second "Overig" the first one's place,
    hangs its subcodes under that one and leaves its codings without a code. A name that occurs more
    than once gets its parent's name, ``Overig (Context)``, or its parent's path,
    ``Overig (Ervaring > Context)``, then a number (read back by ``refi_import``)."""
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.name] = counts.get(info.name, 0) + 1
    by_id = {info.id: info for info in infos}
    taken = {info.name for info in infos if counts[info.name] == 1}
    names: dict[int, str] = {}
    for info in infos:
        if counts[info.name] == 1:
            names[info.id] = info.name
            continue
        parent = by_id.get(info.parent_id)
        candidates = ([f"{info.name} ({parent.name})", f"{info.name} ({parent.path.replace('/', PATH_MARK)})"]
                      if parent is not None else [info.name])
        name = next((candidate for candidate in candidates if candidate not in taken), None)
        name = name or _claim_name(candidates[-1], taken)
        taken.add(name)
        names[info.id] = name
    return names


def _boolean(value: str) -> str:
    return "true" if value.strip().lower() in ("ja", "yes", "true", "j", "y", "1") else "false"


@dataclass(frozen=True)
class _NoteOut:
    guid: str
    name: str
    user: str
    created: datetime | None
    text: str
    as_file: bool  # plainTextPath into sources/ (journals in QualCoder) rather than PlainTextContent


def _theme_summary(theme, codes: list[str], names: dict[int, str], links: list[tuple[str, str, str]]) -> str:
    """A theme as readable text, for tools that do not read Sets of codes."""
    lines = [f"{THEME_NOTE}{theme.name}", ""]
    if theme.parent_id in names:
        lines.append(f"Subtheme of: {names[theme.parent_id]}")
    lines += [part for part in (theme.definition, theme.story) if part]
    lines.append("Codes: " + (", ".join(codes) if codes else "(none)"))
    lines += [f"{source} -> {target}: {label}" for source, target, label in links if theme.name in (source, target)]
    return "\n".join(lines) + "\n"


class _Ids:
    """GUIDs for every exported row: the stored one when it is a valid GUID, else a stable UUID-5."""

    def __init__(self, namespace) -> None:
        self.namespace = namespace
        self.used: set[str] = set()

    def __call__(self, kind: str, key: object, stored: str | None = None) -> str:
        guid = valid_guid(stored)
        if guid is None or guid in self.used:
            guid = minted_guid(self.namespace, kind, key)
        self.used.add(guid)
        return guid


def export_qdpx(project: Project, out: Path, *, for_tool: str = "standard") -> Path:
    """Write the whole project as a .qdpx archive (owner-only); see the module docstring."""
    if for_tool not in TOOLS:
        raise ThematicaError(f"--for must be one of {', '.join(TOOLS)}")
    ids = _Ids(project_guid(project))
    origin = {"standard": ORIGIN, "nvivo": f"{ORIGIN} for NVivo (positions in UTF-16 code units)",
              "qualcoder": f"{ORIGIN} for QualCoder (themes also as journal notes)"}[for_tool]
    root = Element(f"{Q}Project", {"name": Path(project.location).stem or "project", "origin": origin,
                                   "creationDateTime": _timestamp(None)})
    texts: dict[str, str] = {}
    with project.reading() as session:
        coders = coder_store.all_coders(session)
        user_guid = {coder.id: ids("coder", coder.name, coder.guid) for coder in coders}
        memos = exchange_store.project_memos(session)
        system_guid = ids("coder", f"\x00{SYSTEM_USER}")
        users = SubElement(root, f"{Q}Users")
        for coder in coders:
            SubElement(users, f"{Q}User", {"guid": user_guid[coder.id], "name": coder.name})
        if not coders or any(memo.coder_id not in user_guid for memo in memos):
            SubElement(users, f"{Q}User", {"guid": system_guid, "name": SYSTEM_USER})
        root.set("creatingUserGUID", user_guid[coders[0].id] if coders else system_guid)
        memo_guid = {memo.id: ids("memo", memo.id, memo.guid) for memo in memos}
        memo_text = {memo.id: memo.text for memo in memos}
        infos = code_infos(session)
        stored_codes = {code.id: code for code in code_store.all_codes(session)}
        code_guid = {info.id: ids("code", info.id, stored_codes[info.id].guid) for info in infos}
        code_memos: dict[int, list[int]] = {}
        document_memos: dict[int, list[int]] = {}
        theme_memos: dict[int, list[int]] = {}
        case_memos: dict[int, list] = {}
        annotations: dict[int, list] = {}
        project_level: list[int] = []
        for memo in memos:
            if memo.document_id is not None and memo.start is not None and memo.end is not None:
                annotations.setdefault(memo.document_id, []).append(memo)
            elif memo.document_id is not None:
                document_memos.setdefault(memo.document_id, []).append(memo.id)
            elif memo.code_id is not None:
                code_memos.setdefault(memo.code_id, []).append(memo.id)
            elif memo.theme_id is not None:
                theme_memos.setdefault(memo.theme_id, []).append(memo.id)
            elif memo.case_id is not None:
                case_memos.setdefault(memo.case_id, []).append(memo)
            else:
                project_level.append(memo.id)
        code_names = unique_code_names(infos) if for_tool == "qualcoder" else {info.id: info.name for info in infos}
        if infos:
            codes = SubElement(SubElement(root, f"{Q}CodeBook"), f"{Q}Codes")
            elements: dict[int | None, Element] = {None: codes}
            for info in infos:
                element = SubElement(elements[info.parent_id], f"{Q}Code", {
                    "guid": code_guid[info.id], "name": code_names[info.id],
                    "isCodable": "true" if stored_codes[info.id].is_codable else "false",
                    "color": info.color.upper()})
                description = code_description(info)
                if description:
                    SubElement(element, f"{Q}Description").text = description
                for memo_id in code_memos.get(info.id, []):
                    SubElement(element, f"{Q}NoteRef", {"targetGUID": memo_guid[memo_id]})
                elements[info.id] = element
        attributes = case_store.attributes(session)
        variable_guid = {a.id: ids("attribute", a.name) for a in attributes}
        if attributes:
            variables = SubElement(root, f"{Q}Variables")
            for attribute in attributes:
                SubElement(variables, f"{Q}Variable", {"guid": variable_guid[attribute.id], "name": attribute.name,
                                                      "typeOfVariable": ATTRIBUTE_TYPES[attribute.type]})
        documents = document_store.all_documents(session)
        source_guid = {d.id: ids("document", d.sha256 + d.name) for d in documents}
        cases = case_store.all_cases(session)
        case_guid = {case.id: ids("case", case.label) for case in cases}
        if cases:
            cases_element = SubElement(root, f"{Q}Cases")
            for case in cases:
                element = SubElement(cases_element, f"{Q}Case", {"guid": case_guid[case.id], "name": case.label})
                if case.id in case_memos:  # QualCoder's case memo; each memo is also a Note linked to the case
                    SubElement(element, f"{Q}Description").text = MEMO_SEPARATOR.join(
                        memo.text.strip() for memo in case_memos[case.id])
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
        notes_out: list[_NoteOut] = []
        themes = theme_store.all_themes(session)
        theme_guid = {theme.id: ids("theme", theme.name) for theme in themes}
        members = theme_store.memberships(session)
        link_guid: dict[tuple[str, int], str] = {}
        theme_links = theme_store.links(session)
        code_links = exchange_store.code_links(session)
        if documents:
            sources = SubElement(root, f"{Q}Sources")
            for document in documents:
                guid = source_guid[document.id]
                text = document_store.document_text(session, document.id)
                texts[guid] = text
                position = utf16_offsets(text) if for_tool == "nvivo" else None

                def at(offset: int) -> str:
                    return str(position[offset] if position is not None else offset)

                source = SubElement(sources, f"{Q}TextSource", {
                    "guid": guid, "name": document.name, "plainTextPath": f"internal://{guid}.txt",
                    "creatingUser": root.get("creatingUserGUID", system_guid),
                    "creationDateTime": _timestamp(document.imported_at)})
                if document.id in document_memos:  # QualCoder's source memo; the Notes keep title and author
                    SubElement(source, f"{Q}Description").text = MEMO_SEPARATOR.join(
                        memo_text[memo_id].strip() for memo_id in document_memos[document.id])
                for segment, _ in exchange_store.segments_with_coders(session, document.id):
                    selection = SubElement(source, f"{Q}PlainTextSelection", {
                        "guid": ids("segment", segment.id, segment.guid), "name": text[segment.start:segment.end][:60],
                        "startPosition": at(segment.start), "endPosition": at(segment.end),
                        "creatingUser": user_guid[segment.coder_id],
                        "creationDateTime": _timestamp(segment.created_at)})
                    if segment.memo:
                        SubElement(selection, f"{Q}Description").text = segment.memo
                    coding = SubElement(selection, f"{Q}Coding", {
                        "guid": ids("coding", segment.id), "creatingUser": user_guid[segment.coder_id],
                        "creationDateTime": _timestamp(segment.created_at)})
                    SubElement(coding, f"{Q}CodeRef", {"targetGUID": code_guid[segment.code_id]})
                    if segment.memo:
                        note_guid = ids("segment-memo", segment.id)
                        SubElement(selection, f"{Q}NoteRef", {"targetGUID": note_guid})
                        notes_out.append(_NoteOut(note_guid, f"memo on {document.name} [{segment.start}, {segment.end})",
                                                  user_guid[segment.coder_id], segment.updated_at, segment.memo, False))
                for memo in annotations.get(document.id, []):
                    start, end = max(0, min(memo.start, len(text))), max(0, min(memo.end, len(text)))
                    selection = SubElement(source, f"{Q}PlainTextSelection", {
                        "guid": ids("annotation", memo.id), "name": text[start:end][:60],
                        "startPosition": at(start), "endPosition": at(end),
                        "creatingUser": (user_guid.get(memo.coder_id, system_guid) if memo.coder_id is not None else system_guid),
                        "creationDateTime": _timestamp(memo.created_at)})
                    SubElement(selection, f"{Q}Description").text = memo.text  # QualCoder's annotation text
                    SubElement(selection, f"{Q}NoteRef", {"targetGUID": memo_guid[memo.id]})
                for memo_id in document_memos.get(document.id, []):
                    SubElement(source, f"{Q}NoteRef", {"targetGUID": memo_guid[memo_id]})
        note_names: set[str] = set()
        for memo in memos:
            spanned = memo.document_id is not None and memo.start is not None and memo.end is not None
            on_case = memo.case_id is not None and memo.case_id in case_guid and not spanned and (
                memo.document_id is None and memo.code_id is None and memo.theme_id is None)
            as_file = not spanned and not on_case  # annotations and case memos reach QualCoder otherwise
            name = memo.title or "memo"
            notes_out.append(_NoteOut(memo_guid[memo.id], _claim_name(name, note_names) if as_file else name,
                                      user_guid.get(memo.coder_id, system_guid) if memo.coder_id is not None
                                      else system_guid, memo.created_at, memo.text, as_file))
        summaries: dict[int, str] = {}
        if for_tool == "qualcoder":
            paths = {info.id: info.path for info in infos}
            names = {theme.id: theme.name for theme in themes}
            for theme in themes:
                summaries[theme.id] = ids("theme-summary", theme.name)
                notes_out.append(_NoteOut(summaries[theme.id], _claim_name(f"{THEME_NOTE}{theme.name}", note_names), root.get(
                    "creatingUserGUID", system_guid), theme.created_at, _theme_summary(
                    theme, [paths[c] for c in sorted(members.get(theme.id, []))], names,
                    [(names[link.source_id], names[link.target_id], link.label) for link in theme_links]), True))
        if notes_out:
            notes = SubElement(root, f"{Q}Notes")
            for out_note in notes_out:
                note_attributes = {"guid": out_note.guid, "name": out_note.name, "creatingUser": out_note.user,
                                   "creationDateTime": _timestamp(out_note.created)}
                if out_note.as_file:  # QualCoder imports a note as a journal only from a file
                    note_attributes["plainTextPath"] = f"internal://{out_note.guid}.txt"
                    texts[out_note.guid] = out_note.text
                    SubElement(notes, f"{Q}Note", note_attributes)
                else:
                    SubElement(SubElement(notes, f"{Q}Note", note_attributes),
                               f"{Q}PlainTextContent").text = out_note.text
        subthemes = [(theme, theme.parent_id) for theme in themes
                     if theme.parent_id is not None and theme.parent_id in theme_guid]
        memo_links = [(memo, case_id) for case_id, listed in case_memos.items() for memo in listed]
        if theme_links or code_links or subthemes or memo_links:
            links = SubElement(root, f"{Q}Links")
            for memo, case_id in memo_links:  # REFI-QDA cases take no NoteRef: a Link from the note to its case
                SubElement(links, f"{Q}Link", {"guid": ids("case-memo", memo.id), "name": CASE_MEMO_LINK,
                                               "direction": "OneWay", "originGUID": memo_guid[memo.id],
                                               "targetGUID": case_guid[case_id]})
            for theme, parent_id in subthemes:  # REFI-QDA Sets have no hierarchy: a subtheme links to its theme
                SubElement(links, f"{Q}Link", {"guid": ids("subtheme", theme.id), "name": SUBTHEME_LINK,
                                               "direction": "OneWay", "originGUID": theme_guid[theme.id],
                                               "targetGUID": theme_guid[parent_id]})
            for link in theme_links:
                link_guid[("theme", link.id)] = ids("theme-link", link.id)
                SubElement(links, f"{Q}Link", {"guid": link_guid[("theme", link.id)], "name": link.label,
                                               "direction": "OneWay", "originGUID": theme_guid[link.source_id],
                                               "targetGUID": theme_guid[link.target_id]})
            for code_link in code_links:
                SubElement(links, f"{Q}Link", {"guid": ids("code-link", code_link.id), "name": code_link.label,
                                               "direction": "OneWay", "originGUID": code_guid[code_link.source_id],
                                               "targetGUID": code_guid[code_link.target_id]})
        groups = exchange_store.code_groups(session)
        if themes or groups:
            sets = SubElement(root, f"{Q}Sets")
            for theme in themes:
                element = SubElement(sets, f"{Q}Set", {"guid": theme_guid[theme.id], "name": theme.name})
                description = theme_description(theme.definition, theme.story, theme.status)
                if description:
                    SubElement(element, f"{Q}Description").text = description
                for code_id in sorted(members.get(theme.id, [])):
                    SubElement(element, f"{Q}MemberCode", {"targetGUID": code_guid[code_id]})
                for memo_id in theme_memos.get(theme.id, []):
                    SubElement(element, f"{Q}MemberNote", {"targetGUID": memo_guid[memo_id]})
                if theme.id in summaries:
                    SubElement(element, f"{Q}MemberNote", {"targetGUID": summaries[theme.id]})
            for group, code_ids in groups:
                element = SubElement(sets, f"{Q}Set", {"guid": ids("code-group", group.name, group.guid),
                                                       "name": group.name})
                if group.description:
                    SubElement(element, f"{Q}Description").text = group.description
                for code_id in code_ids:
                    SubElement(element, f"{Q}MemberCode", {"targetGUID": code_guid[code_id]})
    if themes:
        _map_graph(project, root, ids, theme_guid, code_guid, infos, link_guid)
    lead, statuses = _project_data(project)
    if lead or statuses:
        SubElement(root, f"{Q}Description").text = project_data_description(lead, statuses)
    for memo_id in project_level:
        SubElement(root, f"{Q}NoteRef", {"targetGUID": memo_guid[memo_id]})
    register_namespace("", NS)
    xml = b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    return write_private(out, buffer.getvalue())


def _map_graph(project: Project, root: Element, ids: _Ids, theme_guid: dict[int, str], code_guid: dict[int, str],
               infos, link_guid: dict[tuple[str, int], str]) -> None:
    """The thematic map as a Graph: one vertex per theme and grouped code, at the layout's position."""
    from thematica.themes.data import load_material
    from thematica.themes.map_graph import build_graph, layout

    material = load_material(project)
    graph = build_graph(material)
    positions = layout(graph)
    themes = {theme.name: theme.id for theme in material.themes}
    codes = {info.path: info.id for info in infos}
    links = {(material.links[i][0], material.links[i][1], material.links[i][2]): i for i in range(len(material.links))}
    with project.reading() as session:
        link_ids = [link.id for link in theme_store.links(session)]
    element = SubElement(SubElement(root, f"{Q}Graphs"), f"{Q}Graph",
                         {"guid": ids("graph", "thematic map"), "name": "Thematic map"})
    vertex: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        kind, name = node.split(":", 1)
        represented = theme_guid[themes[name]] if kind == "theme" else code_guid[codes[name]]
        vertex[node] = ids("vertex", node)
        SubElement(element, f"{Q}Vertex", {
            "guid": vertex[node], "representedGUID": represented, "name": data["label"],
            "firstX": str(round(x * SCALE)), "firstY": str(round(y * SCALE)),
            "secondX": str(round(x * SCALE) + 160), "secondY": str(round(y * SCALE) + 40),
            "shape": "RoundedRectangle" if kind == "theme" else "Rectangle"})
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        attributes = {"guid": ids("edge", f"{source}->{target}:{index}"), "sourceVertex": vertex[source],
                      "targetVertex": vertex[target], "direction": "OneWay",
                      "name": data.get("label") or ("contains" if data["kind"] == "contains" else "")}
        if data["kind"] == "link":
            key = (source.split(":", 1)[1], target.split(":", 1)[1], data.get("label", ""))
            if key in links and links[key] < len(link_ids):
                attributes["representedGUID"] = link_guid[("theme", link_ids[links[key]])]
        SubElement(element, f"{Q}Edge", attributes)


def _project_data(project: Project) -> tuple[str | None, list[tuple[str, str, str]]]:
    """The lead's name and every (document, coder, status) mark, for the project's Description."""
    from thematica.coding.visibility import lead

    with project.reading() as session:
        chief = lead(session)
        names = {coder.id: coder.name for coder in coder_store.all_coders(session)}
        documents = {document.id: document.name for document in document_store.all_documents(session)}
        marks = sorted((documents[d], names[c], status) for (d, c), status in
                       segment_store.all_document_statuses(session).items() if d in documents and c in names)
    return (chief.name if chief else None), marks


def export_losses(project: Project) -> list[str]:
    """What a .qdpx cannot hold, as the standard's §7 asks an exporting tool to say. Case memos are
    carried (a Note linked to its Case, and the Case's Description), so they are not listed; the lead and
    the document status marks are in the project's Description, which only Thematica reads back."""
    reasons = {"exemplars": "exemplar marks", "consensus decisions": "the consensus log",
               "trial participants": "the trial data", "codebook snapshots": "codebook snapshots"}
    with project.reading() as session:
        counts = exchange_store.rows_outside_the_standard(session)
    losses = [f"{count} {name} not in the file (REFI-QDA has no place for {reasons[name]})"
              for name, count in counts.items() if count and name in reasons]
    chief, marks = _project_data(project)
    held = [f"{len(marks)} document status marks"] * bool(marks) + [f"the lead {chief!r}"] * bool(chief)
    if held:
        losses.append(f"{' and '.join(held)} for other tools (REFI-QDA has no place for them; Thematica reads "
                      "them back from the project's Description)")
    return losses
