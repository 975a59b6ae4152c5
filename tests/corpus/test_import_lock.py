"""An import holds SQLite's write lock only while it writes: segmenting (seconds on a long transcript)
happens before its transaction, so a coder's write is never kept waiting by it."""

from __future__ import annotations

import sqlite3

from thematica.corpus import importer
from thematica.corpus.importer import store_text


def test_segmentation_runs_outside_the_write_transaction(project, project_path, monkeypatch):
    store_text(project, "R0", "R: Een eerste document.\n")  # the project exists, with its schema
    seen: list[bool] = []
    segment = importer.segment_text

    def segment_and_probe(*arguments, **options):
        other = sqlite3.connect(project_path, timeout=0)  # a second coder, not willing to wait at all
        try:
            other.execute("BEGIN IMMEDIATE")  # fails with 'database is locked' if the import holds the lock
            other.execute("ROLLBACK")
            seen.append(True)
        except sqlite3.OperationalError:
            seen.append(False)
        finally:
            other.close()
        return segment(*arguments, **options)

    monkeypatch.setattr(importer, "segment_text", segment_and_probe)
    store_text(project, "R1", "I: Hoe was het?\nR: Heel eng. (lacht) Maar het hielp.\n")
    assert seen == [True]
