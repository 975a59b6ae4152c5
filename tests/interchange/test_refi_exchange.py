"""REFI-QDA: nothing dropped silently, tolerant where the writers are, atomic, and exports others import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematica.coding.segments import apply_code
from thematica.errors import ThematicaError
from thematica.interchange.codebook import import_codebook
from thematica.interchange.codings_csv import export_rows
from thematica.interchange.refi_qda import export_qdpx, import_qdpx
from thematica.store import interchange as exchange_store, themes as theme_store
from thematica.store.project import open_project

from .conftest import USER, build_qdpx, selection

ANNA = "aaaaaaaa-1111-4222-8333-444444444444"
TEXT = "I: Hoe was het?\nR: Spannend. Later voelde ik me veilig.\nI: En de groep?\nR: Die hielp echt.\n"
CODES = """<CodeBook><Codes>
  <Code guid="c1" name="Ervaring" isCodable="false" color="#00F">
    <Description>Wat deelnemers meemaakten</Description>
    <Code guid="c2" name="Veiligheid" isCodable="true"><NoteRef targetGUID="n-code"/></Code>
    <Code guid="c3" name="Veiligheid" isCodable="true"/>
  </Code>
  <Code guid="c4" name="Groep" isCodable="true"/>
</Codes></CodeBook>"""
NOTES = """
<Note guid="n-code" name="over veiligheid" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00Z">
  <PlainTextContent>Veiligheid komt laat.</PlainTextContent></Note>
<Note guid="n-sel" name="annotatie" creatingUser="{user}"><PlainTextContent>Let op de toon.</PlainTextContent></Note>
<Note guid="n-doc" name="over R1"><PlainTextContent>Eerste interview.</PlainTextContent></Note>
<Note guid="n-project" name="project"><PlainTextContent>Pilotstudie.</PlainTextContent></Note>
<Note guid="n-set" name="thema-memo"><PlainTextContent>Kern van het thema.</PlainTextContent></Note>
""".format(user=USER)
EXTRA = """
<Links><Link guid="l1" name="leidt tot" direction="OneWay" originGUID="c2" targetGUID="c4"/>
  <Link guid="l2" name="thema's" originGUID="s1" targetGUID="s2"/>
  <Link guid="l3" name="vreemd" originGUID="c2" targetGUID="src1"/></Links>
<Sets><Set guid="s1" name="Veilig worden"><Description>Van spanning naar veiligheid</Description>
    <MemberCode targetGUID="c2"/><MemberNote targetGUID="n-set"/></Set>
  <Set guid="s2" name="Groepssteun"><MemberCode targetGUID="c4"/></Set>
  <Set guid="s3" name="Documentset"><MemberSource targetGUID="src1"/></Set></Sets>
