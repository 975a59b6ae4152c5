"""Synthetic projects of N documents (2,000 words each, two coders, ~75 segments per document and
coder) for the workbench benchmarks. Six transcripts are imported (segmented by spaCy); the other
documents are copies of them made in SQL, so a 1,000-document project builds in seconds."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from synthetic import synthetic_transcript

from thematica.coding import codebook
from thematica.corpus.importer import store_text
from thematica.store.coders import name_key
from thematica.store.project import open_project

WORDS = 2_000
SEGMENTS_PER_CODER = 75
CODERS = ("anouk", "bas")
CODES = [f"Thema {family}/Code {number}" for family in range(6) for number in range(5)]


def build(folder: Path, documents: int) -> Path:
    path = folder / f"bench-{documents}.thematica"
    if path.exists():  # built before in this folder (``bench_tui.py --projects DIR``)
        return path
    final, path = path, path.with_suffix(".building")
    path.unlink(missing_ok=True)
    with open_project(path, create=True) as project:
        for number in range(min(6, documents)):
            store_text(project, f"R{number + 1}", synthetic_transcript(number + 11, WORDS), case=f"P{number + 1}")
        for code in CODES:
            codebook.create_code(project, code, "anouk")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    for coder in CODERS:
        connection.execute("INSERT INTO coder (name, name_key, created_at) VALUES (?, ?, datetime('now'))",
                           (coder, name_key(coder)))
    for number in range(7, documents + 1):
        source = (number - 1) % 6 + 1
        connection.execute(
            "INSERT INTO \"case\" (label, created_at) VALUES (?, datetime('now'))", (f"P{number}",))
        connection.execute(
            "INSERT INTO document (name, text, language, sha256, source_path, source_format, case_id, position, "
            "length, word_count, imported_at) SELECT ?, text, language, sha256, source_path, source_format, "
            "(SELECT id FROM \"case\" WHERE label = ?), ?, length, word_count, imported_at FROM document WHERE id = ?",
            (f"R{number}", f"P{number}", number, source))
        connection.execute(
            "INSERT INTO unit (document_id, kind, ordinal, start, \"end\", speaker) SELECT ?, kind, ordinal, start, "
            "\"end\", speaker FROM unit WHERE document_id = ?", (number, source))
    rng = random.Random(7)
    code_ids = [row[0] for row in connection.execute("SELECT id FROM code WHERE parent_id IS NOT NULL")]
    coder_ids = [row[0] for row in connection.execute("SELECT id FROM coder ORDER BY name")]
    sentences = {source: connection.execute(
        "SELECT start, \"end\" FROM unit WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
        (source,)).fetchall() for source in range(1, min(6, documents) + 1)}
    rows = []
    for document in range(1, documents + 1):
        units = sentences[(document - 1) % 6 + 1]
        for coder in coder_ids:
            for first in rng.sample(range(len(units) - 3), SEGMENTS_PER_CODER):
                start, end = units[first][0], units[first + rng.randrange(3)][1]
                rows.append((document, rng.choice(code_ids), coder, start, end))
    connection.executemany(
        "INSERT OR IGNORE INTO segment (document_id, code_id, coder_id, start, \"end\", memo, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, '', datetime('now'), datetime('now'))", rows)
    connection.execute("COMMIT")
    connection.close()
    path.rename(final)
    return final
