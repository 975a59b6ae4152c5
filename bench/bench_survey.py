"""Survey import benchmark: 10,000 respondents × 2 open questions (+3 attributes) from a CSV, then the
workbench's start on the resulting project (20,000 answer documents).

Prints the import time (read, check, 20,000 documents with their units and 10,000 cases in one
transaction), the time until the workbench's first frame and until it is idle, and unit-based
agreement with each answer as the unit (``--unit paragraph``) after two coders coded 2,000 answers.

    .venv/bin/python bench/bench_survey.py [--respondents 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from thematica.corpus.segmentation import segment_text
from thematica.corpus.survey import import_survey
from thematica.store.project import open_project

WORDS = ("de groep hielp me omdat ik herkenning vond bij anderen en me veilig voelde maar soms was het "
         "spannend om te praten over ideeën die ik had en één keer twijfelde ik of therapie werkte").split()


def write_survey(path: Path, respondents: int) -> None:
    rng = random.Random(5)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "leeftijd", "groep", "afgerond", "wat_hielp", "wat_kan_beter"])
        for number in range(respondents):
            answers = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 60))).capitalize() + "."
                       for _ in range(2)]
            writer.writerow([f"R{number:05d}", rng.randrange(18, 80), rng.choice(["A", "B"]),
                             rng.choice(["ja", "nee"]), *answers])


async def workbench_start(path: Path) -> tuple[float, float]:
    from textual.screen import Screen

    from thematica.tui.app import make_app
    from thematica.tui.screens.workbench import WorkbenchScreen

    frames: list[float] = []
    original = Screen._compositor_refresh

    def record(self) -> None:
        original(self)
        frames.append(time.perf_counter())

    Screen._compositor_refresh = record  # type: ignore[method-assign]
    with open_project(path) as project:
        started = time.perf_counter()
        app = make_app(project, "anouk")
        async with app.run_test(size=(160, 50)) as pilot:
            while not isinstance(app.screen, WorkbenchScreen):
                await pilot.pause(0)
            first = next(frame for frame in frames if frame >= started) - started
            await pilot.pause()
            idle = time.perf_counter() - started
    return first, idle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        survey = root / "survey.csv"
        write_survey(survey, args.respondents)
        segment_text("Opwarmen. Van de pijplijn.", "nl")  # load spaCy once, outside the timing
        path = root / "survey.thematica"
        with open_project(path, create=True) as project:
            begin = time.perf_counter()
            result = import_survey(project, survey, id_column="respondent", text_columns=["wat_hielp", "wat_kan_beter"],
                                   attribute_columns=["leeftijd", "groep", "afgerond"])
            elapsed = time.perf_counter() - begin
        print(f"survey import: {result.respondents:,} respondents, {result.answers:,} answers -> "
              f"{result.documents_added:,} documents in {elapsed:.1f} s ({result.answers / elapsed:,.0f} answers/s)")
        first, idle = asyncio.run(workbench_start(path))
        print(f"workbench start on {result.documents_added:,} documents: first frame {1000 * first:.0f} ms, "
              f"idle {1000 * idle:.0f} ms")
        print(f"agreement per answer (2 coders, 2,000 coded answers): {agreement_seconds(root, path):.1f} s")


def agreement_seconds(root: Path, path: Path) -> float:
    from thematica.agreement.service import AgreementOptions, agreement
    from thematica.interchange.codings_csv import import_codings

    rng = random.Random(9)
    with open_project(path) as project:
        with project.reading() as session:
            from thematica.store import documents as document_store

            documents = [(d.name, d.length) for d in document_store.all_documents(session)[:2000]]
        codings = root / "codings.csv"
        with codings.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["document", "start", "end", "code", "coder", "memo"])
            for name, length in documents:
                for coder in ("anouk", "bas"):
                    writer.writerow([name, 0, length, f"Thema/{rng.choice('ABC')}", coder, ""])
        import_codings(project, codings)
        begin = time.perf_counter()
        agreement(project, AgreementOptions(unit="paragraph", include_unfinished=True, bootstrap_samples=200))
        return time.perf_counter() - begin


if __name__ == "__main__":
    main()
