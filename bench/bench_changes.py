"""How soon another coder's change appears in the workbench, on SQLite and on PostgreSQL.

A second process (``--writer``) commits segments as coder "carla" on the document the watching
coder "anouk" has open (anouk is the lead and blind mode is off, so carla's segments are visible to
her: ``coding.visibility``), at random moments, and prints each segment's id and commit time
(``time.monotonic``, one clock for all processes of the machine). The watching side does what the
workbench does: every ``POLL_SECONDS`` it asks the ``CodingSession`` to ``poll`` (the change
watch: ``PRAGMA data_version`` on SQLite, ``LISTEN``/``NOTIFY`` on PostgreSQL) and, when that
reloaded, looks whether the segment is among the open document's segments. Printed per backend:
latency from commit to reloaded view (median, p95, max; target ≤ 1 s), what a look that finds
nothing costs, and what a reload costs.

    PYTHONPATH=src .venv/bin/python bench/bench_changes.py [--changes 30] [--documents 60]
    bash scripts/with-postgres.sh env PYTHONPATH=src .venv/bin/python bench/bench_changes.py

PostgreSQL is measured when THEMATICA_TEST_PG_URL names an empty database (with-postgres.sh
starts a throw-away one); the SQLite project of ``--documents`` documents is copied into it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects import build  # noqa: E402

from thematica.coding.segments import apply_code  # noqa: E402
from thematica.coding.session import CodingSession  # noqa: E402
from thematica.coding.visibility import set_blind_mode, set_lead  # noqa: E402
from thematica.store.project import open_project  # noqa: E402
from thematica.store.watch import ChangeWatch  # noqa: E402
from thematica.tui.screens.workbench import POLL_SECONDS  # noqa: E402

CODE = "Thema 0/Code 0"


def writer(location: str, changes: int, seed: int) -> None:
    """Commit ``changes`` segments as carla on document 1, each at a random moment; print id and time."""
    rng = random.Random(seed)
    with open_project(location) as project:
        with project.reading() as session:
            from thematica.store.documents import units_by_kind

            sentences = units_by_kind(session, 1)["sentence"]
        spans = rng.sample([(start, end) for start, end, _ in sentences], changes)
        print("ready", flush=True)
        sys.stdin.readline()
        for start, end in spans:
            time.sleep(rng.uniform(0.4, 1.3))  # any phase of the watcher's poll
            segment = apply_code(project, 1, "carla", start, end, code_path=CODE)
            print(segment.id, time.monotonic(), flush=True)


def watch(location: str, changes: int, label: str) -> None:
    with open_project(location) as project:
        set_lead(project, "anouk", "anouk")
        set_blind_mode(project, False, "anouk")
        session = CodingSession(project, "anouk")
        session.load()
        session.open_document(1)
        committed: dict[int, float] = {}
        process = subprocess.Popen([sys.executable, __file__, "--writer", location, "--changes", str(changes)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        assert process.stdin is not None and process.stdout is not None
        assert process.stdout.readline().strip() == "ready"

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                segment_id, at = line.split()
                committed[int(segment_id)] = float(at)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        process.stdin.write("go\n")
        process.stdin.flush()
        idle: list[float] = []
        reloads: list[float] = []
        first_shown: dict[int, float] = {}  # segment id -> when a reload first showed it
        known = {segment.id for segment in session.view.segments} if session.view else set()
        next_tick = time.monotonic()
        deadline = time.monotonic() + 3 * changes + 10
        while not (len(committed) == changes and set(committed) <= set(first_shown)) and time.monotonic() < deadline:
            next_tick += POLL_SECONDS
            time.sleep(max(0.0, next_tick - time.monotonic()))
            began = time.monotonic()
            changed = session.poll()
            now = time.monotonic()
            (reloads if changed else idle).append(now - began)
            if changed and session.view is not None:
                for segment in session.view.segments:
                    if segment.id not in known:
                        known.add(segment.id)
                        first_shown[segment.id] = now
        latencies = [first_shown[i] - at for i, at in committed.items() if i in first_shown]
        process.wait(timeout=30)
        session.close()
    missed = changes - len(latencies)
    ms = [1000 * x for x in sorted(latencies)]
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))] if ms else float("nan")
    print(f"{label:<11} changes {len(latencies)}/{changes}  commit→reloaded median {statistics.median(ms):6.0f} ms"
          f"  p95 {p95:6.0f} ms  max {max(ms):6.0f} ms  | a look {1000 * statistics.median(idle):5.2f} ms"
          f"  a reload {1000 * statistics.median(reloads):6.1f} ms (median){'  MISSED ' + str(missed) if missed else ''}",
          flush=True)


def empty(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--documents", type=int, default=60)
    arguments = parser.parse_args()
    if arguments.writer:
        writer(arguments.writer, arguments.changes, seed=11)
        return
    print(f"poll every {POLL_SECONDS:.1f} s (the workbench's); {arguments.documents} documents, "
          f"two coders, ~{75 * 2 * arguments.documents} segments")
    with tempfile.TemporaryDirectory() as folder:
        path = build(Path(folder), arguments.documents)
        url = os.environ.get("THEMATICA_TEST_PG_URL")
        if url and empty(url):
            from thematica.store.transfer import migrate

            migrate(str(path), url)
        watch(str(path), arguments.changes, "SQLite")
        if url:
            probe = open_project(url)
            listening = ChangeWatch(probe.engine)
            listening.changed()
            how = "LISTEN/NOTIFY" if listening._listening else "audit-log poll"
            listening.close()
            probe.close()
            watch(url, arguments.changes, f"PostgreSQL ({how})")
        else:
            print("PostgreSQL: not measured (no THEMATICA_TEST_PG_URL; run through scripts/with-postgres.sh)")


if __name__ == "__main__":
    main()
