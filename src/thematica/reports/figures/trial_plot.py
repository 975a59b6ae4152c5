"""Trial outcome over time: the mean with its 95% CI per arm at each timepoint, arms shifted a little
sideways so their intervals do not hide each other, the legend outside the axes (never over a point),
the y axis named with the outcome and its unit, n per arm and timepoint under the axis."""

from __future__ import annotations

import pandas as pd

from thematica.quant.plots import means_over_time, numeric_times
from thematica.reports.figures.render import figure_bytes, style

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
MARKERS = ("o", "s", "^", "D", "v")


def trial_plot(frame: pd.DataFrame, outcome: str, fmt: str, unit: str = "", time_label: str = "time") -> bytes:
    series = means_over_time(frame, outcome)
    with style() as plt:
        figure, axes = plt.subplots(figsize=(6.4, 4.0))
        all_times = sorted({t for points in series.values() for t in numeric_times(points)})
        span = (max(all_times) - min(all_times)) if len(all_times) > 1 else 1.0
        shift = span * 0.012
        for index, (arm, points) in enumerate(series.items()):
            x = [t + (index - (len(series) - 1) / 2) * shift for t in numeric_times(points)]
            means = [p[1] for p in points]
            axes.errorbar(x, means, yerr=[[p[1] - p[2] for p in points], [p[3] - p[1] for p in points]],
                          marker=MARKERS[index % len(MARKERS)], color=COLOURS[index % len(COLOURS)], capsize=3,
                          lw=1.4, markersize=5, label=f"{arm}")
        axes.set_xticks(all_times)
        axes.set_xticklabels([f"{t:g}" for t in all_times])
        axes.set_xlabel(time_label)
        axes.set_ylabel(f"{outcome}{f' ({unit})' if unit else ''}, mean and 95% CI")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(title="arm", loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        counts = "; ".join(f"{arm}: n = " + ", ".join(str(p[4]) for p in points) for arm, points in series.items())
        axes.annotate(f"n per timepoint — {counts}", xy=(0, 0), xycoords="axes fraction", xytext=(0, -34),
                      textcoords="offset points", fontsize=7, color="#555555", va="top")
        axes.set_title(f"{outcome}: mean per arm over time", fontsize=10)
        return figure_bytes(figure, fmt)
