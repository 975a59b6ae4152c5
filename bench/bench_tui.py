"""Workbench benchmark: per project size (6, 60, 240 documents of 2,000 words, two coders, ~75
segments per document and coder), then a 300,000-character transcript carrying 5,000 segments.

Measured, each as the median over many repeats:

* start → the first frame showing a transcript: ``thematica code PROJECT --coder anouk`` started
  as a new process on a pseudo-terminal until the terminal receives the first document's text
  (``cold``; also the ordinary start through the typer app, for comparison), and within this
  process from building the app (``warm``);
* open a document → the frame that shows it;
* key ``j`` (next unit) and key ``a`` (apply the code highlighted in the tree) → the frame that
  shows the result (for ``a`` shown at once from the session's state, the write in a worker), and
  ``a`` → the frame after the write is confirmed;
* for every key also the main thread's CPU time (``time.thread_time``) from the key to that frame,
  which other processes on a busy machine disturb less than the wall clock.

Targets: median ≤ 16 ms per key and ≤ 1.2× the 6-document figure; start ≤ 300 ms; the long
transcript opened and painted ≤ 300 ms.

    PYTHONPATH=src .venv/bin/python bench/bench_tui.py [6 60 240] [--keys 40] [--starts 5] [--projects DIR]

The checkout's modules are compiled to bytecode first, as an installed copy's are.
``--projects DIR`` keeps the built projects there and reuses them (building the 240-document
project takes a few seconds; without it they go into a temporary folder).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FRAMES: list[tuple[float, float]] = []   # (wall clock, main thread's CPU time) of each composed frame
HANDLED: list[float] = []


def instrument() -> None:
    """Time-stamp every composed frame and the end of each handled key (``show_status`` is the last
    thing a move, an optimistic apply, a confirmed write and an opened document do)."""
    from textual.screen import Screen

    from thematica.tui.screens.workbench import WorkbenchScreen

    compositor_refresh = Screen._compositor_refresh

    def refresh_and_record(self: Screen) -> None:  # type: ignore[type-arg]
        compositor_refresh(self)
        FRAMES.append((time.perf_counter(), time.thread_time()))

    Screen._compositor_refresh = refresh_and_record  # type: ignore[method-assign]
    original = WorkbenchScreen.show_status

    def recorded(self: WorkbenchScreen) -> None:
        original(self)
        HANDLED.append(time.perf_counter())
    WorkbenchScreen.show_status = recorded  # type: ignore[method-assign]


def frame_after(moment: float) -> tuple[float, float] | None:
    return next((frame for frame in FRAMES if frame[0] >= moment), None)


async def timed(pilot, action) -> tuple[float, float, float]:
    """(wall, CPU) from the action to the frame after the first handled result, and wall to the
    frame after the last one (a confirmed write)."""
    HANDLED.clear()
    begin, cpu = time.perf_counter(), time.thread_time()
    await action()
    await pilot.app.workers.wait_for_complete()
    for _ in range(400):
        if HANDLED and frame_after(HANDLED[-1]) is not None:
            break
        await pilot.pause(0.002)
    first, last = frame_after(HANDLED[0]), frame_after(HANDLED[-1])
    assert first is not None and last is not None, "no frame after the key"
    return first[0] - begin, first[1] - cpu, last[0] - begin


async def measure(path: Path, keys: int, size: tuple[int, int] = (160, 50)) -> dict[str, float]:
    from thematica.store.project import open_project
    from thematica.tui.app import make_app
    from thematica.tui.screens.workbench import WorkbenchScreen

    with open_project(path) as project:
        FRAMES.clear()
        HANDLED.clear()
        started = time.perf_counter()
        app = make_app(project, "anouk")
        async with app.run_test(size=size) as pilot:
            while not isinstance(app.screen, WorkbenchScreen) or not HANDLED or frame_after(HANDLED[0]) is None:
                await pilot.pause(0.001)
            warm = frame_after(HANDLED[0])[0] - started  # type: ignore[index]
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            screen = app.screen
            assert isinstance(screen, WorkbenchScreen)
            screen.code_tree.cursor_line = 2                   # highlight a code in the tree ("Code 1")
            screen.transcript.focus()
            await pilot.pause()
            moves, applies = [], []
            for _ in range(keys):
                moves.append(await timed(pilot, lambda: pilot.press("j")))
                applies.append(await timed(pilot, lambda: pilot.press("a")))
            opened = []
            for _ in range(5):
                async def reopen() -> None:
                    screen._open(screen.session.view.id)
                opened.append(await timed(pilot, reopen))

    def median(values: list[tuple[float, float, float]], index: int) -> float:
        return statistics.median(value[index] for value in values)
    return {"warm": warm, "open": median(opened, 0), "move": median(moves, 0), "move cpu": median(moves, 1),
            "move p90": sorted(m[0] for m in moves)[int(0.9 * len(moves))],
            "apply": median(applies, 0), "apply cpu": median(applies, 1),
            "apply p90": sorted(a[0] for a in applies)[int(0.9 * len(applies))], "apply saved": median(applies, 2)}


def transcript_marker(path: Path) -> bytes:
    """The longest word of the first document's first line: on screen only when its transcript is."""
    connection = sqlite3.connect(path)
    text = connection.execute("SELECT text FROM document ORDER BY position, id LIMIT 1").fetchone()[0]
    connection.close()
    words = [word.strip(".,!?:") for word in text.split("\n", 1)[0].split()[1:12]]
    return max(words, key=len).encode()


