"""Forest plots laid out as metafor's ``forest()`` prints them, and the contour-enhanced funnel plot.

Columns: study | the arms' data (events/total or M (SD) n) | the plot | weight | estimate [95% CI].
Ratio measures sit on a log axis with ticks on the natural scale (0.1, 0.2, 0.5, 1, 2, 5, 10); the
null line is at 1 (0 for differences). Squares are sized by weight; a diamond spans each pooled
CI; the prediction interval is a line with end ticks under the diamond. Below the axis, "Favours
<arm>" on each side of the null. A CI reaching past the axis ends in an arrow.

Funnel (Peters et al. 2008, contour-enhanced): the effect against its standard error (inverted),
shaded where a study would be significant at p < .01, .01–.05 and .05–.10 (two-sided z test
against the null), with the pooled estimate and its 95% pseudo-confidence funnel.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np

from thematica.maths.normal import Z95, z_two_sided
from thematica.quant.meta_analysis import MetaResult
from thematica.reports.figures.forest_rows import ForestData, ForestRow, figure_interval
from thematica.reports.figures.render import figure_bytes, style
from thematica.reports.numbers import number, shortest

RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
ROW_INCHES = 0.24
BLUE, ORANGE, GREY = "#1F4E79", "#C4450C", "#555555"


def axis_limits(data: ForestData) -> tuple[float, float, list[float]]:
    """Axis range (analysis scale) and ticks: the natural-scale ticks around every interval and the
    null, capped at 0.01–100 for ratios; nice linear ticks for differences."""
    values = [v for r in data.rows for v in (r.low, r.high) if v is not None and math.isfinite(v)]
    null = 0.0
    low, high = min(values + [null]), max(values + [null])
    if data.natural:
        natural_low, natural_high = math.exp(low), math.exp(high)
        below = [t for t in RATIO_TICKS if t <= natural_low] or [RATIO_TICKS[0]]
        above = [t for t in RATIO_TICKS if t >= natural_high] or [RATIO_TICKS[-1]]
        first, last = max(below[-1], 0.01), min(above[0], 100)
        first, last = min(first, 0.5), max(last, 2)
        ticks = [t for t in RATIO_TICKS if first <= t <= last]
        if len(ticks) > 9:  # a wide axis: 1-2-5 ticks would crowd; keep decades and 0.5, 2
            ticks = [t for t in ticks if t in (0.01, 0.1, 0.5, 1, 2, 10, 100) or t in (first, last)]
        return math.log(first), math.log(last), [math.log(t) for t in ticks]
    from matplotlib.ticker import MaxNLocator

    pad = (high - low) * 0.05 or 0.5
    ticks = [float(t) for t in MaxNLocator(nbins=6).tick_values(low - pad, high + pad)]
    return ticks[0], ticks[-1], ticks


def _scale(data: ForestData, value: float) -> float:
    return math.exp(value) if data.natural else value


def _interval(data: ForestData, row: ForestRow) -> str:
    assert row.estimate is not None and row.low is not None and row.high is not None
    return figure_interval(_scale(data, row.estimate), _scale(data, row.low), _scale(data, row.high))


def forest(data: ForestData, fmt: str, arms: tuple[str, str] = ("Treatment", "Control"),
           larger_is_better: bool = False) -> bytes:
    """Draw ``data`` (from ``reports.figures.forest_rows``) as a forest plot; returns the file's bytes.

    ``larger_is_better`` says which side favours which arm: by default (harmful events, symptom
    scores) values below the null favour the first arm.
    """
    with style() as plt:
        rows = data.rows
        arm_columns = len(data.headers)
        has_weight = any(r.weight is not None for r in rows)
        has_detail = any(r.detail for r in rows)
        widths = {"label": 2.3, "arm": 1.05, "plot": 2.9, "weight": 0.6, "ci": 1.45, "detail": 1.6}
        total = (widths["label"] + arm_columns * widths["arm"] + widths["plot"] + widths["weight"] * has_weight
                 + widths["ci"] + widths["detail"] * has_detail)
        height = ROW_INCHES * (len(rows) + 3) + 0.8
        figure = plt.figure(figsize=(total, height))
        bottom, top = 0.8 / height, 1 - ROW_INCHES * 3 / height
        x = widths["label"] + arm_columns * widths["arm"]
        axes = figure.add_axes((x / total, bottom, widths["plot"] / total, top - bottom))
        n = len(rows)
        axes.set_ylim(n - 0.5, -0.5)
        low, high, ticks = axis_limits(data)
        axes.set_xlim(low, high)
        axes.set_xticks(ticks)
        axes.set_xticklabels([shortest(_scale(data, t)) for t in ticks])
        axes.set_yticks([])
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.axvline(0.0, color=GREY, lw=0.8, ls=(0, (4, 3)), zorder=1)
        axes.set_xlabel(f"{data.measure}" + (" (log scale)" if data.natural else ""), labelpad=17)
        text_y = axes.get_yaxis_transform()  # x in axes fraction, y in rows

        def column(x_inches: float, y: float, text: str, ha: str = "left", bold: bool = False,
                   italic: bool = False) -> None:
            position = (x_inches - x) / widths["plot"]
            axes.text(position, y, text, transform=text_y, ha=ha, va="center", fontsize=8, clip_on=False,
                      fontweight="bold" if bold else "normal", fontstyle="italic" if italic else "normal")

        weight_x = x + widths["plot"] + 0.1
        ci_x = weight_x + (widths["weight"] if has_weight else 0) + widths["ci"]
        header_y = -1.6
        column(0.05, header_y, "Study", bold=True)
        for index, header in enumerate(data.headers):
            column(widths["label"] + (index + 1) * widths["arm"] - 0.1, header_y, header, ha="right", bold=True)
        if has_weight:
            column(weight_x + widths["weight"] - 0.08, header_y, "Weight", ha="right", bold=True)
        column(ci_x, header_y, f"{data.measure} [95% CI]", ha="right", bold=True)
        if has_detail:
            column(ci_x + 0.15, header_y, "Heterogeneity", bold=True)
        largest = max((r.weight or 0 for r in rows), default=1) or 1
        for y, row in enumerate(rows):
            label = textwrap.shorten(row.label, 40, placeholder="…")
            if row.kind == "header":
                column(0.05, y, label, bold=True)
                continue
            if row.kind == "note":
                column(0.05, y, row.label, italic=True)
                continue
            if row.kind == "gap" or row.estimate is None or row.low is None or row.high is None:
                continue
            indent = 0.15 if row.kind in ("study", "point") else 0.05
            column(indent, y, label, bold=row.kind == "summary", italic=row.kind == "prediction")
            if row.detail:
                column(ci_x + 0.15, y, row.detail)
            for index, cell in enumerate(row.cells):
                column(widths["label"] + (index + 1) * widths["arm"] - 0.1, y, cell, ha="right")
            if row.weight is not None:
                column(weight_x + widths["weight"] - 0.08, y, f"{number(row.weight, 1)}%", ha="right")
            column(ci_x, y, _interval(data, row), ha="right", bold=row.kind == "summary")
            clipped_low, clipped_high = max(row.low, low), min(row.high, high)
            if row.kind == "summary":
                axes.fill([row.low, row.estimate, row.high, row.estimate], [y, y - 0.32, y, y + 0.32],
                          color=BLUE if "all studies" in row.label else "#5B8DB8", zorder=3, lw=0)
            elif row.kind == "prediction":
                axes.plot([clipped_low, clipped_high], [y, y], color=ORANGE, lw=1.6, zorder=3)
                for end, value in ((clipped_low, row.low), (clipped_high, row.high)):
                    if end == value:
                        axes.plot([end, end], [y - 0.18, y + 0.18], color=ORANGE, lw=1.6, zorder=3)
            else:
                axes.plot([clipped_low, clipped_high], [y, y], color="black", lw=0.9, zorder=2)
                for end, value, marker in ((clipped_low, row.low, "<"), (clipped_high, row.high, ">")):
                    if end != value:
                        axes.plot(end, y, marker=marker, color="black", markersize=4, zorder=2, clip_on=False)
                if row.kind == "study" and row.weight is not None:
                    size = 3 + 7 * math.sqrt(row.weight / largest)
                    axes.plot(row.estimate, y, "s", color=BLUE, markersize=size, zorder=4)
                else:
                    axes.plot(row.estimate, y, "o", color=BLUE, markersize=4, zorder=4)
        left_arm, right_arm = (arms[1], arms[0]) if larger_is_better else (arms[0], arms[1])
        null_fraction = (0.0 - low) / (high - low)
        for text, side, shift in ((f"← Favours {left_arm}", "right", -5), (f"Favours {right_arm} →", "left", 5)):
            axes.annotate(text, xy=(null_fraction, 0), xycoords="axes fraction", xytext=(shift, -19),
                          textcoords="offset points", ha=side, va="top", fontsize=8, style="italic")
        if data.title:
            figure.text(0.01, 1 - 0.08 / height, data.title, ha="left", va="top", fontsize=10, fontweight="bold")
        return figure_bytes(figure, fmt)


def funnel(result: MetaResult, fmt: str) -> bytes:
    """Contour-enhanced funnel plot (significance regions against the null)."""
    effects = result.effects.effects
    se = np.array([e.se for e in effects])
    y = np.array([e.estimate for e in effects])
    with style() as plt:
        figure, axes = plt.subplots(figsize=(5.2, 4.2))
        top = float(se.max() * 1.08) if len(se) else 1.0
        grid = np.linspace(0, top, 200)
        reach = max(float(np.max(np.abs(y) + 2.8 * se)) if len(y) else 1.0, 2.58 * top) * 1.05
        z99, z90 = z_two_sided(0.99), z_two_sided(0.90)
        shades = ((z99, math.inf, "#9E9E9E", "p < .01"), (Z95, z99, "#C8C8C8", ".01 ≤ p < .05"),
                  (z90, Z95, "#E8E8E8", ".05 ≤ p < .10"))
        for z_low, z_high, colour, label in shades:
            inner, outer = z_low * grid, np.minimum(z_high * grid, reach) if math.isfinite(z_high) else np.full_like(grid, reach)
            axes.fill_betweenx(grid, inner, outer, color=colour, lw=0, label=label)
            axes.fill_betweenx(grid, -outer, -inner, color=colour, lw=0)
        centre = result.pooled.estimate
        axes.plot(centre - Z95 * grid, grid, color=GREY, lw=0.8, ls="--", label="95% pseudo-CI around pooled")
        axes.plot(centre + Z95 * grid, grid, color=GREY, lw=0.8, ls="--")
        axes.axvline(centre, color=ORANGE, lw=1.2, label=f"pooled ({result.pooled.method})")
        axes.axvline(0.0, color="black", lw=0.6)
        axes.scatter(y, se, s=22, color="white", edgecolor="black", zorder=5, label="study")
        axes.set_ylim(top, 0)
        span = max(float(np.max(np.abs(y - 0)) + 0.2), 2.0 * top) if len(y) else 1.0
        axes.set_xlim(-span * 1.1, span * 1.1)
        if result.natural:
            ticks = [t for t in RATIO_TICKS if -span * 1.1 <= math.log(t) <= span * 1.1]
            axes.set_xticks([math.log(t) for t in ticks])
            axes.set_xticklabels([shortest(t) for t in ticks])
            axes.set_xlabel(f"{result.measure} (log scale)")
        else:
            axes.set_xlabel(result.measure)
        axes.set_ylabel("Standard error")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False,
                    title="Contours: significance\nagainst the null", title_fontsize=7.5)
        return figure_bytes(figure, fmt)
