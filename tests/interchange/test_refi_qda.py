"""REFI-QDA exchange: schema-valid export, round trips, tolerant import, unsafe XML refused."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from thematica.coding.segments import apply_code, set_segment_memo
from thematica.corpus.cases import import_cases_csv
from thematica.errors import ThematicaError
from thematica.interchange.codings_csv import export_rows
from thematica.corpus.position_map import build_position_map
from thematica.interchange.refi_qda import export_qdpx, import_qdpx
from thematica.store.project import open_project

DATA = Path(__file__).resolve().parents[1] / "data"
TEXT = "I: Hoe was de groep?\n\nR: Eh, spannend. Later voelde ik me veilig. Ideeën van één groepsgenoot hielpen.\n"


@pytest.fixture
def study(make_project_with_text, tmp_path):
    project = make_project_with_text({"R1": TEXT, "R2": TEXT.replace("groep", "therapie")})
    cases = tmp_path / "cases.csv"
    cases.write_text("case,gender,age,in_work\nR1,vrouw,34,ja\nR2,man,47,nee\n", encoding="utf-8")
    import_cases_csv(project, cases)
    for coder, quote, code in (("anouk", "Later voelde ik me veilig.", "Therapeut/Veiligheid"),
                               ("bas", "Later voelde ik me veilig.", "Groep/Veiligheid"),
                               ("anouk", "Ideeën van één groepsgenoot hielpen.", "Groep/Herkenning")):
        start = TEXT.index(quote)
        info = apply_code(project, 1, coder, start, start + len(quote), code_path=code)
    set_segment_memo(project, info.id, "anouk", "één memo")
    return project


def _state(project):
    rows = sorted((r.document, r.start, r.end, r.code, r.coder, r.memo) for r in export_rows(project))
    from thematica.coding.overview import summarise

    summary = summarise(project)
    return rows, summary.code_paths, sorted((d.name, d.case) for d in summary.documents)


def test_export_validates_against_the_official_schema(study, tmp_path, refi_schema):
    out = export_qdpx(study, tmp_path / "study.qdpx")
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        refi_schema.validate(archive.read("project.qde").decode("utf-8"))
    assert "project.qde" in names and sum(name.startswith("sources/") for name in names) == 2


def test_round_trip_keeps_codings_codes_cases_and_guids(study, tmp_path):
    first = export_qdpx(study, tmp_path / "first.qdpx")
    again = export_qdpx(study, tmp_path / "again.qdpx")
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(again) as b:
        # two exports a second apart differ only in their time stamps (the export's own time)
        stamps = re.compile(rb'\s(?:creation|modified)DateTime="[^"]*"')
        assert stamps.sub(b"", a.read("project.qde")) == stamps.sub(b"", b.read("project.qde"))
    with open_project(tmp_path / "back.thematica", create=True) as back:
        import_qdpx(first, back)
        assert _state(back) == _state(study)
        export_qdpx(back, tmp_path / "second.qdpx")
        with open_project(tmp_path / "third.thematica", create=True) as third:
            import_qdpx(tmp_path / "second.qdpx", third)
            assert _state(third) == _state(study)
        assert import_qdpx(first, back).segments_added == 0  # importing again adds nothing


def test_a_hand_written_qdpx_in_the_shape_other_tools_write(tmp_path):
    """ATLAS.ti-style name of the .qde, Sources/ folder, categories marked codable, CRLF text, braces in GUIDs."""
    with open_project(tmp_path / "p.thematica", create=True) as project:
        result = import_qdpx(DATA / "other-tool.qdpx", project)
        rows = export_rows(project)
        text = "I: Wie ben je?\nR: Ik ben Anna. Ik woon in Zwolle.\nI: En je werk?\nR: Ik ben verpleegkundige.\n"
        assert (result.documents, result.codes, result.cases) == (1, 3, 1)
        found = sorted((text[r.start:r.end], r.code, r.coder) for r in rows)
        assert found == [("Ik ben verpleegkundige.", "Achtergrond/Werk", "Mirjam"),
                         ("Ik woon in Zwolle.", "Achtergrond/Woonplaats", "Mirjam")]
        from thematica.coding.overview import summarise

        assert summarise(project).documents[0].case == "Anna"


def test_crlf_and_decomposed_text_map_to_stored_offsets():
    original = "a\r\nb\u0065\u0308c\r\nd"
    mapping = build_position_map(original)
    stored, positions = mapping.stored, [mapping.start(position) for position in range(len(original) + 1)]
    assert stored == "a\nbëc\nd"
    assert [stored[positions[i]] for i in (0, 3, 4, 6, 9)] == ["a", "b", "ë", "c", "d"]
    assert positions[len(original)] == len(stored)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""


def _archive(path: Path, qde: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(("content", "reason"), [
    (BOMB, "unsafe XML"), (EXTERNAL, "unsafe XML"), (b"<Project><Unclosed>", "malformed XML"),
    (b'<?xml version="1.0"?><Codebook xmlns="urn:other"/>', "not a REFI-QDA project"),
])
def test_unsafe_malformed_and_foreign_files_change_nothing(study, tmp_path, project_digest, content, reason):
    path = tmp_path / "texts.thematica"
    before = project_digest(path)
    with pytest.raises(ThematicaError, match=reason):
        import_qdpx(_archive(tmp_path / "bad.qdpx", content), study)
    assert project_digest(path) == before


def test_not_a_zip_is_refused(study, tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("geen zip")
    with pytest.raises(ThematicaError, match="not a .qdpx archive"):
        import_qdpx(bad, study)
