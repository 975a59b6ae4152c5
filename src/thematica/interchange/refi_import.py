"""Reading a REFI-QDA project (.qdpx) as the tools that write it actually write it.

Positions: the standard counts code points (§10.2), but NVivo counts UTF-16 code units and
ATLAS.ti counts a CRLF line break as one character. The writing tool is read from
``Project@origin``; ``counting`` overrides it. Each selection goes through the tool's counting to
a code-point index into the text as written, then through the position map of newline and NFC
normalisation (``corpus.position_map``), so it covers the same characters in Thematica as in the
tool. The report says which counting was used and how many codings landed elsewhere than a
code-point reading would have put them.

Nothing is dropped without a word (§7, "Data loss"): users become coders with their GUIDs,
``isCodable="false"`` codes become categories that cannot be applied, Sets become themes (codes
only) or code groups, Links between codes or themes become code or theme links, notes are
attached to what their ``NoteRef`` names (a selection's note becomes an annotation on its span)
or to the case a ``Link`` from the note names (cases take no ``NoteRef``), a Case's or TextSource's
``Description`` becomes its memo (QualCoder writes case and source memos there),
and whatever still cannot be carried (graphs, media sources, links to other objects) is listed in
the report. Zero-length selections are skipped with a warning; two sources or two sibling codes
with the same name stay distinct (``name (2)``), and the report says which. A code name that
Thematica's ``--for qualcoder`` export made unique with its parent's name (``Overig (Context)``
under ``Context``) is read back as it was (``Overig``).

The whole import is one transaction: every reference is checked while parsing, and any refusal
while writing rolls everything back, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from thematica.corpus.importer import add_document, normalise_text, sha256_text
from thematica.corpus.segmentation import UnitSpan, segment_text
from thematica.corpus.turns import parse_turns
from thematica.corpus.position_map import Counting, build_position_map, unit_index, written_span
from thematica.corpus.archives import open_archive, read_member
from thematica.corpus.decoding import check_controls, decode_utf8
from thematica.coding.coders import checked_coder_name, is_consensus_name
from thematica.errors import ThematicaError
from thematica.names import MAX_CODE_DEPTH
from thematica.interchange.refi_common import (
    ATTRIBUTE_TYPES, KNOWN_PROJECT_NAMESPACES, MEMO_SEPARATOR, PATH_MARK, SUBTHEME_LINK, colour, distinct_name,
    local_name, namespace_of, parse_project_data, parse_xml, reference, split_description, split_theme_description,
    valid_guid,
)
from thematica.store import audit, cases as case_store, coders as coder_store, codes as code_store
from thematica.store import documents as document_store, interchange as exchange_store
from thematica.store import segments as segment_store, themes as theme_store
from thematica.store.models import Code, Document, Theme
from thematica.store.project import Project

OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


@dataclass(frozen=True)
class ParsedCode:
    key: str
    guid: str | None
    name: str
    parent: str | None
    colour: str
    description: str
    codable: bool


@dataclass(frozen=True)
class ParsedSelection:
    source: str
    key: str
    guid: str | None
    start: int
    end: int
    codings: tuple[tuple[str, str], ...]  # (code key, user key)
    description: str
    user: str
    notes: tuple[str, ...]
    moved: bool


@dataclass(frozen=True)
class ParsedNote:
    key: str
    guid: str | None
    name: str
    text: str
    user: str
    created: datetime | None


@dataclass(frozen=True)
class ParsedSet:
    key: str
    guid: str | None
    name: str
    description: str
    codes: tuple[str, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ParsedCase:
    key: str
    label: str
    values: dict[str, str]
    sources: tuple[str, ...]
    description: str  # QualCoder writes a case's memo here


@dataclass(frozen=True)
class ParsedLink:
    key: str
    name: str
    origin: str
    target: str
    notes: tuple[str, ...]


@dataclass
class ParsedProject:
    origin: str = ""
    counting: Counting = Counting.codepoints
    counting_reason: str = ""
    users: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key -> (name, guid)
    codes: list[ParsedCode] = field(default_factory=list)
    code_notes: dict[str, list[str]] = field(default_factory=dict)
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    cases: list[ParsedCase] = field(default_factory=list)
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # key, document name, stored text
    source_notes: dict[str, list[str]] = field(default_factory=dict)
    source_descriptions: dict[str, str] = field(default_factory=dict)
    selections: list[ParsedSelection] = field(default_factory=list)
    notes: dict[str, ParsedNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    sets: list[ParsedSet] = field(default_factory=list)
    links: list[ParsedLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    lead: str | None = None  # Thematica's own project data (Project/Description), see refi_common
    statuses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return sum(len(selection.codings) for selection in self.selections if selection.moved)


@dataclass(frozen=True)
class QdpxImport:
    """What an import did, as §7 of the standard asks the importing software to say.

    ``documents``, ``codes`` and ``cases`` count what the file holds; the ``_added`` counts (and
    ``segments_added``, ``themes``, ``code_groups``, ``links``, ``memos``) what this import wrote; the
    ``_present`` counts what the file holds that the project had already (the same document text, a
    code of the same GUID or path, a case of the same label, a coding of the same coder, code and
    span), skipped. A second import of the same file adds nothing and says that it skipped it all.
    """

    documents: int
    segments_added: int
    codes: int
    cases: int
    counting: str
    counting_reason: str
    codings_moved: int
    themes: int = 0
    code_groups: int = 0
    links: int = 0
    memos: int = 0
    annotations: int = 0
    coders: tuple[str, ...] = ()
    renamed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    not_carried: tuple[str, ...] = ()
    documents_added: int = 0
    codes_added: int = 0
    cases_added: int = 0
    documents_present: int = 0
    codes_present: int = 0
    cases_present: int = 0
    codings_present: int = 0
    themes_present: int = 0
    code_groups_present: int = 0

    @property
    def anything_present(self) -> bool:
        return any((self.documents_present, self.codes_present, self.cases_present, self.codings_present,
                    self.themes_present, self.code_groups_present))

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def detect_counting(origin: str) -> tuple[Counting, str]:
    """The counting the writing tool uses, from ``Project@origin`` (the standard's when unknown)."""
    lowered = origin.lower()
    if "nvivo" in lowered:
        return Counting.utf16, f"Project@origin {origin!r}: NVivo counts UTF-16 code units"
    if "atlas.ti" in lowered or "atlasti" in lowered:
        return Counting.crlf_as_one, f"Project@origin {origin!r}: ATLAS.ti counts a CRLF line break as one"
    shown = f"Project@origin {origin!r}" if origin else "no Project@origin"
    return Counting.codepoints, f"{shown}: code points, as the standard says"


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
        return parse_xml(read_member(archive, preferred, path), f"{path}:{preferred}"), files


def _internal_text(files: dict[str, bytes], element: Element, key: str, where: str, q: str) -> str | None:
    text = element.findtext(f"{q}PlainTextContent")
    if text is not None:
        return text
    target = (element.get("plainTextPath") or "").replace("internal://", "").lower()
    raw = files.get(target) or files.get(f"{key}.txt")
    if raw is None:
        return None
    return decode_utf8(raw, Path(f"{where}:sources/{target or key}")).text  # strict, the bad byte named


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_qdpx(path: Path, counting: Counting | None = None) -> ParsedProject:
    """Parse and check the whole archive (nothing is written); ``counting`` overrides the origin's."""
    path = Path(path)
    where = str(path)
    root, files = _read_archive(path)
    namespace = namespace_of(root)
    if local_name(root) != "Project" or namespace not in KNOWN_PROJECT_NAMESPACES:
        raise ThematicaError(f"not a REFI-QDA project (root element {root.tag}, expected "
                             f"{{{KNOWN_PROJECT_NAMESPACES[0]}}}Project)", path=where)
    q = f"{{{namespace}}}"
    parsed = ParsedProject(origin=root.get("origin") or "")
    if counting is None:
        parsed.counting, parsed.counting_reason = detect_counting(parsed.origin)
    else:
        parsed.counting, parsed.counting_reason = counting, f"--positions {counting.value}"
    user_names: set[str] = set()
    for user in root.iterfind(f"{q}Users/{q}User"):
        name = (user.get("name") or user.get("id") or "unknown").strip() or "unknown"
        distinct = distinct_name(name, user_names)
        if distinct != name:  # two people of one name must not merge into one coder
            parsed.renamed.append(f"user {name!r}: another user has the same name, imported as coder {distinct!r}")
        user_names.add(distinct)
        parsed.users[reference(user.get("guid"))] = (distinct, valid_guid(user.get("guid")))
    if parsed.origin.startswith("Thematica"):
        parsed.lead, parsed.statuses = parse_project_data(root.findtext(f"{q}Description") or "")
    _parse_codes(root, q, parsed, str(path))
    for variable in root.iterfind(f"{q}Variables/{q}Variable"):
        parsed.variables[reference(variable.get("guid"))] = (variable.get("name", ""),
                                                             variable.get("typeOfVariable", "Text"))
    for note in root.iterfind(f"{q}Notes/{q}Note"):
        key = reference(note.get("guid"))
        parsed.notes[key] = ParsedNote(key, valid_guid(note.get("guid")), note.get("name") or "",
                                       _internal_text(files, note, key, where, q) or "",
                                       reference(note.get("creatingUser")), _datetime(note.get("creationDateTime")))
    _parse_sources(root, q, files, parsed, where)
    for case in root.iterfind(f"{q}Cases/{q}Case"):
        values = {}
        for holder in case.iterfind(f"{q}VariableValue"):
            ref = holder.find(f"{q}VariableRef")
            target = reference(ref.get("targetGUID") if ref is not None else "")
            value = next((child.text for child in holder if local_name(child) != "VariableRef"), None)
            if target in parsed.variables and value is not None:
                values[parsed.variables[target][0]] = value
        sources = tuple(reference(ref.get("targetGUID")) for ref in case.iterfind(f"{q}SourceRef"))
        parsed.cases.append(ParsedCase(reference(case.get("guid")), case.get("name") or case.get("guid") or "case",
                                       values, sources, (case.findtext(f"{q}Description") or "").strip()))
        if case.find(f"{q}SelectionRef") is not None or case.find(f"{q}CodeRef") is not None:
            parsed.not_carried.append(f"case {case.get('name')!r}: code and selection references "
                                      "(Thematica links cases to whole documents)")
    parsed.project_notes = [reference(ref.get("targetGUID")) for ref in root.iterfind(f"{q}NoteRef")]
    for set_ in root.iterfind(f"{q}Sets/{q}Set"):
        parsed.sets.append(ParsedSet(
            reference(set_.get("guid")), valid_guid(set_.get("guid")), set_.get("name") or "set",
            set_.findtext(f"{q}Description") or "",
            tuple(reference(m.get("targetGUID")) for m in set_.iterfind(f"{q}MemberCode")),
            tuple(reference(m.get("targetGUID")) for m in set_.iterfind(f"{q}MemberSource")),
            tuple(reference(m.get("targetGUID")) for m in set_.iterfind(f"{q}MemberNote"))))
    for link in root.iterfind(f"{q}Links/{q}Link"):
        parsed.links.append(ParsedLink(reference(link.get("guid")), link.get("name") or "",
                                       reference(link.get("originGUID")), reference(link.get("targetGUID")),
                                       tuple(reference(r.get("targetGUID")) for r in link.iterfind(f"{q}NoteRef"))))
    graphs = root.findall(f"{q}Graphs/{q}Graph")
    if graphs:
        parsed.not_carried.append(f"{len(graphs)} graph{'s' if len(graphs) != 1 else ''} not imported "
                                  "(Thematica draws its thematic map from the themes and their links)")
    _check_references(parsed, where)
    return parsed


def _without_parent(written: str, path: tuple[str, ...]) -> str:
    """``written`` without the parent that ``refi_export.unique_code_names`` appended ("Overig (Context)" under
    Context, "Overig (Ervaring > Context)"); ``written`` itself when it ends in neither."""
    for suffix in (f" ({path[-1]})", f" ({PATH_MARK.join(path)})") if path else ():
        if written.endswith(suffix) and len(written) > len(suffix):
            return written[:-len(suffix)]
    return written


def _names_without_parent(element: Element, q: str, path: tuple[str, ...] = ()) -> Counter[str]:
    """How often each code name occurs in the codebook once the appended parents are taken off. The export
    appends a parent only to a name used more than once, so a name that is then still used once was
    written so by its author (a code "Steun (Groep)" under "Groep") and is kept as it is."""
    counts: Counter[str] = Counter()
    if len(path) >= MAX_CODE_DEPTH:  # too deep: the walk refuses the codebook
        return counts
    for code in element.iterfind(f"{q}Code"):
        name = _without_parent((code.get("name") or "").strip(), path)
        counts[name] += 1
        counts.update(_names_without_parent(code, q, path + (name,)))
    return counts


def _parse_codes(root: Element, q: str, parsed: ParsedProject, where: str = "") -> None:
    ours_for_qualcoder = parsed.origin.startswith("Thematica") and "for QualCoder" in parsed.origin
    codes_root = root.find(f"{q}CodeBook/{q}Codes")
    shared = _names_without_parent(codes_root, q) if ours_for_qualcoder and codes_root is not None else Counter()

    def walk(element: Element, parent: str | None, depth: int = 0, path: tuple[str, ...] = ()) -> None:
        if depth >= MAX_CODE_DEPTH and element.find(f"{q}Code") is not None:
            raise ThematicaError(f"the codebook nests codes deeper than {MAX_CODE_DEPTH} levels", path=where or None)
        siblings: set[str] = set()
        for code in element.iterfind(f"{q}Code"):
            written = (code.get("name") or "").strip()
            if ours_for_qualcoder:  # undo the parent that made a shared name unique for QualCoder
                bare = _without_parent(written, path)
                written = bare if shared[bare] > 1 else written
            name = written.replace("/", "-").strip() or "unnamed"
            distinct = distinct_name(name, siblings)
            if distinct != name:
                parsed.renamed.append(f"code {name!r}: a sibling has the same name, imported as {distinct!r}")
            siblings.add(distinct)
            key = reference(code.get("guid"))
            parsed.codes.append(ParsedCode(key, valid_guid(code.get("guid")), distinct, parent,
                                           colour(code.get("color")), code.findtext(f"{q}Description") or "",
                                           (code.get("isCodable") or "true").strip().lower() not in ("false", "0")))
            parsed.code_notes[key] = [reference(r.get("targetGUID")) for r in code.iterfind(f"{q}NoteRef")]
            walk(code, key, depth + 1, path + (distinct,))

    if codes_root is not None:
        walk(codes_root, None)


def _parse_sources(root: Element, q: str, files: dict[str, bytes], parsed: ParsedProject, where: str) -> None:
    """Text sources, and the text representation of PDF sources (§10.3: PDF text selections are
    selections in that representation); pictures, audio and video are reported, not carried."""
    names: set[str] = set()
    sources = root.find(f"{q}Sources")
    if sources is None:
        return
    for kind in OTHER_SOURCES[1:]:
        found = sources.findall(f"{q}{kind}")
        if found:
            parsed.not_carried.append(f"{len(found)} {kind} source{'s' if len(found) != 1 else ''} not imported "
                                      "(Thematica codes text sources)")
    for source in sources:
        kind = local_name(source)
        if kind == "TextSource":
            _parse_text_source(source, source, q, files, parsed, where, names)
        elif kind == "PDFSource":
            representation = source.find(f"{q}Representation")
            regions = len(source.findall(f"{q}PDFSelection"))
            if representation is None:
                parsed.not_carried.append(f"PDF source {source.get('name')!r}: no text representation, not imported")
                continue
            if regions:
                parsed.not_carried.append(f"PDF source {source.get('name')!r}: {regions} page-region selection(s) "
                                          "not carried (its text representation's selections are)")
            _parse_text_source(source, representation, q, files, parsed, where, names)


def _parse_text_source(source: Element, text_element: Element, q: str, files: dict[str, bytes],
                       parsed: ParsedProject, where: str, names: set[str]) -> None:
    key = reference(source.get("guid"))
    given = source.get("name") or key
    text = _internal_text(files, text_element, reference(text_element.get("guid")) or key, where, q)
    if text is None:
        raise ThematicaError(f"text of source {given!r} is missing from the archive", path=where)
    text, _ = check_controls(text, Path(f"{where}:{given}"))
    name = given.rsplit(".", 1)[0] if given.lower().endswith((".txt", ".docx", ".rtf", ".odt", ".pdf")) else given
    distinct = distinct_name(name, names)
    if distinct != name:
        parsed.renamed.append(f"source {name!r}: another source has the same name, imported as {distinct!r}")
    names.add(distinct)
    mapping = build_position_map(text)
    parsed.sources.append((key, distinct, mapping.stored))
    holders = [source] if text_element is source else [source, text_element]
    parsed.source_notes[key] = [reference(r.get("targetGUID")) for holder in holders
                                for r in holder.iterfind(f"{q}NoteRef")]
    description = (source.findtext(f"{q}Description") or "").strip()
    if description:
        parsed.source_descriptions[key] = description
    index, total = unit_index(text, parsed.counting)
    plain, plain_total = unit_index(text, Counting.codepoints)
    for selection in text_element.iterfind(f"{q}PlainTextSelection"):
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            raise ThematicaError(f"selection without valid positions in {distinct!r}", path=where) from None
        if start == end:
            parsed.warnings.append(f"zero-length selection at {start} in {distinct!r} skipped")
            continue
        if start > end:
            raise ThematicaError(f"selection [{start}, {end}) in {distinct!r} ends before it starts", path=where)
        stored = mapping.span(*written_span(index, total, start, end, where))
        as_codepoints = (mapping.span(*written_span(plain, plain_total, start, end, where))
                         if end <= plain_total else None)
        codings = []
        notes = [reference(r.get("targetGUID")) for r in selection.iterfind(f"{q}NoteRef")]
        for coding in selection.iterfind(f"{q}Coding"):
            ref = coding.find(f"{q}CodeRef")
            user = reference(coding.get("creatingUser") or selection.get("creatingUser"))
            codings.append((reference(ref.get("targetGUID") if ref is not None else ""), user))
            notes.extend(reference(r.get("targetGUID")) for r in coding.iterfind(f"{q}NoteRef"))
        description = selection.findtext(f"{q}Description") or ""
        if not codings and not notes and not description:
            parsed.warnings.append(f"selection [{start}, {end}) in {distinct!r} has neither a coding nor a note; "
                                   "skipped")
            continue
        parsed.selections.append(ParsedSelection(
            key, reference(selection.get("guid")), valid_guid(selection.get("guid")), stored[0], stored[1],
            tuple(codings), description, reference(selection.get("creatingUser")), tuple(notes),
            as_codepoints != stored))
    if source.find(f"{q}Coding") is not None or text_element.find(f"{q}Coding") is not None:
        parsed.not_carried.append(f"source {distinct!r}: codings of the whole source (code a span instead)")


def _check_references(parsed: ParsedProject, where: str) -> None:
    known_codes = {code.key for code in parsed.codes}
    for selection in parsed.selections:
        for code_key, _ in selection.codings:
            if code_key not in known_codes:
                raise ThematicaError(f"a coding refers to an unknown code {code_key}", path=where)


# ------------------------------------------------------------------------------------------ writing
def import_qdpx(path: Path, project: Project, actor: str = "system", *, counting: Counting | None = None,
                sets_as: str = "themes") -> QdpxImport:
    """Import a .qdpx into a (new or existing) project in one transaction; see the module docstring."""
    if sets_as not in ("themes", "groups"):
        raise ThematicaError("--sets must be 'themes' or 'groups'")
    parsed = parse_qdpx(Path(path), counting)
    # segmenting takes seconds per long source: done before the (one, atomic) transaction takes the write lock
    units = {key: segment_text(stored, "nl", parse_turns(stored))
             for key, _, text in parsed.sources for stored in [normalise_text(text)] if stored.strip()}
    with project.transaction() as session:
        writer = _Writer(session, parsed, actor, str(path), sets_as, units)
        result = writer.write()
        audit.record(session, actor, "qdpx.import", "project", None, file=str(path), segments_added=result.segments_added,
                     counting=parsed.counting.value, codings_moved=parsed.moved)
    return result


class _Writer:
    def __init__(self, session, parsed: ParsedProject, actor: str, where: str, sets_as: str,
                 units: dict[str, list[UnitSpan]] | None = None) -> None:
        self.units = units or {}
        self.session = session
        self.parsed = parsed
        self.actor = actor
        self.where = where
        self.sets_as = sets_as
        self.coders: dict[str, int] = {}
        self.code_ids: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.theme_ids: dict[str, int] = {}
        self.case_ids: dict[str, int] = {}
        self.case_notes: dict[str, list[str]] = {}  # case key -> texts of the notes linked to it
        self.renamed = list(parsed.renamed)
        self.not_carried = list(parsed.not_carried)
        self.memos = 0
        self.annotations = 0
        self.attached: set[str] = set()

    def write(self) -> QdpxImport:
        parsed = self.parsed
        before = exchange_store.row_counts(self.session)  # an import only adds rows: after − before is what it wrote
        for key, (name, _) in parsed.users.items():
            if not (parsed.origin.startswith("Thematica") and name == "Thematica"):  # our stand-in author
                self.coder(key)
        self._write_documents()
        self._write_codes()
        added = self._write_selections()
        self._write_cases()
        themes, groups = self._write_sets()
        links = self._write_links()
        self._write_notes()
        self._write_descriptions()
        self._write_project_data()
        after = exchange_store.row_counts(self.session)
        new = {table: after[table] - before[table] for table in after}
        codings = sum(len(selection.codings) for selection in parsed.selections)
        return QdpxImport(
            len(parsed.sources), added, len(parsed.codes), len(parsed.cases), parsed.counting.value,
            parsed.counting_reason, parsed.moved, new["theme"], new["code_group"], links, self.memos, self.annotations,
            tuple(sorted({name for name, _ in parsed.users.values()})), tuple(self.renamed), tuple(parsed.warnings),
            tuple(self.not_carried), documents_added=new["document"], codes_added=new["code"], cases_added=new["case"],
            documents_present=len(parsed.sources) - new["document"], codes_present=len(parsed.codes) - new["code"],
            cases_present=len(parsed.cases) - new["case"], codings_present=codings - added,
            themes_present=themes - new["theme"], code_groups_present=groups - new["code_group"])

    def _write_project_data(self) -> None:
        """The lead and the document status marks of a Thematica export. A project that has a lead keeps
        it (only a lead hands the role on); a mark the project already has is kept."""
        from thematica.coding.visibility import LEAD_SETTING, lead
        from thematica.store import settings
        from thematica.vocabulary import DocumentStatus

        user_keys = {name: key for key, (name, _) in self.parsed.users.items()}
        document_keys = {name: key for key, name, _ in self.parsed.sources}
        if self.parsed.lead and self.parsed.lead in user_keys:
            chief, wanted = lead(self.session), self.coder(user_keys[self.parsed.lead])
            if chief is None:
                settings.set_setting(self.session, LEAD_SETTING, wanted)
                audit.record(self.session, self.actor, "project.lead", "coder", wanted, before=None,
                             after=self.parsed.lead, source="qdpx")
            elif chief.id != wanted:
                self.not_carried.append(f"lead {self.parsed.lead!r}: this project's lead is {chief.name!r} (to hand "
                                        f"the role on: thematica lead PROJECT {self.parsed.lead} --as {chief.name})")
        marks = segment_store.all_document_statuses(self.session)
        known = {status.value for status in DocumentStatus}
        for document, coder, status in self.parsed.statuses:
            if document not in document_keys or coder not in user_keys or status not in known:
                continue
            key = (self.documents[document_keys[document]], self.coder(user_keys[coder]))
            if key not in marks:
                segment_store.set_document_status(self.session, key[0], key[1], status)
                marks[key] = status

    def coder(self, key: str) -> int:
        if key not in self.coders:
            name, guid = self.parsed.users.get(key, (key or "unknown", None))
            row = exchange_store.coder_by_guid(self.session, guid) if guid else None
            if row is None:
                if is_consensus_name(name):  # e.g. a "Consensus" user: Thematica's consensus codings are written
                    name = f"imported {name}"  # only by the decisions of a meeting, never by an import
                row = coder_store.get_or_create_coder(self.session, checked_coder_name(name))
                if guid and row.guid is None:
                    row.guid = guid
            self.coders[key] = row.id
        return self.coders[key]

    def _write_documents(self) -> None:
        taken = {document.name: document.sha256 for document in document_store.all_documents(self.session)}
        for key, name, text in self.parsed.sources:
            final = name
            if name in taken and taken[name] != sha256_text(text):
                final = distinct_name(name, set(taken))
                self.renamed.append(f"source {name!r}: the project has a different document of that name, "
                                    f"imported as {final!r}")
            add_document(self.session, final, text, actor=self.actor, source_path=self.where, source_format="qdpx",
                         units=self.units.get(key))
            taken[final] = sha256_text(text)
            document = document_store.document_by_name(self.session, final)
            assert document is not None
            self.documents[key] = document.id

    def _write_codes(self) -> None:
        for code in self.parsed.codes:
            existing = exchange_store.code_by_guid(self.session, code.guid) if code.guid else None
            parent_id = self.code_ids.get(code.parent) if code.parent is not None else None
            if existing is None:
                existing = code_store.child_by_name(self.session, parent_id, code.name)
            if existing is None:
                fields = split_description(code.description)
                existing = Code(name=code.name, parent_id=parent_id,
                                color=code.colour or self._inherited_colour(parent_id),
                                position=code_store.next_code_position(self.session), is_codable=code.codable,
                                guid=code.guid, **fields)
                self.session.add(existing)
                self.session.flush()
                audit.record(self.session, self.actor, "code.create", "code", existing.id, name=code.name,
                             parent_id=parent_id)
            elif existing.guid is None and code.guid and exchange_store.code_by_guid(self.session, code.guid) is None:
                existing.guid = code.guid
            self.code_ids[code.key] = existing.id

    def _inherited_colour(self, parent_id: int | None) -> str:
        from thematica.coding.codebook import PALETTE

        if parent_id is not None:
            parent = self.session.get(Code, parent_id)
            return parent.color if parent is not None else PALETTE[0]
        return PALETTE[len(code_store.children(self.session, None)) % len(PALETTE)]

    def _write_selections(self) -> int:
        added = 0
        for selection in self.parsed.selections:
            document_id = self.documents[selection.source]
            for code_key, user in selection.codings:
                segment, inserted = segment_store.insert_segment_once(
                    self.session, document_id=document_id, coder_id=self.coder(user or selection.user),
                    code_id=self.code_ids[code_key], start=selection.start, end=selection.end,
                    memo=selection.description)
                if inserted and selection.guid and not segment_store.segment_guid_exists(self.session, selection.guid):
                    segment.guid = selection.guid
                    self.session.flush()
                added += inserted
            note_texts = {self.parsed.notes[key].text for key in selection.notes if key in self.parsed.notes}
            if not selection.codings and selection.description and selection.description not in note_texts:
                self._annotation(selection, None, selection.description)
            for note_key in selection.notes:
                note = self.parsed.notes.get(note_key)
                if note is None:
                    continue
                self.attached.add(note_key)
                if selection.codings and note.text == selection.description:
                    continue  # the same memo written twice (Description and a Note): one memo
                self._annotation(selection, note, note.text)
        return added

    def _annotation(self, selection: ParsedSelection, note: ParsedNote | None, text: str) -> None:
        if self._memo(note, text, document_id=self.documents[selection.source], start=selection.start,
                      end=selection.end, coder_key=(note.user if note else selection.user)):
            self.annotations += 1

    def _memo(self, note: ParsedNote | None, text: str, *, coder_key: str = "", **attached: object) -> bool:
        """Write the memo unless it was imported before; whether it was written."""
        guid = note.guid if note is not None else None
        title = note.name if note else ""
        if guid and exchange_store.memo_guid_exists(self.session, guid):
            return False  # imported before
        if exchange_store.memo_exists(self.session, title, text, **attached):
            return False  # imported before (a file whose notes have no GUIDs)
        extra: dict[str, object] = dict(attached)
        if coder_key:
            extra["coder_id"] = self.coder(coder_key)
        if note is not None and note.created is not None:
            extra["created_at"] = note.created
        exchange_store.add_memo(self.session, title, text, guid, **extra)
        self.session.flush()
        self.memos += 1
        return True

    def _write_cases(self) -> None:
        reverse = {v: k for k, v in ATTRIBUTE_TYPES.items()}
        types = {name: reverse.get(kind, "text") for name, kind in self.parsed.variables.values()}
        for parsed_case in self.parsed.cases:
            case = case_store.get_or_create_case(self.session, parsed_case.label)
            if parsed_case.key:
                self.case_ids[parsed_case.key] = case.id
            for name, value in parsed_case.values.items():
                attribute = case_store.get_or_create_attribute(self.session, name, types.get(name, "text"))
                case_store.set_case_value(self.session, case, attribute, value)
            for source in parsed_case.sources:
                if source in self.documents:
                    document = self.session.get(Document, self.documents[source])
                    document.case_id = case.id

    def _write_sets(self) -> tuple[int, int]:
        themes = groups = 0
        position = theme_store.next_theme_position(self.session)
        for set_ in self.parsed.sets:
            codes = [self.code_ids[key] for key in set_.codes if key in self.code_ids]
            if set_.sources:
                self.not_carried.append(f"set {set_.name!r}: {len(set_.sources)} source member(s) not carried "
                                        "(Thematica groups codes, not documents)")
            if set_.sources and not codes:
                continue
            if self.sets_as == "groups":
                group = exchange_store.get_or_create_code_group(self.session, set_.name, set_.description, set_.guid)
                for code_id in codes:
                    exchange_store.add_code_group_member(self.session, group.id, code_id)
                groups += 1
                notes_target: dict[str, object] = {}
            else:
                definition, story, status = split_theme_description(set_.description)
                theme = exchange_store.get_or_create_theme(self.session, set_.name, definition, position)
                if not theme.story and story:
                    theme.story = story
                if theme.status == "candidate":
                    theme.status = status
                position += 1
                for code_id in codes:
                    theme_store.add_membership(self.session, theme.id, code_id)
                self.theme_ids[set_.key] = theme.id
                themes += 1
                notes_target = {"theme_id": theme.id}
            for note_key in set_.notes:
                note = self.parsed.notes.get(note_key)
                if note is not None:
                    self.attached.add(note_key)
                    if self.parsed.origin.startswith("Thematica") and note.name == f"Theme: {set_.name}":
                        continue  # our own summary of the theme for QualCoder: the theme itself is the Set
                    self._memo(note, note.text, coder_key=note.user, **notes_target)
        self.session.flush()
        return themes, groups

    def _write_links(self) -> int:
        selections = {selection.key: selection for selection in self.parsed.selections}
        written = 0
        for link in self.parsed.links:
            ends = (link.origin, link.target)
            if all(end in self.code_ids for end in ends):
                written += exchange_store.add_code_link_once(self.session, self.code_ids[link.origin],
                                                             self.code_ids[link.target], link.name)
            elif all(end in self.theme_ids for end in ends) and link.name == SUBTHEME_LINK:
                child = self.session.get(Theme, self.theme_ids[link.origin])
                if child is not None and child.parent_id is None and link.origin != link.target:
                    child.parent_id = self.theme_ids[link.target]
                    written += 1
            elif all(end in self.theme_ids for end in ends):
                written += exchange_store.add_theme_link_once(self.session, self.theme_ids[link.origin],
                                                              self.theme_ids[link.target], link.name)
            elif any(end in self.parsed.notes for end in ends):
                note_key, other = ends if link.origin in self.parsed.notes else ends[::-1]
                note = self.parsed.notes[note_key]
                self.attached.add(note_key)
                if other in selections:
                    self._annotation(selections[other], note, note.text)
                else:
                    if other in self.case_ids:
                        self.case_notes.setdefault(other, []).append(note.text)
                    self._memo(note, note.text, coder_key=note.user, **self._object_of(other))
                continue
            else:
                self.not_carried.append(f"link {link.name or link.key!r}: between objects other than two codes "
                                        "or two themes")
                continue
            for note_key in link.notes:
                if note_key in self.parsed.notes:
                    self.not_carried.append(f"note {self.parsed.notes[note_key].name!r} on link "
                                            f"{link.name or link.key!r} kept as a project memo")
        self.session.flush()
        return written

    def _object_of(self, key: str) -> dict[str, object]:
        if key in self.documents:
            return {"document_id": self.documents[key]}
        if key in self.code_ids:
            return {"code_id": self.code_ids[key]}
        if key in self.theme_ids:
            return {"theme_id": self.theme_ids[key]}
        if key in self.case_ids:
            return {"case_id": self.case_ids[key]}
        return {}

    def _write_notes(self) -> None:
        targets: list[tuple[str, dict[str, object]]] = []
        for key, notes in self.parsed.source_notes.items():
            targets.extend((note, {"document_id": self.documents[key]}) for note in notes)
        for key, notes in self.parsed.code_notes.items():
            targets.extend((note, {"code_id": self.code_ids[key]}) for note in notes)
        targets.extend((note, {}) for note in self.parsed.project_notes)
        for note_key, attached in targets:
            note = self.parsed.notes.get(note_key)
            if note is not None:
                self.attached.add(note_key)
                self._memo(note, note.text, coder_key=note.user, **attached)
        for note_key, note in self.parsed.notes.items():
            if note_key not in self.attached:
                self._memo(note, note.text, coder_key=note.user)

    def _write_descriptions(self) -> None:
        """A Case's or TextSource's ``Description`` is its memo (QualCoder writes case and source memos
        there); when it only repeats the notes attached to that case or source (as Thematica writes
        it, for QualCoder), those notes are the memos and the Description adds nothing."""
        for parsed_case in self.parsed.cases:
            if parsed_case.description and parsed_case.key in self.case_ids and parsed_case.description != \
                    _joined(self.case_notes.get(parsed_case.key, [])):
                self._memo(None, parsed_case.description, case_id=self.case_ids[parsed_case.key])
        for key, description in self.parsed.source_descriptions.items():
            attached = [self.parsed.notes[note].text for note in self.parsed.source_notes.get(key, [])
                        if note in self.parsed.notes]
            if key in self.documents and description != _joined(attached):
                self._memo(None, description, document_id=self.documents[key])


def _joined(texts: list[str]) -> str:
    """Memo texts as an exporter joins them into one Description (``MEMO_SEPARATOR``)."""
    return MEMO_SEPARATOR.join(text.strip() for text in texts).strip()
