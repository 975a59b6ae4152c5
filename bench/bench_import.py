"""Import benchmark (issue 2): 100 synthetic transcripts × 10,000 words, read + segment + store.

Prints words/second for the whole pipeline (reading the files, normalising, speaker turns, spaCy
sentences and paragraphs, and storing documents and units in a SQLite project) and the peak RSS.
Target: >= 300,000 words/s on one core, peak RSS < 1 GB.

    .venv/bin/python bench/bench_import.py [--documents 100] [--words 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_transcript  # noqa: E402

from thematica.corpus.importer import import_files  # noqa: E402
from thematica.corpus.segmentation import segment_text  # noqa: E402
from thematica.store.project import open_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = []
        for index in range(args.documents):
            path = root / f"T{index:03d}.txt"
            path.write_text(synthetic_transcript(index, args.words), encoding="utf-8")
            paths.append(path)
        segment_text("Opwarmen. Van de pijplijn.", "nl")  # load spaCy once, outside the timing
        with open_project(root / "bench.thematica", create=True) as project:
            started = time.perf_counter()
            results = import_files(project, paths, language="nl")
            elapsed = time.perf_counter() - started
        words = sum(result.words for result in results)
        units = sum(sum(result.units.values()) for result in results)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(results)}  words: {words:,}  units stored: {units:,}")
    print(f"import + segmentation + storing: {elapsed:.2f} s  ->  {words / elapsed:,.0f} words/s (target >= 300,000)")
    print(f"peak RSS: {peak_mb:,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