<Graphs><Graph guid="g1" name="kaart"/><Graph guid="g2" name="kaart 2"/><Graph guid="g3" name="kaart 3"/></Graphs>
<NoteRef targetGUID="n-project"/>"""


def rich_file(tmp_path: Path) -> Path:
    """Everything the issue lists as dropped: sets, links, users, isCodable=false, NoteRefs, note-only
    selections; plus non-GUID ids, zero-length selections, same-name sources and sibling codes."""
    users = f'<Users><User guid="{USER}" name="Mirjam"/><User guid="{ANNA}" name="Anna"/></Users>'
    start = TEXT.index("Later voelde")
    quote = "Later voelde ik me veilig."
    group = TEXT.index("Die hielp echt.")
    first = [selection("sel-1", start, start + len(quote), code="c2", inner="<Description>veilig!</Description>"),
             selection("sel-2", group, group + 15, code="c4", user=ANNA),
             selection("sel-3", 19, 28, code=None, after='<NoteRef targetGUID="n-sel"/>'),
             selection("sel-4", 5, 5, code="c3")]
    second = [selection("sel-5", 0, 2, code="c3")]
    return build_qdpx(tmp_path / "rich.qdpx", origin="MAXQDA 2022", users=users, codes=CODES, notes=NOTES,
                      extra=EXTRA, sources=[
                          {"guid": "src1", "name": "R1.txt", "text": TEXT, "selections": first,
                           "tail": '<NoteRef targetGUID="n-doc"/>'},
                          {"guid": "src2", "name": "R1.txt", "text": TEXT.replace("groep", "therapie"),
                           "selections": second}])


def test_nothing_is_dropped_silently(tmp_path):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_qdpx(rich_file(tmp_path), project)
        with project.reading() as session:
            memos = {memo.title: memo for memo in exchange_store.project_memos(session)}
            themes = {theme.name: theme for theme in theme_store.all_themes(session)}
            members = theme_store.memberships(session)
            theme_links = [(l.source_id, l.target_id, l.label) for l in theme_store.links(session)]
            code_links = [l.label for l in exchange_store.code_links(session)]
            from thematica.store import coders as coder_store, codes as code_store

            coders = {c.name: c.guid for c in coder_store.all_coders(session)}
            codes = {code_store.code_paths(code_store.all_codes(session))[c.id]: c for c in code_store.all_codes(session)}
        rows = sorted((r.document, r.code, r.coder, TEXT[r.start:r.end] if r.document == "R1" else r.start)
                      for r in export_rows(project))
    assert coders == {"Mirjam": USER, "Anna": ANNA}
    assert not codes["Ervaring"].is_codable and codes["Ervaring/Veiligheid"].is_codable
    assert "Ervaring/Veiligheid (2)" in codes  # same-name siblings stay distinct
    assert rows == [("R1", "Ervaring/Veiligheid", "Mirjam", "Later voelde ik me veilig."),
                    ("R1", "Groep", "Anna", "Die hielp echt."), ("R1 (2)", "Ervaring/Veiligheid (2)", "Mirjam", 0)]
    assert set(themes) == {"Veilig worden", "Groepssteun"} and themes["Veilig worden"].definition.startswith("Van")
    assert members[themes["Veilig worden"].id] == [codes["Ervaring/Veiligheid"].id]
    assert theme_links == [(themes["Veilig worden"].id, themes["Groepssteun"].id, "thema's")]
    assert code_links == ["leidt tot"]
    assert memos["over veiligheid"].code_id == codes["Ervaring/Veiligheid"].id
    assert memos["over veiligheid"].created_at.year == 2024
    note = memos["annotatie"]
    assert (note.document_id, TEXT[note.start:note.end]) == (1, "Spannend.") and note.coder_id is not None
    assert memos["over R1"].document_id == 1 and memos["thema-memo"].theme_id == themes["Veilig worden"].id
    assert memos["project"].document_id is None and memos["project"].code_id is None
    assert result.annotations == 1
    assert any("zero-length selection at 5" in line for line in result.warnings)
    assert any("'R1 (2)'" in line for line in result.renamed) and any("(2)" in line for line in result.renamed)
    assert "3 graphs not imported (Thematica draws its thematic map from the themes and their links)" in result.not_carried
    assert any("Documentset" in line for line in result.not_carried)
    assert any("vreemd" in line for line in result.not_carried)


def test_a_category_that_is_not_codable_cannot_be_applied(tmp_path):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        with pytest.raises(ThematicaError, match="cannot be applied"):
            apply_code(project, 1, "Mirjam", 0, 5, code_path="Ervaring")


def test_sets_as_groups(tmp_path):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_qdpx(rich_file(tmp_path), project, sets_as="groups")
        with project.reading() as session:
            groups = {group.name: codes for group, codes in exchange_store.code_groups(session)}
            assert theme_store.all_themes(session) == []
    assert result.code_groups == 2 and set(groups) == {"Veilig worden", "Groepssteun"}


def test_importing_twice_adds_nothing_and_says_so(tmp_path):
    """The first import reports the file's documents, codes, cases, codings and themes as added (the
    rows it wrote); the second adds no row and reports all of them as already present, skipped."""
    with open_project(tmp_path / "p.thematica", create=True) as project:
        first = import_qdpx(rich_file(tmp_path), project)
        with project.reading() as session:
            before = exchange_store.row_counts(session)
        again = import_qdpx(rich_file(tmp_path), project)
        with project.reading() as session:
            assert exchange_store.row_counts(session) == before
    codings = before["segment"]
    assert (first.documents_added, first.codes_added, first.cases_added, first.segments_added, first.themes) == (
        before["document"], before["code"], before["case"], codings, before["theme"])
    assert first.documents_added == first.documents > 0 and first.codes_added == first.codes > 0 and codings > 0
    assert not first.anything_present
    assert (again.documents_added, again.codes_added, again.cases_added, again.segments_added, again.themes,
            again.code_groups, again.links, again.memos) == (0, 0, 0, 0, 0, 0, 0, 0)
    assert (again.documents_present, again.codes_present, again.cases_present, again.codings_present,
            again.themes_present) == (first.documents, first.codes, first.cases, codings, first.themes)
    assert again.anything_present


def test_the_import_command_prints_what_a_second_import_really_added(tmp_path):
    from tests.conftest import run_cli_in_process

    archive, location = rich_file(tmp_path), str(tmp_path / "p.thematica")
    first = run_cli_in_process("import-qdpx", str(archive), location)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added: 2 documents,") and "already in the project" not in first.stdout
    second = run_cli_in_process("import-qdpx", str(archive), location)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert lines[0] == ("added: 0 documents, 0 codes, 0 cases, 0 codings, 0 themes, 0 code groups, 0 links, "
                        "0 memos (0 annotations)")
    assert lines[1].startswith("already in the project, skipped: 2 documents, ")


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0",
                                       "urn:QDA-XML:codebook:0:4"])
def test_codebook_namespaces_of_every_writer(tmp_path, namespace):
    qdc = tmp_path / "book.qdc"
    qdc.write_text(f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{namespace}" origin="ATLAS.ti 9">'
                   '<Codes><Code guid="1" name="Thema" isCodable="false"><Code guid="2" name="Zelf" isCodable="true"/>'
                   '<Code guid="3" name="Zelf" isCodable="true"/></Code></Codes></CodeBook>', encoding="utf-8")
    with open_project(tmp_path / "p.thematica", create=True) as project:
        report = import_codebook(project, qdc)
        with project.reading() as session:
            from thematica.coding.codebook import find_code

            assert find_code(session, "Thema").is_codable is False and find_code(session, "Thema/Zelf").is_codable
    assert sorted(report.created) == ["Thema", "Thema/Zelf", "Thema/Zelf (2)"]


# --------------------------------------------------------------------------------------- atomic
def _failing_file(tmp_path: Path) -> Path:
    """Two good sources and a third whose text is empty: refused while writing, after the first two."""
    return build_qdpx(tmp_path / "failing.qdpx", sources=[
        {"guid": "a1", "name": "A", "text": TEXT, "selections": [selection("s1", 0, 4)]},
        {"guid": "a2", "name": "B", "text": TEXT + "meer"},
        {"guid": "a3", "name": "C", "text": "   \n"}])


def test_a_refused_import_leaves_the_project_unchanged(make_project_with_text, tmp_path, project_digest):
    project = make_project_with_text({"R0": TEXT})
    before = project_digest(tmp_path / "texts.thematica")
    with pytest.raises(ThematicaError, match="empty"):
        import_qdpx(_failing_file(tmp_path), project)
    assert project_digest(tmp_path / "texts.thematica") == before


@pytest.mark.postgres
def test_a_refused_import_leaves_a_postgresql_project_unchanged(postgres_url, tmp_path):
    with open_project(postgres_url, create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        with project.reading() as session:
            before = exchange_store.row_counts(session)
        with pytest.raises(ThematicaError, match="empty"):
            import_qdpx(_failing_file(tmp_path), project)
        with project.reading() as session:
            assert exchange_store.row_counts(session) == before
        assert before["document"] == 2 and before["segment"] == 3 and before["theme"] == 2


# --------------------------------------------------------------------------------------- export
def _validate(path: Path, schema) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    schema.validate(xml)
    return xml


def test_an_empty_project_exports_valid_xml_with_a_user(tmp_path, refi_schema):
    with open_project(tmp_path / "empty.thematica", create=True) as project:
        xml = _validate(export_qdpx(project, tmp_path / "empty.qdpx"), refi_schema)
    assert "<User " in xml


def test_an_imported_project_exports_valid_xml_with_minted_guids(tmp_path, refi_schema):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        for tool in ("standard", "nvivo"):
            xml = _validate(export_qdpx(project, tmp_path / f"{tool}.qdpx", for_tool=tool), refi_schema)
            assert 'guid="c1"' not in xml and "<Set " in xml and "<Graph " in xml and "isCodable=\"false\"" in xml


def test_the_demo_exports_valid_xml_with_themes_notes_and_map(tmp_path, refi_schema):
    from tests.conftest import demo_project

    location = demo_project(tmp_path / "demo")
    with open_project(location) as project:
        xml = _validate(export_qdpx(project, tmp_path / "demo.qdpx"), refi_schema)
        with project.reading() as session:
            themes = theme_store.all_themes(session)
            links = theme_store.links(session)
    assert xml.count("<Set ") >= len(themes) > 0 and xml.count("<Link ") >= len(links)
    assert "<Vertex " in xml and "<Edge " in xml
    with open_project(location) as project:
        from thematica.interchange.refi_export import export_losses

        losses = export_losses(project)
    assert any(line.startswith("128 trial participants not in the file") for line in losses)
    if "<Note " in xml:
        assert 'creationDateTime=' in xml.split("<Note ", 1)[1].split(">", 1)[0]


@pytest.mark.parametrize("tool", ["standard", "nvivo", "qualcoder"])
def test_round_trip_keeps_codings_memos_themes_links_cases_and_variables(tmp_path, tool):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        from thematica.corpus.cases import import_cases_csv

        cases = tmp_path / "cases.csv"
        cases.write_text("case,leeftijd,werk,gewicht\nR1,34,true,71.5\n", encoding="utf-8")
        import_cases_csv(project, cases)
        from thematica.themes.service import add_theme

        add_theme(project, "Steun van de groep", "anouk", parent="Groepssteun", codes=["Groep"],
                  definition="Steun die de groep gaf", story="Eerst wantrouwen.\n\nDaarna steun.", status="final")
        _add_case_memos(project)
        first = _state(project)
        export_qdpx(project, tmp_path / "out.qdpx", for_tool=tool)
    targets = {target for memo in first[4] for target in _targets(memo)}
    assert targets == {"project", "document", "annotation", "code", "theme", "case"}  # every kind is tried
    assert any(row[5] for row in first[0]) and first[2] and first[3] and first[5]  # segment memo, links, values
    with open_project(tmp_path / "back.thematica", create=True) as back:
        import_qdpx(tmp_path / "out.qdpx", back)
        assert _state(back) == first
        import_qdpx(tmp_path / "out.qdpx", back)  # again: nothing doubles (the Descriptions repeat the notes)
        assert _state(back) == first


def _add_case_memos(project) -> None:
    from thematica.store import cases as case_store

    with project.transaction() as session:
        case = next(case for case in case_store.all_cases(session) if case.label == "R1")
        exchange_store.add_memo(session, "over R1 als casus", "Werkt weer halve dagen. 👍", None, case_id=case.id)
        exchange_store.add_memo(session, "tweede casusmemo", "Cliënt wil naar de groep.", None, case_id=case.id)


def _targets(memo: tuple) -> list[str]:
    _, _, start, _, document, code, theme, case = memo
    found = [name for name, value in (("document", document), ("code", code), ("theme", theme), ("case", case))
             if value is not None]
    if start is not None:
        found = ["annotation"]
    return found or ["project"]


def _state(project):
    from thematica.coding.codebook import code_infos
    from thematica.coding.overview import summarise
    from thematica.store import cases as case_store, documents as document_store

    with project.reading() as session:
        names = {t.id: t.name for t in theme_store.all_themes(session)}
        themes = sorted((t.name, t.definition, t.story, t.status, names.get(t.parent_id))
                        for t in theme_store.all_themes(session))
        links = sorted((names[l.source_id], names[l.target_id], l.label) for l in theme_store.links(session))
        code_links = sorted(l.label for l in exchange_store.code_links(session))
        documents = {d.id: d.name for d in document_store.all_documents(session)}
        codes = {info.id: info.path for info in code_infos(session)}
        cases = {case.id: case.label for case in case_store.all_cases(session)}
        memos = sorted(((m.title, m.text, m.start, m.end, documents.get(m.document_id), codes.get(m.code_id),
                         names.get(m.theme_id), cases.get(m.case_id)) for m in exchange_store.project_memos(session)),
                       key=repr)  # each memo with the names of what it is attached to
        values = sorted((case.label, attribute.name, attribute.type, value) for case in case_store.all_cases(session)
                        for attribute, value in case_store.case_values(session, case.id))
    rows = sorted((r.document, r.start, r.end, r.code, r.coder, r.memo) for r in export_rows(project))
    summary = summarise(project)
    return rows, themes, links, code_links, memos, values, sorted((d.name, d.case) for d in summary.documents)


def test_a_pdf_source_imports_its_text_representation_and_pictures_are_reported(tmp_path):
    import io

    text = "R: Het PDF-verslag zegt dat ik me veilig voelde.\n"
    start = text.index("veilig")
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14">'
           f'<Users><User guid="{USER}" name="Mirjam"/></Users>'
           '<CodeBook><Codes><Code guid="c0de0000-1111-4222-8333-444444444444" name="Veiligheid" isCodable="true"/>'
           '</Codes></CodeBook><Sources>'
           '<PDFSource guid="11111111-1111-4222-8333-444444444444" name="verslag.pdf" path="internal://x.pdf">'
           '<PDFSelection guid="22222222-1111-4222-8333-444444444444" page="1" firstX="1" firstY="1" secondX="9" '
           'secondY="9"/>'
           '<Representation guid="33333333-1111-4222-8333-444444444444" plainTextPath="internal://rep.txt">'
           + selection("44444444-1111-4222-8333-444444444444", start, start + 6) +
           '</Representation></PDFSource>'
           '<PictureSource guid="55555555-1111-4222-8333-444444444444" name="foto.jpg" path="internal://f.jpg"/>'
           '</Sources></Project>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/rep.txt", text)
    path = tmp_path / "pdf.qdpx"
    path.write_bytes(buffer.getvalue())
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_qdpx(path, project)
        rows = export_rows(project)
    assert [(r.document, text[r.start:r.end]) for r in rows] == [("verslag", "veilig")]
    assert any("1 page-region selection(s)" in line for line in result.not_carried)
    assert any("1 PictureSource source not imported" in line for line in result.not_carried)


def test_the_other_tool_sample_exports_valid_xml(tmp_path, refi_schema):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(Path(__file__).resolve().parents[1] / "data" / "other-tool.qdpx", project)
        _validate(export_qdpx(project, tmp_path / "out.qdpx"), refi_schema)


def test_the_qualcoder_export_carries_themes_and_memos_the_way_qualcoder_reads_them(tmp_path, refi_schema):
    """QualCoder reads journals from plainTextPath files, annotations from a selection's Description, and
    Sets only of documents: so themes also travel as journal notes."""
    from xml.etree.ElementTree import fromstring

    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        out = export_qdpx(project, tmp_path / "qc.qdpx", for_tool="qualcoder")
    xml = _validate(out, refi_schema)
    q = "{urn:QDA-XML:project:1.0}"
    root = fromstring(xml)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        journals = {note.get("name"): archive.read("sources/" + note.get("plainTextPath").split("//", 1)[1]).decode()
                    for note in root.iter(f"{q}Note") if note.get("plainTextPath")}
    assert all(note.get("creationDateTime") and note.get("creatingUser") for note in root.iter(f"{q}Note"))
    assert "Codes: Ervaring/Veiligheid" in journals["Theme: Veilig worden"]
    assert journals["over R1"] == "Eerste interview." and len(names) == 2 + len(journals) + 1
    annotation = next(selection for selection in root.iter(f"{q}PlainTextSelection")
                      if selection.find(f"{q}Coding") is None)
    assert annotation.findtext(f"{q}Description") == "Let op de toon."


def test_two_users_of_one_name_stay_two_coders(tmp_path):
    other = "bbbbbbbb-1111-4222-8333-444444444444"
    users = f'<Users><User guid="{USER}" name="Anna"/><User guid="{other}" name="Anna"/></Users>'
    path = build_qdpx(tmp_path / "twins.qdpx", users=users, sources=[{
        "guid": "src1", "name": "R1", "text": TEXT,
        "selections": [selection("s1", 0, 4), selection("s2", 0, 4, user=other)]}])
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_qdpx(path, project)
        coders = sorted(row.coder for row in export_rows(project))
    assert coders == ["Anna", "Anna (2)"] and result.segments_added == 2
    assert any("imported as coder 'Anna (2)'" in line for line in result.renamed)


def test_case_and_document_memos_and_journal_names_are_written_where_importers_read_them(tmp_path, refi_schema):
    """Cases take no NoteRef: a case memo is a Note with a Link to its Case, and the Case's Description
    (QualCoder's case memo); a document memo is also its TextSource's Description (QualCoder's source
    memo); notes written as files (QualCoder's journals, stored by unique name) never share a name."""
    from xml.etree.ElementTree import fromstring

    from thematica.corpus.cases import import_cases_csv

    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(rich_file(tmp_path), project)
        cases = tmp_path / "cases.csv"
        cases.write_text("case,leeftijd\nR1,34\n", encoding="utf-8")
        import_cases_csv(project, cases)
        _add_case_memos(project)
        with project.transaction() as session:
            exchange_store.add_memo(session, "", "Zonder titel één.", None)
            exchange_store.add_memo(session, "", "Zonder titel twee.", None)
        out = export_qdpx(project, tmp_path / "out.qdpx")
    root = fromstring(_validate(out, refi_schema))
    q = "{urn:QDA-XML:project:1.0}"
    case = next(case for case in root.iter(f"{q}Case") if case.get("name") == "R1")
    assert case.findtext(f"{q}Description") == "Werkt weer halve dagen. 👍\n\nCliënt wil naar de groep."
    notes = {note.get("guid"): note for note in root.iter(f"{q}Note")}
    linked = [notes[link.get("originGUID")] for link in root.iter(f"{q}Link") if link.get("targetGUID") == case.get("guid")]
    assert sorted(note.findtext(f"{q}PlainTextContent") for note in linked) == [
        "Cliënt wil naar de groep.", "Werkt weer halve dagen. 👍"]
    assert all(note.get("plainTextPath") is None for note in linked)  # not also a journal in QualCoder
    source = next(source for source in root.iter(f"{q}TextSource") if source.get("name") == "R1")
    assert source.findtext(f"{q}Description") == "Eerste interview."
    journals = [note.get("name") for note in notes.values() if note.get("plainTextPath")]
    assert len(journals) == len(set(journals)) and {"memo", "memo (2)"} <= set(journals)
    assert all(note.get("creatingUser") and note.get("creationDateTime") for note in notes.values())
    import re

    stamps = [element.get("creationDateTime") for element in root.iter() if element.get("creationDateTime")]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp) for stamp in stamps)  # UTC, "Z"
    with open_project(tmp_path / "back.thematica", create=True) as back:
        import_qdpx(out, back)
        with back.reading() as session:
            on_cases = sorted(m.text for m in exchange_store.project_memos(session) if m.case_id is not None)
            on_documents = [m.text for m in exchange_store.project_memos(session)
                            if m.document_id is not None and m.start is None]
    assert on_cases == ["Cliënt wil naar de groep.", "Werkt weer halve dagen. 👍"]
    assert on_documents == ["Eerste interview."]  # the Description repeats the note: one memo


