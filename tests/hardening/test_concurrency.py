"""Coders coding the same documents at the same time never lose or duplicate a segment.

Four processes code the same passages of one document concurrently, on SQLite (WAL) and on
PostgreSQL: two of them are the same coder racing to add identical segments (the unique constraint
must make the second add a no-op, not an error and not a duplicate), two are other coders.
"""

from __future__ import annotations

import subprocess
import sys

from thematica.corpus.importer import store_text
from thematica.interchange.codings_csv import export_rows
from thematica.store.project import open_project

WRITER = r"""
import sys
from thematica.coding.segments import apply_code
from thematica.store.project import open_project
location, coder = sys.argv[1], sys.argv[2]
with open_project(location) as project:
    for number in range(40):
        apply_code(project, 1, coder, number * 10, number * 10 + 8, code_path=f"Thema/Code {number % 5}")
print("ok")
"""


def test_concurrent_coders_lose_and_duplicate_nothing(any_location):
    with open_project(any_location, create=True) as project:
        store_text(project, "R1", "R: " + "woord " * 100)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, any_location, coder], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for coder in ("anouk", "anouk", "bas", "cem")]
    outputs = [writer.communicate(timeout=300) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0, 0], [err for _, err in outputs]
    with open_project(any_location) as project:
        rows = export_rows(project)
    keys = [(r.coder, r.start, r.end, r.code) for r in rows]
    assert len(keys) == len(set(keys)) == 3 * 40
    assert {coder for coder, *_ in keys} == {"anouk", "bas", "cem"}
