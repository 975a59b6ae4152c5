"""Outcome means with 95% CI over time per arm: PNG/SVG with matplotlib, and in the terminal with plotext."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from thematica.files import private_path


def means_over_time(frame: pd.DataFrame, outcome: str) -> dict[str, list[tuple[object, float, float, float]]]:
    """``{arm: [(time, mean, ci_low, ci_high)]}`` with t-based 95% intervals."""
    found: dict[str, list[tuple[object, float, float, float]]] = {}
    for arm, group in frame.groupby("arm"):
        points: list[tuple[object, float, float, float]] = []
        for time, values in group.groupby("time", observed=True)[outcome]:
            values = values.dropna()
            if len(values) < 2:
                continue
            mean, se = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
            half = stats.t.ppf(0.975, len(values) - 1) * se
            points.append((time, float(mean), float(mean - half), float(mean + half)))
        found[str(arm)] = points
    return found


def plot_means(frame: pd.DataFrame, outcome: str, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for offset, (arm, points) in zip((-0.15, 0.15, 0.3), means_over_time(frame, outcome).items()):
        times = [float(str(p[0])) if str(p[0]).replace(".", "").isdigit() else i for i, p in enumerate(points)]
        x = np.array(times) + offset
        axes.errorbar(x, [p[1] for p in points], yerr=[[p[1] - p[2] for p in points], [p[3] - p[1] for p in points]],
                      marker="o", capsize=3, label=arm)
    axes.set_xlabel("time")
    axes.set_ylabel(f"{outcome} (mean, 95% CI)")
    axes.legend()
    axes.spines[["top", "right"]].set_visible(False)
    figure.savefig(str(private_path(out)), dpi=150, bbox_inches="tight")
    plt.close(figure)


def plot_terminal(frame: pd.DataFrame, outcome: str, width: int = 80, height: int = 20) -> str:
    import plotext

    plotext.clear_figure()
    plotext.plotsize(width, height)
    for arm, points in means_over_time(frame, outcome).items():
        plotext.plot([float(str(p[0])) for p in points], [p[1] for p in points], label=arm, marker="dot")
    plotext.title(f"{outcome}: mean over time")
    return plotext.build()