def test_a_case_or_source_description_from_another_tool_becomes_its_memo(tmp_path):
    """QualCoder writes case and source memos as the Case's and TextSource's Description."""
    case = ('<Cases><Case guid="cccccccc-1111-4222-8333-444444444444" name="R1"><Description>Casusmemo uit '
            'QualCoder</Description><SourceRef targetGUID="src1"/></Case></Cases>')
    path = build_qdpx(tmp_path / "qc.qdpx", extra="", sources=[{
        "guid": "src1", "name": "R1.txt", "text": TEXT, "tail": "", "selections": [selection("s1", 0, 4)]}])
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        files = {name: archive.read(name) for name in archive.namelist() if name != "project.qde"}
    qde = qde.replace("<Sources>", case + "<Sources>").replace(
        'plainTextPath="internal://src1.txt">', 'plainTextPath="internal://src1.txt"><Description>Bronmemo</Description>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in files.items():
            archive.writestr(name, data)
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(path, project)
        with project.reading() as session:
            memos = sorted((m.text, m.case_id is not None, m.document_id is not None)
                           for m in exchange_store.project_memos(session))
    assert memos == [("Bronmemo", False, True), ("Casusmemo uit QualCoder", True, False)]


def test_for_qualcoder_every_code_name_is_used_once_and_reads_back_as_it_was(tmp_path, refi_schema,
                                                                             make_project_with_text):
    """QualCoder stores code names as unique: a second "Overig" would take the first one's place and
    leave its codings without a code. ``--for qualcoder`` names it after its parent; Thematica reads
    the name back as it was. The standard export keeps the names."""
    from xml.etree.ElementTree import fromstring

    text = "R: Eerst spanning. Daarna rust. Verder niets.\n"
    project = make_project_with_text({"R1": text})
    with project.reading() as session:
        from thematica.store import documents as document_store

        document = document_store.all_documents(session)[0].id
    for (start, end), path in [((3, 17), "Ervaring/Overig"), ((19, 30), "Context/Overig"),
                               ((32, 44), "Context/Overig/Niets"), ((3, 8), "Overig")]:
        apply_code(project, document, "anouk", start, end, code_path=path)
    q = "{urn:QDA-XML:project:1.0}"
    names = {}
    for tool in ("standard", "qualcoder"):
        out = export_qdpx(project, tmp_path / f"{tool}.qdpx", for_tool=tool)
        names[tool] = sorted(code.get("name") for code in fromstring(_validate(out, refi_schema)).iter(f"{q}Code"))
    assert names["standard"].count("Overig") == 3
    assert names["qualcoder"] == sorted(["Ervaring", "Context", "Overig", "Overig (Ervaring)", "Overig (Context)",
                                         "Niets"])
    first = sorted((r.code, r.start, r.end) for r in export_rows(project))
    with open_project(tmp_path / "back.thematica", create=True) as back:
        import_qdpx(tmp_path / "qualcoder.qdpx", back)
        assert sorted((r.code, r.start, r.end) for r in export_rows(back)) == first


def test_for_qualcoder_a_name_that_only_looks_made_unique_reads_back_unchanged(tmp_path, refi_schema,
                                                                              make_project_with_text):
    """A code its author named "Steun (Groep)" under "Groep" is unique, so the export leaves it as it is;
    the import takes a parent off only where that gives a name the codebook uses more than once."""
    from xml.etree.ElementTree import fromstring

    text = "R: Eerst spanning. Daarna rust. Verder niets.\n"
    project = make_project_with_text({"R1": text})
    with project.reading() as session:
        from thematica.store import documents as document_store

        document = document_store.all_documents(session)[0].id
    for (start, end), path in [((3, 17), "Groep/Steun (Groep)"), ((19, 30), "Context/Overig"),
                               ((32, 44), "Ervaring/Overig")]:
        apply_code(project, document, "anouk", start, end, code_path=path)
    out = export_qdpx(project, tmp_path / "qc.qdpx", for_tool="qualcoder")
    q = "{urn:QDA-XML:project:1.0}"
    written = sorted(code.get("name") for code in fromstring(_validate(out, refi_schema)).iter(f"{q}Code"))
    assert written == sorted(["Groep", "Steun (Groep)", "Context", "Overig (Context)", "Ervaring", "Overig (Ervaring)"])
    first = sorted((r.code, r.start, r.end) for r in export_rows(project))
    assert ("Groep/Steun (Groep)", 3, 17) in first
    with open_project(tmp_path / "back.thematica", create=True) as back:
        import_qdpx(tmp_path / "qc.qdpx", back)
        assert sorted((r.code, r.start, r.end) for r in export_rows(back)) == first


def test_unique_code_names_fall_back_to_the_parent_path(tmp_path):
    from thematica.coding.codebook import CodeInfo
    from thematica.interchange.refi_export import unique_code_names

    def info(id_: int, path: str, parent: int | None) -> CodeInfo:
        return CodeInfo(id_, path, path.rsplit("/", 1)[-1], parent, "#000000", "", "", "", "")

    infos = [info(1, "A", None), info(2, "A/X", 1), info(3, "A/X/Overig", 2), info(4, "B", None), info(5, "B/X", 4),
             info(6, "B/X/Overig", 5)]
    names = unique_code_names(infos)
    assert len(set(names.values())) == 6
    assert names[3] == "Overig (X)" and names[6] == "Overig (B > X)"
    assert names[2] == "X (A)" and names[5] == "X (B)"


def test_the_lead_and_the_status_marks_survive_a_thematica_round_trip(tmp_path, refi_schema):
    """REFI-QDA has no element for them: they travel in the Project's Description, read back only from a
    Thematica file; the imported project computes agreement as the original does (documents done by both)."""
    from thematica.agreement.service import AgreementOptions, agreement
    from thematica.coding.visibility import lead
    from tests.conftest import demo_project
    from thematica.interchange.refi_export import export_losses
    from thematica.store import segments as segment_store

    location = demo_project(tmp_path / "demo")
    with open_project(location) as project:
        xml = _validate(export_qdpx(project, tmp_path / "demo.qdpx"), refi_schema)
        losses = export_losses(project)
        before = agreement(project, AgreementOptions(bootstrap_samples=0)).to_dict()
    assert "Thematica project data" in xml and "lead\tanouk" in xml
    assert any(line.startswith("12 document status marks and the lead 'anouk' for other tools") for line in losses)
    with open_project(tmp_path / "new.thematica", create=True) as project:
        result = import_qdpx(tmp_path / "demo.qdpx", project)
        with project.reading() as session:
            chief = lead(session)
            marks = segment_store.all_document_statuses(session)
        after = agreement(project, AgreementOptions(bootstrap_samples=0)).to_dict()
    assert chief is not None and chief.name == "anouk"
    assert len(marks) == 12 and set(marks.values()) == {"done"}
    assert after["overall"] == before["overall"] and after["documents"] == before["documents"]
    assert not any("lead" in line for line in result.not_carried)


def test_a_project_with_its_own_lead_keeps_it_and_says_how_to_hand_it_on(tmp_path):
    from thematica.coding.visibility import lead, set_lead
    from tests.conftest import demo_project

    with open_project(demo_project(tmp_path / "demo")) as project:
        export_qdpx(project, tmp_path / "demo.qdpx")
    with open_project(tmp_path / "new.thematica", create=True) as project:
        set_lead(project, "bas", "bas")
        result = import_qdpx(tmp_path / "demo.qdpx", project)
        with project.reading() as session:
            chief = lead(session)
    assert chief is not None and chief.name == "bas"
    assert any("lead 'anouk'" in line and "thematica lead PROJECT anouk --as bas" in line for line in result.not_carried)


def test_a_description_of_another_tool_sets_no_lead(tmp_path):
    from thematica.coding.visibility import lead

    description = "<Description>Thematica project data (read back by Thematica):\nlead\tMirjam</Description>"
    path = build_qdpx(tmp_path / "other.qdpx", sources=[{"guid": "s1", "name": "R1", "text": TEXT, "selections": []}],
                      extra=description)
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(path, project)
        with project.reading() as session:
            assert lead(session) is None
