"""Workbench benchmark: per project size (6, 60, 240 documents of 2,000 words, two coders, ~75
segments per document and coder), start to the first frame showing a transcript, and keystroke to
the frame that shows the result for a cursor move (``j``) and for applying a code (``a``: the
code highlighted in the tree; the write runs in a worker, the frame is the one after its result);
then a 300,000-character transcript carrying 5,000 segments: open and paint, move, code.
Targets: median ≤ 16 ms per key and ≤ 1.2× the 6-document figure; start ≤ 300 ms.

    PYTHONPATH=src .venv/bin/python bench/bench_tui.py [6 60 240]
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects import build  # noqa: E402
from synthetic import synthetic_transcript  # noqa: E402

from thematica.coding import codebook  # noqa: E402
from thematica.corpus.importer import store_text  # noqa: E402
from thematica.store.project import open_project  # noqa: E402
from thematica.tui.app import make_app  # noqa: E402
from thematica.tui.screens.workbench import WorkbenchScreen  # noqa: E402

FRAMES: list[float] = []
DRAWN: list[float] = []
HANDLED: list[float] = []


def instrument() -> None:
    """Time-stamp every composed frame, every transcript line drawn, and the end of each handled
    key (a move's action, a write's result), so keystroke-to-screen ends at the frame."""
    from textual.screen import Screen

    from thematica.tui.widgets.transcript import TranscriptView

    compositor_refresh = Screen._compositor_refresh

    def refresh_and_record(self) -> None:
        compositor_refresh(self)
        FRAMES.append(time.perf_counter())

    Screen._compositor_refresh = refresh_and_record
    draw = TranscriptView._draw

    def draw_and_record(self, number):
        DRAWN.append(time.perf_counter())
        return draw(self, number)

    TranscriptView._draw = draw_and_record
    for name in ("show_detail",):  # the last thing a handled move and a written result do
        original = getattr(WorkbenchScreen, name)

        def recorded(self, *args, _original=original):
            result = _original(self, *args)
            HANDLED.append(time.perf_counter())
            return result
        setattr(WorkbenchScreen, name, recorded)


def frame_after(moment: float) -> float | None:
    return next((frame for frame in FRAMES if frame >= moment), None)


async def key_to_frame(pilot, key: str) -> float:
    HANDLED.clear()
    begin = time.perf_counter()
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    for _ in range(200):
        if HANDLED and frame_after(HANDLED[-1]) is not None:
            break
        await pilot.pause(0.005)
    return frame_after(HANDLED[-1]) - begin


async def measure(path: Path, size=(160, 50)) -> dict[str, float]:
    with open_project(path) as project:
        FRAMES.clear()
        DRAWN.clear()
        started = time.perf_counter()
        app = make_app(project, "anouk")
        async with app.run_test(size=size) as pilot:
            while not isinstance(app.screen, WorkbenchScreen):
                await pilot.pause(0)
            await pilot.pause()
            shown = frame_after(DRAWN[0]) - started if DRAWN else float("nan")
            screen = app.screen
            screen.code_tree.cursor_line = 2                   # highlight a code in the tree ("Code 1")
            await pilot.pause()
            screen.transcript.focus()
            moves, codings = [], []
            for _ in range(25):
                moves.append(await key_to_frame(pilot, "j"))
                codings.append(await key_to_frame(pilot, "a"))
            opened = []
            for _ in range(3):
                begin = time.perf_counter()
                screen._open(screen.session.view.id)
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                opened.append(frame_after(begin) - begin if frame_after(begin) else float("nan"))
    return {"start": shown, "move": statistics.median(moves), "move max": max(moves),
            "apply": statistics.median(codings), "apply max": max(codings), "open": statistics.median(opened)}


def build_long(folder: Path) -> Path:
    """One 300,000-character transcript carrying 5,000 segments (QualCoder users' slow case)."""
    path = folder / "long.thematica"
    text = synthetic_transcript(5, 48_000)
    while len(text) < 300_000:
        text += synthetic_transcript(len(text), 2_000)
    text = text[:300_000].rsplit(" ", 1)[0] + ".\n"
    with open_project(path, create=True) as project:
        store_text(project, "Lang", text)
        for number in range(30):
            codebook.create_code(project, f"Thema {number // 6}/Code {number}", "anouk")
    rng = random.Random(3)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("INSERT INTO coder (name, created_at) VALUES ('anouk', datetime('now'))")
    codes = [row[0] for row in connection.execute("SELECT id FROM code WHERE parent_id IS NOT NULL")]
    rows = set()
    while len(rows) < 5_000:
        start = rng.randrange(0, len(text) - 400)
        rows.add((rng.choice(codes), start, start + rng.randrange(20, 400)))
    connection.executemany("INSERT INTO segment (document_id, code_id, coder_id, start, \"end\", memo, created_at, "
                           "updated_at) VALUES (1, ?, 1, ?, ?, '', datetime('now'), datetime('now'))", sorted(rows))
    connection.close()
    return path


def main() -> None:
    instrument()
    sizes = [int(size) for size in sys.argv[1:]] or [6, 60, 240]
    with tempfile.TemporaryDirectory() as folder:
        results = {size: asyncio.run(measure(build(Path(folder), size))) for size in sizes}
        long = asyncio.run(measure(build_long(Path(folder))))
    print(f"{'ms (medians of 25 keys)':<44}" + "".join(f"{f'{size} docs':>12}" for size in sizes)
          + f"{'300k chars':>12}")
    for label, key in (("start → first frame showing the transcript", "start"), ("open a document and paint", "open"),
                       ("key j (next unit) → frame", "move"), ("  max", "move max"),
                       ("key a (apply code, worker) → frame", "apply"), ("  max", "apply max")):
        print(f"{label:<44}" + "".join(f"{1000 * results[size][key]:>12.1f}" for size in sizes)
              + f"{1000 * long[key]:>12.1f}")
    first = sizes[0]
    for key in ("move", "apply"):
        ratios = ", ".join(f"{size}: {results[size][key] / results[first][key]:.2f}×" for size in sizes[1:])
        print(f"{key}: ratio to {first} documents — {ratios}")


if __name__ == "__main__":
    main()