def terminal_start(path: Path, repeats: int, *, quick: bool = True) -> float:
    """Median seconds from starting ``thematica code PATH --coder anouk`` in a new process on a
    160×50 pseudo-terminal until the terminal receives the first document's text. ``quick``: the
    console entry (``thematica.cli.main``, which tries the quick start first); otherwise the typer
    app directly (``thematica.cli.app.main``): the ordinary start, for comparison."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    marker = transcript_marker(path)
    entry = ["-m", "thematica"] if quick else ["-c", "from thematica.cli.app import main; main()"]
    times = []
    with tempfile.TemporaryDirectory() as config:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TERM": "xterm-256color",
                       "XDG_CONFIG_HOME": config, "COLUMNS": "160", "LINES": "50"}
        for _ in range(repeats):
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
            begin = time.perf_counter()
            process = subprocess.Popen([sys.executable, *entry, "code", str(path), "--coder", "anouk"], stdin=slave,
                                       stdout=slave, stderr=slave, env=environment, start_new_session=True)
            os.close(slave)
            seen = b""
            while marker not in seen:
                ready, _, _ = select.select([master], [], [], 20)
                if not ready:
                    process.kill()
                    raise RuntimeError(f"no transcript on the terminal after 20 s: {seen[-300:]!r}")
                seen += os.read(master, 1 << 16)
            times.append(time.perf_counter() - begin)
            process.kill()
            process.wait()
            os.close(master)
    return statistics.median(times)


def build_long(folder: Path) -> Path:
    """One 300,000-character transcript carrying 5,000 segments (QualCoder users' slow case)."""
    from synthetic import synthetic_transcript

    from thematica.coding import codebook
    from thematica.corpus.importer import store_text
    from thematica.store.project import open_project

    path = folder / "long.thematica"
    if path.exists():
        return path
    text = synthetic_transcript(5, 48_000)
    while len(text) < 300_000:
        text += synthetic_transcript(len(text), 2_000)
    text = text[:300_000].rsplit(" ", 1)[0] + ".\n"
    building = folder / "long.building"
    building.unlink(missing_ok=True)
    with open_project(building, create=True) as project:
        store_text(project, "Lang", text)
        for number in range(30):
            codebook.create_code(project, f"Thema {number // 6}/Code {number}", "anouk")
    rng = random.Random(3)
    connection = sqlite3.connect(building, isolation_level=None)
    connection.execute("INSERT INTO coder (name, name_key, created_at) VALUES ('anouk', 'anouk', datetime('now'))")
    codes = [row[0] for row in connection.execute("SELECT id FROM code WHERE parent_id IS NOT NULL")]
    rows = set()
    while len(rows) < 5_000:
        start = rng.randrange(0, len(text) - 400)
        rows.add((rng.choice(codes), start, start + rng.randrange(20, 400)))
    connection.executemany("INSERT INTO segment (document_id, code_id, coder_id, start, \"end\", memo, created_at, "
                           "updated_at) VALUES (1, ?, 1, ?, ?, '', datetime('now'), datetime('now'))", sorted(rows))
    connection.close()
    building.rename(path)
    return path


ROWS = (("start → transcript on the terminal (thematica code)", "cold"),
        ("  the ordinary start (typer app, SQLAlchemy first)", "ordinary"),
        ("start → first transcript frame, warm (in process)", "warm"),
        ("open a document → frame", "open"),
        ("key j (next unit) → frame", "move"), ("  p90", "move p90"), ("  main-thread CPU", "move cpu"),
        ("key a (apply code) → frame showing it", "apply"), ("  p90", "apply p90"), ("  main-thread CPU", "apply cpu"),
        ("key a → frame after the write is confirmed", "apply saved"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[6, 60, 240])
    parser.add_argument("--keys", type=int, default=40, help="repeats of each key (median, p90)")
    parser.add_argument("--starts", type=int, default=5, help="fresh processes started per project (median)")
    parser.add_argument("--projects", type=Path, help="build the projects here once and reuse them")
    args = parser.parse_args()
    from projects import build

    import thematica

    # An installed Thematica has its bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module at every start it measures.
    compileall.compile_dir(str(Path(thematica.__file__).parent), quiet=1)
    instrument()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.projects or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {f"{size} docs": build(folder, size) for size in args.sizes}
        paths["300k chars"] = build_long(folder)
        results = {}
        for label, built in paths.items():
            path = Path(temporary) / f"measured-{built.name}"  # the keys code: never in the kept project
            shutil.copyfile(built, path)
            results[label] = asyncio.run(measure(path, args.keys))
            results[label]["cold"] = terminal_start(path, args.starts)
            results[label]["ordinary"] = terminal_start(path, args.starts, quick=False)
    print(f"{f'ms (medians; {args.keys} keys, {args.starts} starts)':<52}" + "".join(f"{label:>12}" for label in results))
    for title, key in ROWS:
        print(f"{title:<52}" + "".join(f"{1000 * result[key]:>12.1f}" for result in results.values()))
    first = f"{args.sizes[0]} docs"
    for key in ("move", "apply", "move cpu", "apply cpu"):
        ratios = ", ".join(f"{label}: {results[label][key] / results[first][key]:.2f}×" for label in results
                           if label != first)
        print(f"{key}: ratio to {first} — {ratios}")


if __name__ == "__main__":
    main()
