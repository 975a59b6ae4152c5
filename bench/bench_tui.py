"""Workbench benchmark (issue 3): open a 30,000-word transcript carrying 1,000 segments and paint the
first screen; then the keystroke-to-screen time of applying a code. Targets: < 300 ms and < 50 ms.

    .venv/bin/python bench/bench_tui.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_transcript  # noqa: E402

from thematica.coding import codebook  # noqa: E402
from thematica.corpus.importer import store_text  # noqa: E402
from thematica.interchange.codings_csv import import_codings  # noqa: E402
from thematica.store.project import open_project  # noqa: E402
from thematica.tui.app import make_app  # noqa: E402
from thematica.tui.screens.workbench import WorkbenchScreen  # noqa: E402


def build(folder: Path) -> Path:
    path = folder / "bench.thematica"
    text = synthetic_transcript(7, 30_000)
    rng = random.Random(3)
    with open_project(path, create=True) as project:
        store_text(project, "Big", text)
        for number in range(30):
            codebook.create_code(project, f"Thema {number // 6}/Code {number}", "anouk")
        rows = ["document,start,end,code,coder,memo"]
        for _ in range(1000):
            start = rng.randrange(0, len(text) - 400)
            rows.append(f"Big,{start},{start + rng.randrange(20, 400)},Thema {rng.randrange(5)}/Code {rng.randrange(30)},anouk,")
        codings = folder / "codings.csv"
        codings.write_text("\n".join(sorted(set(rows), key=lambda r: r != rows[0])) + "\n")
        import_codings(project, codings)
    return path


async def measure(path: Path) -> None:
    with open_project(path) as project:
        started = time.perf_counter()
        app = make_app(project, "anouk")
        async with app.run_test(size=(160, 50)) as pilot:
            while not isinstance(app.screen, WorkbenchScreen):
                await pilot.pause(0)
            await pilot.pause()
            opened = time.perf_counter() - started
            screen = app.screen
            with project.reading() as session:
                code_id = codebook.find_code(session, "Thema 1/Code 7").id
            switches = []
            for _ in range(5):
                begin = time.perf_counter()
                screen.open_document(screen.view.id)   # (re)open the transcript in the running workbench
                await pilot.pause()
                switches.append(time.perf_counter() - begin)
            timings = []
            for _ in range(20):
                await pilot.press("j")
                begin = time.perf_counter()
                screen.apply(code_id)           # what Enter in the picker does
                await pilot.pause()             # until the screen has been refreshed
                timings.append(time.perf_counter() - begin)
    words = 30_000
    print(f"start the workbench on a {words:,}-word transcript with 1,000 segments and paint: {1000 * opened:.0f} ms "
          f"(target < 300 ms; includes starting Textual)")
    print(f"open that transcript in the running workbench and paint: median {1000 * statistics.median(switches):.0f} ms")
    print(f"apply a code, keystroke to screen: median {1000 * statistics.median(timings):.0f} ms, "
          f"max {1000 * max(timings):.0f} ms (target < 50 ms)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = build(Path(folder))
        asyncio.run(measure(path))


if __name__ == "__main__":
    main()
