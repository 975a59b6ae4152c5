"""Qualitative figures: framework-matrix and co-occurrence heat maps, code frequencies per coder,
the saturation curve and the document portrait (codeline). Data from ``qualitative_data``.

Heat maps print the value in every cell (dark cells in white text) so they read in grey print;
rows and columns carry the full code names (the family in front, shortened only past 48 characters).
"""

from __future__ import annotations

import textwrap

import numpy as np

from thematica.reports.figures.qualitative_data import Matrix, Portrait
from thematica.reports.figures.render import figure_bytes, style
from thematica.themes.analysis import Saturation

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _name(code: str, width: int = 60) -> str:
    return textwrap.shorten(code.replace("/", " / "), width, placeholder="…")


def heatmap(matrix: Matrix, fmt: str) -> bytes:
    rows, columns = len(matrix.rows), len(matrix.columns)
    square = matrix.rows == matrix.columns
    cell = 0.30 if columns <= 20 else 0.22
    with style() as plt:
        width = 3.4 + cell * columns + 1.0
        height = 1.6 + cell * rows + (2.6 if square else 0.5)
        figure, axes = plt.subplots(figsize=(width, height))
        values = matrix.values.astype(float)
        off = values.copy()
        if square:  # the diagonal (a code with itself) would swamp the scale: drawn grey, off the colour scale
            np.fill_diagonal(off, 0)
        top = float(off.max()) or 1.0
        shown = np.ma.masked_array(values, mask=np.eye(rows, dtype=bool) if square else np.zeros_like(values, bool))
        colours = plt.get_cmap("Blues").with_extremes(bad="#D9D9D9")
        image = axes.imshow(shown, cmap=colours, aspect="auto", vmin=0, vmax=top)
        size = 6.5 if columns <= 20 else 5
        for i in range(rows):
            for j in range(columns):
                value = values[i, j]
                text = (f"{value:.2f}".lstrip("0") if value else "0") if matrix.unit == "Jaccard similarity" \
                    else f"{int(value)}"
                axes.text(j, i, text, ha="center", va="center", fontsize=size,
                          color="white" if value > 0.6 * top and not (square and i == j) else "#222222",
                          fontstyle="italic" if square and i == j else "normal")
        axes.set_yticks(range(rows))
        axes.set_yticklabels([_name(r) for r in matrix.rows], fontsize=7)
        axes.set_xticks(range(columns))
        if square:
            axes.set_xticklabels([_name(c, 40) for c in matrix.columns], fontsize=7, rotation=90)
        else:
            axes.set_xticklabels(matrix.columns, fontsize=7.5, rotation=0 if columns <= 12 else 90)
            axes.xaxis.tick_top()
        for name, first, end in matrix.groups:
            if first:
                axes.axvline(first - 0.5, color="black", lw=1.5)
            axes.annotate(name, xy=((first + end - 1) / 2, rows - 0.5), xycoords="data", xytext=(0, -6),
                          textcoords="offset points", ha="center", va="top", fontsize=7.5, fontweight="bold",
                          annotation_clip=False)
        bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
        bar.set_label(matrix.unit, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        axes.set_title(matrix.title + ("\ndiagonal (grey): the code's own count" if square else ""), fontsize=9.5,
                       pad=24 if not square else 8)
        return figure_bytes(figure, fmt)


def frequency_bars(matrix: Matrix, fmt: str) -> bytes:
    """Horizontal bars: one group per code, one bar per coder."""
    rows, coders = len(matrix.rows), len(matrix.columns)
    with style() as plt:
        figure, axes = plt.subplots(figsize=(7.0, 1.2 + 0.16 * rows * max(coders, 2)))
        height = 0.8 / coders
        positions = np.arange(rows)
        for index, coder in enumerate(matrix.columns):
            axes.barh(positions + (index - (coders - 1) / 2) * height, matrix.values[:, index], height=height,
                      color=PALETTE[index % len(PALETTE)], label=coder)
        axes.set_yticks(positions)
        axes.set_yticklabels([_name(r) for r in matrix.rows], fontsize=7)
        axes.invert_yaxis()
        axes.set_xlabel("segments")
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#DDDDDD", lw=0.6)
        axes.set_axisbelow(True)
        axes.legend(title="coder", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        axes.set_title(matrix.title, fontsize=9.5)
        return figure_bytes(figure, fmt)


def saturation_curve(result: Saturation, fmt: str, coding: str = "") -> bytes:
    """New codes per interview (bars) in interview order, and the cumulative share of all codes (line)."""
    with style() as plt:
        figure, axes = plt.subplots(figsize=(6.4, 3.8))
        x = np.arange(len(result.documents))
        axes.bar(x, result.new_codes, color="#0072B2", width=0.6, label="new codes")
        for position, value in zip(x, result.new_codes):
            axes.annotate(str(value), (position, value), xytext=(0, 2), textcoords="offset points", ha="center",
                          va="bottom", fontsize=7.5)
        axes.set_xticks(x)
        axes.set_xticklabels(result.documents, rotation=0 if len(x) <= 12 else 90)
        axes.set_xlabel("interview (in interview order)")
        axes.set_ylabel("new codes")
        axes.set_ylim(0, max(result.new_codes + [1]) * 1.18)
        share = axes.twinx()
        share.plot(x, [100 * s for s in result.cumulative_share], color="#D55E00", marker="o", lw=1.6,
                   label="codes present (cumulative %)")
        share.set_ylim(0, 105)
        share.set_ylabel("share of all codes present (%)")
        for side in ("top",):
            axes.spines[side].set_visible(False)
            share.spines[side].set_visible(False)
        handles = axes.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
        labels = axes.get_legend_handles_labels()[1] + share.get_legend_handles_labels()[1]
        axes.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False,
                    fontsize=8)
        if result.saturated_after:
            note = f"no new code after {result.saturated_after}"
        else:
            note = "the last interview still brought new codes"
        axes.set_title(f"Saturation: new codes per interview{f' ({coding})' if coding else ''}\n{note}", fontsize=9.5)
        return figure_bytes(figure, fmt)


def portrait_plot(data: Portrait, fmt: str) -> bytes:
    """The codeline: one row per code, a bar for each segment along the transcript (characters), the
    speaker turns as a band on top (interviewer grey, respondent blue)."""
    rows = len(data.codes)
    with style() as plt:
        figure, axes = plt.subplots(figsize=(7.2, 1.5 + 0.2 * (rows + 1)))
        colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(sorted({c.split("/")[0]
                                                                                     for c in data.codes}))}
        for code, start, end in data.segments:
            axes.broken_barh([(start, max(end - start, data.length / 400))], (data.codes.index(code) + 0.6, 0.8),
                             color=colours[code.split("/")[0]])
        speakers = sorted({speaker or "" for speaker, _, _ in data.turns})
        shades = {s: ("#BBBBBB" if index % 2 == 0 else "#56B4E9") for index, s in enumerate(speakers)}
        for speaker, start, end in data.turns:
            axes.broken_barh([(start, end - start)], (-0.3, 0.7), color=shades[speaker or ""], lw=0)
        axes.set_yticks([0.05] + [i + 1 for i in range(rows)])
        axes.set_yticklabels(["turns: " + " / ".join(s or "—" for s in speakers)] + [_name(c) for c in data.codes],
                             fontsize=7)
        axes.set_ylim(rows + 0.6, -0.5)
        axes.set_xlim(0, data.length)
        axes.set_xlabel("position in the transcript (characters)")
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#EEEEEE", lw=0.6)
        axes.set_axisbelow(True)
        axes.set_title(f"Document portrait: {data.document} (case {data.case}; {data.coding})", fontsize=9.5)
        return figure_bytes(figure, fmt)
