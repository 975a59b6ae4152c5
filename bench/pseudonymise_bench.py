"""Pseudonymisation bench: recall and precision on the labelled Dutch test set.

    PYTHONPATH=src python bench/pseudonymise_bench.py [tests/data/pseudonymise/labelled-nl.txt]
"""

from __future__ import annotations

import sys
from pathlib import Path

from thematica.corpus.pseudonymise_bench import run

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "tests/data/pseudonymise/labelled-nl.txt")
result = run(path)
print(f"identifiers: {result.identifiers}")
print(f"recall:    {result.recall:.3f}  ({result.found} of {result.identifiers} fully replaced)")
print(f"precision: {result.precision:.3f}  ({result.correct_spans} of {result.replaced_spans} replacements on an identifier)")
print(f"file names: {result.file_name_leaks} identifier parts left in {len(result.file_names)} output names")
for miss in result.missed:
    print(f"  missed: {miss}")
for false in result.false_finds:
    print(f"  false find: {false}")
