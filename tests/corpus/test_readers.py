"""Reading transcripts: encodings, normalisation, formats, refusals."""

from __future__ import annotations

import unicodedata

import docx
import pytest

from thematica.corpus.readers import read_document
from thematica.errors import ThematicaError

DUTCH = "R: Ik had ideeën over één café; geïnterviewd worden was privé.\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (DUTCH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + DUTCH.encode("utf-8"), "utf-8-sig"),
        (DUTCH.encode("cp1252"), "cp1252"),
    ],
)
def test_dutch_diacritics_survive_each_encoding(tmp_path, encoded, encoding):
    path = tmp_path / "R1.txt"
    path.write_bytes(encoded)
    read = read_document(path)
    assert read.text == DUTCH and read.encoding == encoding


def test_newlines_and_unicode_are_normalised(tmp_path):
    path = tmp_path / "R1.txt"
    decomposed = unicodedata.normalize("NFD", "I: Één vraag.\r\n\r\nR: Ideeën.\rKlaar.")
    path.write_bytes(decomposed.encode("utf-8"))
    assert read_document(path).text == "I: Één vraag.\n\nR: Ideeën.\nKlaar."


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "R2.docx"
    document = docx.Document()
    document.add_paragraph("I: Hoe ging het?")
    document.add_paragraph("R: Goed, eh… beter dan verwacht.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "I: Tabelvraag?"
    table.rows[0].cells[1].text = "R: Tabelantwoord."
    document.add_paragraph("I: Tot slot?")
    document.save(str(path))
    read = read_document(path)
    assert read.format == "docx"
    assert read.text == "I: Hoe ging het?\nR: Goed, eh… beter dan verwacht.\nI: Tabelvraag?\nR: Tabelantwoord.\nI: Tot slot?\n"


def test_webvtt_keeps_speakers_and_drops_timestamps(tmp_path):
    path = tmp_path / "R3.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE opname 12 maart\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Hoe was de groep?</v>\n\n"
        "2\n00:00:04.500 --> 00:00:07.000\n<v Respondent>Eh, spannend.</v>\n\n"
        "00:00:07.000 --> 00:00:09.000\n<v Respondent>Later veilig.</v>\n",
        encoding="utf-8",
    )
    assert read_document(path).text == "Interviewer: Hoe was de groep?\n\nRespondent: Eh, spannend. Later veilig.\n"


def test_srt_with_name_labels(tmp_path):
    path = tmp_path / "R4.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nAnna: Dag, fijn dat je er bent.\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nKees: Ja hoor.\nGraag gedaan.\n",
        encoding="utf-8",
    )
    assert read_document(path).text == "Anna: Dag, fijn dat je er bent.\n\nKees: Ja hoor. Graag gedaan.\n"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b" \n\n", "empty"),
        ("bad.txt", b"caf\x81", "neither valid UTF-8 nor cp1252"),
        ("truncated.docx", b"PK\x03\x04broken", "docx"),
        ("notes.pdf", b"%PDF", "not a readable PDF"),
        ("notes.pages", b"PK\x03\x04", "unsupported"),
    ],
)
def test_unreadable_files_are_refused_with_the_file_named(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ThematicaError) as error:
        read_document(path)
    assert reason in str(error.value) and name in str(error.value)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("R: " + "woord " * 1000)
    with pytest.raises(ThematicaError, match="too large"):
        read_document(path, max_bytes=1000)
