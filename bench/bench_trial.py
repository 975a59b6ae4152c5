"""Trial benchmark (issue 8): analyse 10,000 participants × 5 timepoints × 20 outcomes. Target < 10 s.

    .venv/bin/python bench/bench_trial.py [--participants 10000] [--outcomes 20] [--no-mixed]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from thematica.quant.stats import trial


def synthetic(participants: int, outcomes: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    times = [0, 3, 6, 12, 24]
    frame = pd.DataFrame({"participant": np.repeat(np.arange(participants), len(times)).astype(str),
                          "arm": np.repeat(rng.choice(["training", "booster"], participants), len(times)),
                          "time": np.tile(times, participants)})
    person = np.repeat(rng.normal(0, 1, participants), len(times))
    for number in range(outcomes):
        if number % 4 == 3:
            frame[f"y{number}"] = (person + rng.normal(0, 1, len(frame)) > 0).astype(float)
        else:
            frame[f"y{number}"] = 1.2 - 0.1 * frame["time"] / 6 + 0.5 * person + rng.normal(0, 0.5, len(frame))
        frame.loc[rng.random(len(frame)) < 0.1, f"y{number}"] = np.nan
    frame["time"] = pd.Categorical(frame["time"], categories=times, ordered=True)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--outcomes", type=int, default=20)
    parser.add_argument("--no-mixed", action="store_true", help="skip the linear mixed models")
    args = parser.parse_args()
    frame = synthetic(args.participants, args.outcomes)
    if args.no_mixed:
        trial.mixed_model = lambda *a, **k: None  # noqa: E731  (measure the rest alone)
    report = trial.Report()
    started = time.perf_counter()
    trial.baseline_table(frame, {f"y{n}": "binary" if n % 4 == 3 else "continuous" for n in range(args.outcomes)}, 0,
                         report)
    timings = {}
    for number in range(args.outcomes):
        begin = time.perf_counter()
        name = f"y{number}"
        if number % 4 == 3:
            trial.binary_outcome(frame, name, report)
        else:
            trial.continuous_outcome(frame, name, report)
        timings[name] = time.perf_counter() - begin
    elapsed = time.perf_counter() - started
    slowest = max(timings, key=timings.get)
    print(f"{args.participants:,} participants × 5 timepoints × {args.outcomes} outcomes: {elapsed:.1f} s "
          f"(target < 10 s); {len(report.results):,} results; slowest outcome {slowest} {timings[slowest]:.2f} s")


if __name__ == "__main__":
    main()
