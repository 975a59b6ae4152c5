"""Systematic review at scale: import and de-duplicate 10,000 records (20% duplicates), score the matcher
against the generated truth, and time the screening screen's keystroke-to-frame at 10,000 records.

Run: .venv/bin/python bench/bench_review.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from thematica.review import screening
from thematica.review.importing import duplicate_candidates, import_records
from thematica.review.sample import sample_records, write_ris
from thematica.review.screening_session import ScreeningSession
from thematica.vocabulary import ReviewStage
from thematica.store.project import open_project

FRAMES: list[float] = []


def record_frames() -> None:
    from textual.screen import Screen

    original = Screen._compositor_refresh

    def refresh_and_record(self) -> None:  # type: ignore[no-untyped-def]
        original(self)
        FRAMES.append(time.perf_counter())

    Screen._compositor_refresh = refresh_and_record  # type: ignore[method-assign]


def last_frame_since(begin: float) -> float:
    after = [frame for frame in FRAMES if frame >= begin]
    return (after[-1] if after else time.perf_counter()) - begin


async def keystrokes(project_path: Path) -> tuple[float, float, float]:
    from thematica.tui.screens.screening import ScreeningApp

    with open_project(project_path) as project:
        started = time.perf_counter()
        session = ScreeningSession(project, "anouk", ReviewStage.TITLE_ABSTRACT)
        app = ScreeningApp(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            opened = last_frame_since(started)
            moves, decisions = [], []
            for index in range(30):
                begin = time.perf_counter()
                await pilot.press("n")
                await pilot.pause()
                moves.append(last_frame_since(begin))
                begin = time.perf_counter()
                await pilot.press("i" if index % 3 else "e")
                await pilot.pause()
                decisions.append(last_frame_since(begin))
    return opened, statistics.median(moves), statistics.median(decisions)


def main() -> None:
    record_frames()
    records = sample_records(10_000, duplicate_share=0.2, seed=2026)
    truth = {r.key: r.truth for r in records if r.truth is not None}
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "records.ris"
        export.write_text(write_ris(records), encoding="utf-8")
        path = Path(folder) / "review.thematica"
        with open_project(path, create=True) as project:
            begin = time.perf_counter()
            summary = import_records(project, [export], database=None, actor="bench")
            imported = time.perf_counter() - begin
            begin = time.perf_counter()
            pairs = duplicate_candidates(project)
            matched = time.perf_counter() - begin
            screening.add_reviewers(project, ["anouk", "bas"], actor="bench")
            screening.set_keywords(project, ["randomised", "gerandomiseerde"], actor="bench")
        found = {p.duplicate: p.keep for p in pairs}
        root = lambda key: truth.get(key, key)  # noqa: E731
        true_positive = sum(1 for d, k in found.items() if root(d) == root(k))
        print(f"import {summary.total:,} RIS records: {imported:.2f} s (includes proposing duplicates once)")
        print(f"propose duplicates among {summary.total:,} records: {matched:.2f} s; {len(found):,} proposed for "
              f"{len(truth):,} true duplicates: recall {true_positive / len(truth):.3f}, "
              f"precision {true_positive / max(1, len(found)):.3f}")
        opened, move, decide = asyncio.run(keystrokes(path))
        print(f"screening screen at 10,000 records: first frame {1000 * opened:.0f} ms; next record, key to frame "
              f"median {1000 * move:.1f} ms; decision (one transaction) key to frame median {1000 * decide:.1f} ms")


if __name__ == "__main__":
    main()
