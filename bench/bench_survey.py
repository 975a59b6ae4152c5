"""Survey import benchmark: 10,000 respondents × 2 open questions (+3 attributes) from a CSV, then the
workbench's start on the resulting project (20,000 answer documents).

Prints the import time (read, check, 20,000 documents with their units and 10,000 cases in one
transaction), the time from building the workbench to the first frame showing a transcript and until
it is idle (all workers done), with the main thread's CPU time (medians of ``--starts``), and unit-based
agreement with each answer as the unit (``--unit paragraph``) after two coders coded 2,000 answers.

    .venv/bin/python bench/bench_survey.py [--respondents 10000] [--starts 5]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import statistics
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


async def workbench_start(path: Path) -> tuple[float, float, float]:
    """(start → the first frame showing the transcript, start → idle, the main thread's CPU time
    until idle), from building the app on an opened project."""
    from textual.screen import Screen

    from thematica.tui.app import make_app
    from thematica.tui.screens.workbench import WorkbenchScreen

    frames: list[float] = []
    shown: list[float] = []
    compositor_refresh, show_status = Screen._compositor_refresh, WorkbenchScreen.show_status

    def record(self: Screen) -> None:  # type: ignore[type-arg]
        compositor_refresh(self)
        frames.append(time.perf_counter())

    def status(self: WorkbenchScreen) -> None:  # the last thing the first paint of a document does
        show_status(self)
        shown.append(time.perf_counter())

    Screen._compositor_refresh = record  # type: ignore[method-assign]
    WorkbenchScreen.show_status = status  # type: ignore[method-assign]
    try:
        with open_project(path) as project:
            started, cpu = time.perf_counter(), time.thread_time()
            app = make_app(project, "anouk")
            async with app.run_test(size=(160, 50)) as pilot:
                while not shown or not any(frame >= shown[0] for frame in frames):
                    await pilot.pause(0.001)
                first = next(frame for frame in frames if frame >= shown[0]) - started
                await app.workers.wait_for_complete()
                await pilot.pause()
                idle, used = time.perf_counter() - started, time.thread_time() - cpu
    finally:
        Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign]
        WorkbenchScreen.show_status = show_status  # type: ignore[method-assign]
    return first, idle, used


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--starts", type=int, default=5, help="workbench starts measured (median)")
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
        starts = [asyncio.run(workbench_start(path)) for _ in range(args.starts)]
        first, idle, used = (statistics.median(start[index] for start in starts) for index in range(3))
        print(f"workbench start on {result.documents_added:,} documents (median of {args.starts}): first frame "
              f"showing the transcript {1000 * first:.0f} ms, idle {1000 * idle:.0f} ms "
              f"(main-thread CPU {1000 * used:.0f} ms)")
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
