"""Risk-of-bias figures as robvis draws them (McGuinness & Higgins 2021): a traffic-light plot (studies ×
domains, one coloured disc per judgement with its symbol) and a weighted summary bar (the share of studies
per judgement in each domain). Colours are robvis's defaults; symbols make them readable in grey print.
"""

from __future__ import annotations

from thematica.review.bias import AgreedBias
from thematica.vocabulary import BiasTool

COLOURS = {"low": "#02C100", "some concerns": "#E2DF07", "unclear": "#E2DF07", "high": "#BF0000"}
SYMBOLS = {"low": "+", "some concerns": "−", "unclear": "?", "high": "×"}
LEVEL_ORDER = {BiasTool.ROB1: ("low", "unclear", "high"), BiasTool.ROB2: ("low", "some concerns", "high")}


def _label(domain: str, index: int) -> str:
    return "Overall" if domain == "overall" else f"D{index + 1}"


def traffic_light(table: AgreedBias):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    rows, columns = len(table.studies), len(table.domains)
    figure = Figure(figsize=(1.6 + 0.55 * columns + 2.6, 0.9 + 0.38 * rows + 0.25 * len(table.domains)))
    axes = figure.add_axes((0.22, 0.25, 0.5, 0.7))
    axes.set_xlim(-0.5, columns - 0.5)
    axes.set_ylim(rows - 0.5, -0.5)
    for i, study in enumerate(table.studies):
        for j, domain in enumerate(table.domains):
            judgement = table.cells.get((study, domain))
            if judgement is None:
                continue
            axes.scatter([j], [i], s=260, color=COLOURS[judgement], edgecolors="black", linewidths=0.5)
            axes.text(j, i, SYMBOLS[judgement], ha="center", va="center", fontsize=10, fontweight="bold",
                      family="DejaVu Sans")
    axes.set_xticks(range(columns), [_label(d, k) for k, d in enumerate(table.domains)], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks(range(rows), list(table.studies), fontsize=8)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    key = "\n".join(f"{_label(d, k)}: {d}" for k, d in enumerate(table.domains) if d != "overall")
    figure.text(0.02, 0.02, key, fontsize=7, va="bottom", family="DejaVu Sans")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=COLOURS[level],
                      markeredgecolor="black", label=f"{SYMBOLS[level]} {level}") for level in LEVEL_ORDER[table.tool]]
    figure.legend(handles=handles, loc="lower right", fontsize=7, frameon=False, title="Judgement",
                  title_fontsize=7)
    return figure


def summary_bar(table: AgreedBias):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 0.6 + 0.35 * len(table.domains)))
    axes = figure.add_axes((0.36, 0.22, 0.6, 0.72))
    levels = LEVEL_ORDER[table.tool]
    for row, domain in enumerate(table.domains):
        judged = [table.cells[(s, domain)] for s in table.studies if (s, domain) in table.cells]
        left = 0.0
        for level in levels:
            share = judged.count(level) / len(judged) if judged else 0.0
            if share:
                axes.barh(row, share * 100, left=left, color=COLOURS[level], edgecolor="black", linewidth=0.4)
            left += share * 100
    axes.set_yticks(range(len(table.domains)), [d.capitalize() for d in table.domains], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("Studies (%)", fontsize=8)
    axes.tick_params(labelsize=8)
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=COLOURS[level], edgecolor="black", linewidth=0.4, label=level) for level in levels]
    figure.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
    return figure
