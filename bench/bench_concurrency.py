"""Concurrency benchmark (issue 10): 8 writer processes × 2,000 coding actions each.

Each process is a coder applying codes to passages of shared documents (every action its own
transaction, through the same service the workbench uses). Run against SQLite (WAL) and, when
THEMATICA_TEST_PG_URL or --postgres URL is given, against PostgreSQL. Prints throughput, lost
actions (acknowledged but not in the database; must be 0) and errors surfaced to users (must be 0).

    .venv/bin/python bench/bench_concurrency.py [--writers 8] [--actions 2000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import tempfile
import time
from pathlib import Path

from thematica.coding.segments import apply_code
from thematica.corpus.importer import store_text
from thematica.interchange.codings_csv import export_rows
from thematica.store.project import open_project

WORDS = "de groep hielp mij om te zien wat ik steeds weer doe in contact met anderen eh ja".split()


def _text(seed: int) -> str:
    rng = random.Random(seed)
    turns = []
    for index in range(400):
        speaker = "I" if index % 2 == 0 else "R"
        turns.append(f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(25)) + ".")
    return "\n\n".join(turns) + "\n"


def writer(location: str, number: int, actions: int, documents: int, queue: mp.Queue) -> None:
    rng = random.Random(number)
    acknowledged = errors = 0
    with open_project(location) as project:
        for action in range(actions):
            document = rng.randrange(documents) + 1
            start = rng.randrange(0, 9_000)
            try:
                apply_code(project, document, f"coder{number}", start, start + rng.randrange(5, 400),
                           code_path=f"Thema {rng.randrange(6)}/Code {rng.randrange(25)}")
                acknowledged += 1
            except Exception as error:  # noqa: BLE001 - counting what a user would see
                errors += 1
                if errors <= 3:
                    print(f"writer {number}: {type(error).__name__}: {error}", flush=True)
    queue.put((number, acknowledged, errors))


def run(location: str, writers: int, actions: int, documents: int) -> None:
    with open_project(location, create=True) as project:
        for index in range(documents):
            store_text(project, f"D{index}", _text(index))
    queue: mp.Queue = mp.Queue()
    processes = [mp.Process(target=writer, args=(location, n, actions, documents, queue)) for n in range(writers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    acknowledged = sum(r[1] for r in results)
    errors = sum(r[2] for r in results)
    with open_project(location) as project:
        stored = len(export_rows(project))
    # Identical (coder, code, span) repeats are one segment by design; count distinct intended actions.
    intended = set()
    for number in range(writers):
        rng = random.Random(number)
        for _ in range(actions):
            document = rng.randrange(documents) + 1
            start = rng.randrange(0, 9_000)
            end = start + rng.randrange(5, 400)
            intended.add((number, document, start, end, rng.randrange(6), rng.randrange(25)))
    lost = len(intended) - stored
    print(f"{writers} writers × {actions} actions: {elapsed:.1f} s, {acknowledged / elapsed:,.0f} actions/s; "
          f"acknowledged {acknowledged}, distinct segments stored {stored} of {len(intended)} intended, "
          f"lost actions {lost}, errors surfaced to users {errors}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--actions", type=int, default=2_000)
    parser.add_argument("--documents", type=int, default=4)
    parser.add_argument("--postgres", default=os.environ.get("THEMATICA_TEST_PG_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite (WAL):", end=" ", flush=True)
        run(str(Path(folder) / "bench.thematica"), args.writers, args.actions, args.documents)
    if args.postgres:
        print("PostgreSQL:", end=" ", flush=True)
        run(args.postgres, args.writers, args.actions, args.documents)
    else:
        print("PostgreSQL: skipped (no --postgres URL and no THEMATICA_TEST_PG_URL)")


if __name__ == "__main__":
    main()
