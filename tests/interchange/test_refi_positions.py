"""Positions as each tool counts them, and normalisation that never moves a coding."""

from __future__ import annotations

import unicodedata
import zipfile

import pytest
from hypothesis import given, settings, strategies as st

from thematica.corpus.importer import normalise_text
from thematica.corpus.position_map import Counting, build_position_map
from thematica.interchange.codings_csv import export_rows
from thematica.interchange.refi_qda import export_qdpx, import_qdpx
from thematica.store.project import open_project

from .conftest import build_qdpx, selection, units

TEXT = ("I: Hoe ging het in de groep? 😀\r\nR: Goed 👍 echt goed, Ideeën genoeg.\r\n"
        "I: En nu?\r\nR: Veilig 😊 voel ik me. 🙂\r\n")
QUOTES = ("echt goed", "voel ik me")
SOURCE = "5a5a5a5a-1111-4222-8333-444444444444"


def _file(tmp_path, origin: str, counting: str):
    selections = []
    for number, quote in enumerate(QUOTES):
        start = TEXT.index(quote)
        selections.append(selection(f"5e1ec700-1111-4222-8333-00000000000{number}",
                                    units(TEXT, start, counting), units(TEXT, start + len(quote), counting)))
    return build_qdpx(tmp_path / f"{counting}.qdpx", origin=origin,
                      sources=[{"guid": SOURCE, "name": "R1.txt", "text": TEXT, "selections": selections}])


def _coded(project):
    text = normalise_text(TEXT)
    return sorted(text[row.start:row.end] for row in export_rows(project))


@pytest.mark.parametrize(("origin", "counting", "reading"), [
    ("NVivo 14 (Windows)", "utf16", "utf16"),
    ("NVivo for Mac 14.23", "utf16", "utf16"),
    ("ATLAS.ti 23.1", "crlf", "codepoints-crlf-as-one"),
    ("QualCoder 3.6", "codepoints", "codepoints"),
    ("MAXQDA 2022", "codepoints", "codepoints"),
])
def test_each_tool_is_read_as_it_counts(tmp_path, origin, counting, reading):
    with open_project(tmp_path / f"{counting}-{origin[:3]}.thematica", create=True) as project:
        result = import_qdpx(_file(tmp_path, origin, counting), project)
        assert _coded(project) == sorted(QUOTES)
        assert result.counting == reading and origin in result.counting_reason
        # both quotes sit after an emoji and after CRLFs: only the code-point reading leaves them in place
        assert result.codings_moved == (0 if counting == "codepoints" else 2)


def test_positions_option_overrides_the_origin(tmp_path):
    path = _file(tmp_path, "NVivo 14", "utf16")
    with open_project(tmp_path / "wrong.thematica", create=True) as project:
        result = import_qdpx(path, project, counting=Counting.codepoints)
        assert result.counting_reason == "--positions codepoints"
        assert _coded(project) != sorted(QUOTES)  # read as code points, NVivo's positions land elsewhere
    unlabelled = _file(tmp_path, "SomeTool 1.0", "utf16")
    with open_project(tmp_path / "right.thematica", create=True) as project:
        import_qdpx(unlabelled, project, counting=Counting.utf16)
        assert _coded(project) == sorted(QUOTES)


def test_export_for_nvivo_writes_utf16_units_and_reads_back(tmp_path):
    with open_project(tmp_path / "a.thematica", create=True) as project:
        import_qdpx(_file(tmp_path, "QualCoder 3.6", "codepoints"), project)
        out = export_qdpx(project, tmp_path / "nvivo.qdpx", for_tool="nvivo")
        standard = export_qdpx(project, tmp_path / "standard.qdpx")
    stored = normalise_text(TEXT)
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode()
    start = stored.index("voel ik me")
    assert f'startPosition="{units(stored, start, "utf16")}"' in qde and "NVivo" in qde
    with zipfile.ZipFile(standard) as archive:
        assert f'startPosition="{start}"' in archive.read("project.qde").decode()
    with open_project(tmp_path / "b.thematica", create=True) as back:
        result = import_qdpx(out, back)
        assert result.counting == "utf16" and _coded(back) == sorted(QUOTES)


