"""Outcome means with 95% CI over time per arm: the numbers (``means_over_time``), the print figure
(``reports.figures.trial_plot``) and the terminal plot (plotext, its legend printed under the plot
so it never covers a point)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def means_over_time(frame: pd.DataFrame, outcome: str) -> dict[str, list[tuple[object, float, float, float, int]]]:
    """``{arm: [(time, mean, ci_low, ci_high, n)]}`` with t-based 95% intervals, mean ± t(0.975, n−1)·s/√n;
    timepoints with fewer than 2 values are left out."""
    found: dict[str, list[tuple[object, float, float, float, int]]] = {}
    for arm in pd.unique(frame["arm"].dropna()):
        group = frame[frame["arm"] == arm]
        points = []
        for time, values in group.groupby("time", observed=True, sort=True)[outcome]:
            values = values.dropna().astype(float)
            if len(values) < 2:
                continue
            mean, se = float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))
            half = float(stats.t.ppf(0.975, len(values) - 1)) * se
            points.append((time, mean, mean - half, mean + half, int(len(values))))
        found[str(arm)] = points
    return found


def numeric_times(points: list[tuple[object, float, float, float, int]]) -> list[float]:
    """Timepoints as numbers when they are numbers (0, 3, 6 months), else their order."""
    try:
        return [float(str(p[0])) for p in points]
    except ValueError:
        return [float(i) for i in range(len(points))]


def plot_terminal(frame: pd.DataFrame, outcome: str, width: int = 80, height: int = 20, unit: str = "") -> str:
    import plotext

    plotext.clear_figure()
    plotext.plotsize(width, height)
    colours = ["blue", "red", "green", "magenta", "cyan"]
    legend = []
    for index, (arm, points) in enumerate(means_over_time(frame, outcome).items()):
        colour = colours[index % len(colours)]
        plotext.plot(numeric_times(points), [p[1] for p in points], marker="dot", color=colour)
        legend.append(f"{arm} ({colour})")
    plotext.title(f"{outcome}{f' ({unit})' if unit else ''}: mean per arm over time")
    plotext.xlabel("time")
    return plotext.build() + "\n" + "legend: " + "; ".join(legend)
