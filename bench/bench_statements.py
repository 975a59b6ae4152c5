"""SQL statements (and wall time) per workbench action at 6, 60, 240 and 1,000 documents.

Counts every statement SQLAlchemy sends (``before_cursor_execute``; ``BEGIN IMMEDIATE`` included)
and the commits, for the headless ``CodingSession`` that the workbench drives (the old path, a
service call followed by a reload of everything, took 33, 87 and 267 statements at 6, 60, 240).
Target: one coding action = one transaction of at most 6 statements, the same at every size;
moving the cursor none.

    PYTHONPATH=src .venv/bin/python bench/bench_statements.py [6 60 240 1000]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects import build  # noqa: E402

from thematica.coding.session import CodingSession  # noqa: E402
from thematica.store.project import open_project  # noqa: E402
from thematica.store.statements import counting_statements  # noqa: E402


def measure(path: Path) -> dict[str, tuple[int, int, float]]:
    figures: dict[str, tuple[int, int, float]] = {}
    with open_project(path) as project:
        session = CodingSession(project, "anouk")

        def count(label, work):
            with counting_statements(project.engine) as counted:
                began = time.perf_counter()
                work()
                elapsed = time.perf_counter() - began
            figures[label] = (counted.count, counted.commits, 1000 * elapsed)

        count("start: what the workbench waits for", lambda: session.load(totals=False))
        count("  then, in a worker: counts and coded shares", session.load_totals)
        count("open a document", lambda: session.open_document(session.documents[len(session.documents) // 2][0]))

        def moves():
            for _ in range(20):
                session.next_unit()
            session.cycle_unit_kind()
            session.cycle_unit_kind()
            session.cycle_unit_kind()
            session.next_segment()
            session.previous_segment()
            session.select_unit(40)
        count("20 cursor moves, t×3, ]/[", moves)
        code = next(info.id for info in session.codes.values() if info.path == "Thema 2/Code 3")
        other = next(info.id for info in session.codes.values() if info.path == "Thema 4/Code 1")
        count("apply a code", lambda: session.apply(code))
        count("memo", lambda: session.set_memo("een memo"))
        count("re-code", lambda: session.recode(other))
        count("remove", lambda: session.remove())
        count("undo", lambda: session.undo())
        count("document status", session.cycle_status)
        count("document memo", lambda: session.set_document_memo("een memo op het document"))
        session.close()
    return figures


def main() -> None:
    sizes = [int(size) for size in sys.argv[1:]] or [6, 60, 240, 1000]
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for size in sizes:
            began = time.perf_counter()
            path = build(Path(folder), size)
            print(f"built {size} documents in {time.perf_counter() - began:.1f} s", file=sys.stderr)
            results[size] = measure(path)
    labels = list(next(iter(results.values())))
    print(f"{'action':<55}" + "".join(f"{f'{size} docs':>22}" for size in sizes))
    print(f"{'':<55}" + "".join(f"{'stmts/commits  ms':>22}" for _ in sizes))
    for label in labels:
        cells = "".join(f"{f'{s} / {c}  {ms:7.1f}':>22}" for s, c, ms in (results[size][label] for size in sizes))
        print(f"{label:<55}{cells}")


if __name__ == "__main__":
    main()