def test_a_decomposed_script_keeps_its_codings_on_the_same_words(tmp_path):
    """Hangul typed as jamo and Bengali with a split vowel sign: NFC shortens the text before the coding."""
    hangul = unicodedata.normalize("NFD", "한국어로 말했어요")
    bengali = "\u0995\u09c7\u09be"  # KA + E + AA -> KA + O (U+09CB) under NFC
    written = f"R: {hangul} {bengali} en daarna was ik rustig.\r\n"
    quote = "daarna was ik rustig"
    start = written.index(quote)
    path = build_qdpx(tmp_path / "decomposed.qdpx", sources=[{
        "guid": SOURCE, "name": "R1", "text": written,
        "selections": [selection("5e1ec700-1111-4222-8333-000000000001", start, start + len(quote)),
                       selection("5e1ec700-1111-4222-8333-000000000002", 3, 3 + len(hangul))]}])
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(path, project)
        stored = normalise_text(written)
        found = sorted(stored[row.start:row.end] for row in export_rows(project))
    assert found == sorted([quote, unicodedata.normalize("NFC", hangul)])


MARKS = st.sampled_from(["\u0301", "\u0308", "\u0327", "\u0323", "\u09be", "\u09c7", "\u1161", "\u11a8", "\u0344"])
CHARS = st.one_of(st.characters(blacklist_categories=("Cs",)), MARKS, st.sampled_from(["\r", "\n", "\r\n", "e", "가",
                                                                                      "\u1100", "😀", "\U0001d15e"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARS, max_size=40).map("".join), st.data())
def test_the_position_map_never_moves_a_coding(written, data):
    mapping = build_position_map(written)
    assert mapping.stored == normalise_text(written)
    n = len(written)
    starts = [mapping.start(p) for p in range(n + 1)]
    ends = [mapping.end(p) for p in range(n + 1)]
    assert starts == sorted(starts) and ends == sorted(ends)
    assert all(s <= e for s, e in zip(starts, ends)) and starts[n] == ends[n] == len(mapping.stored)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    s, e = mapping.span(a, b)
    if b > a:
        assert e > s  # a coding never vanishes
    # where the cut points do not split what NFC joins, the coding covers exactly the same characters
    if normalise_text(written[:a]) + normalise_text(written[a:b]) + normalise_text(written[b:]) == mapping.stored \
            and not written[:a].endswith("\r") and not written[:b].endswith("\r"):
        assert mapping.stored[s:e] == normalise_text(written[a:b])


@pytest.mark.parametrize(("origin", "counting"), [("NVivo 14", "utf16"), ("ATLAS.ti 23", "crlf"),
                                                  ("QualCoder 3.6", "codepoints")])
def test_a_project_imported_from_each_sample_exports_valid_xml(tmp_path, refi_schema, origin, counting):
    with open_project(tmp_path / "p.thematica", create=True) as project:
        import_qdpx(_file(tmp_path, origin, counting), project)
        for tool in ("standard", "nvivo"):
            with zipfile.ZipFile(export_qdpx(project, tmp_path / f"{tool}.qdpx", for_tool=tool)) as archive:
                refi_schema.validate(archive.read("project.qde").decode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARS, max_size=40).map("".join), st.data())
def test_every_counting_lands_on_the_code_point_span(written, data):
    """A span written in a tool's units lands on the same stored characters as its code-point span."""
    from thematica.corpus.position_map import unit_index, written_span

    mapping = build_position_map(written)
    n = len(written)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    for counting, name in ((Counting.codepoints, "codepoints"), (Counting.utf16, "utf16"),
                           (Counting.crlf_as_one, "crlf")):
        if name == "crlf" and (written[a - 1:a + 1] == "\r\n" or written[b - 1:b + 1] == "\r\n"):
            continue  # ATLAS.ti cannot place a boundary between CR and LF
        index, total = unit_index(written, counting)
        assert total == units(written, n, name)
        read = written_span(index, total, units(written, a, name), units(written, b, name), "f")
        assert mapping.span(*read) == mapping.span(a, b)
