"""Strict per-file decoding: the text comes in exactly or is refused with its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematica.corpus.decoding import decode_transcript, line_and_column
from thematica.corpus.importer import import_files
from thematica.errors import ThematicaError

DUTCH = "R: Het café was één grote ruïne; zij zeiden ‘nee’ — 😊.\n"
WHERE = Path("x.txt")


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                ("utf-16", "utf-16"), ("utf-16-be", None)])
def test_utf8_with_and_without_bom_and_utf16_with_bom_decode_exactly(encoding, expected):
    raw = DUTCH.encode(encoding)
    if expected is None:
        raw = b"\xfe\xff" + raw
        expected = "utf-16"
    decoded = decode_transcript(raw, WHERE)
    assert decoded.text.lstrip("\ufeff") == DUTCH and decoded.encoding == expected


def test_a_cp1252_file_is_cp1252_and_one_stray_byte_in_utf8_is_refused_by_line_and_column():
    cp1252 = "R: Het café was één grote ruïne ‘nee’.\n".encode("cp1252")
    assert decode_transcript(cp1252, WHERE).text == "R: Het café was één grote ruïne ‘nee’.\n"
    mixed = (DUTCH * 3).encode() + b"R: caf\xe9\n"
    with pytest.raises(ThematicaError, match=r"byte 0xe9 at line 4, column 7"):
        decode_transcript(mixed, WHERE)


def test_random_high_bytes_are_not_a_transcript():
    noise = bytes((n * 7919 + 13) % 128 + 128 for n in range(200_000))
    with pytest.raises(ThematicaError):
        decode_transcript(noise, WHERE)
    latin1_letters = bytes(0xC0 + n % 63 for n in range(5000)) + b" " * 500
    with pytest.raises(ThematicaError, match="not a transcript"):
        decode_transcript(latin1_letters, WHERE)


def test_controls_are_refused_with_their_position_or_stripped_and_counted():
    text = "R: een\n" * 10_000 + "R: rood \x1b[31mgevaar\x1b[0m en \x00 nul\x07\n"
    with pytest.raises(ThematicaError, match=r"escape sequence at line 10001, column 9 \(4 in the file\)"):
        decode_transcript(text.encode(), WHERE)
    stripped = decode_transcript(text.encode(), WHERE, strip_controls=True)
    assert stripped.controls_removed == 4 and stripped.text.endswith("R: rood gevaar en  nul\n")


def test_line_and_column_count_characters_and_every_newline_convention():
    assert line_and_column("ab\r\nëé\rx", 7) == (3, 1)
    assert line_and_column("één", 2) == (1, 3)


def test_the_import_report_counts_what_strip_controls_removed(project, tmp_path):
    path = tmp_path / "R1.txt"
    path.write_bytes("R: hallo \x1b[1mdaar\x1b[0m\x07 en ë.\n".encode())
    with pytest.raises(ThematicaError, match="--strip-controls"):
        import_files(project, [path])
    [result] = import_files(project, [path], strip_controls=True)
    assert result.controls_removed == 3 and result.status == "imported"
    with project.reading() as session:
        from thematica.store.documents import document_by_name

        assert document_by_name(session, "R1").text == "R: hallo daar en ë.\n"
