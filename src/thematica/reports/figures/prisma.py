"""The PRISMA 2020 flow diagram (new systematic reviews, databases only), drawn from ``PrismaCounts``.

The layout is PRISMA's template: the flow down the left column (identified → screened → sought →
assessed → included), the records leaving it in boxes to the right, phase labels at the left edge.
Text stays text: SVG ``<text>`` elements, PDF with embedded TrueType (Type 42), PNG at 300 dpi.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.files import write_private
from thematica.review.prisma import PrismaCounts

LABELS = {
    "en": {
        "identification": "Identification", "screening": "Screening", "included_phase": "Included",
        "identified": "Records identified from databases (n = {n}):",
        "removed": "Records removed before screening:\nDuplicate records (n = {n})",
        "screened": "Records screened\n(n = {n})", "excluded": "Records excluded\n(n = {n})",
        "undecided": "Not yet decided (n = {n})",
        "sought": "Reports sought for retrieval\n(n = {n})", "not_retrieved": "Reports not retrieved\n(n = {n})",
        "assessed": "Reports assessed for eligibility\n(n = {n})", "excluded_reports": "Reports excluded (n = {n}):",
        "included": "Studies included in review\n(n = {n})",
    },
    "nl": {
        "identification": "Identificatie", "screening": "Screening", "included_phase": "Geïncludeerd",
        "identified": "Records gevonden in databases (n = {n}):",
        "removed": "Verwijderd vóór screening:\nDubbele records (n = {n})",
        "screened": "Gescreende records\n(n = {n})", "excluded": "Geëxcludeerde records\n(n = {n})",
        "undecided": "Nog geen besluit (n = {n})",
        "sought": "Gezochte publicaties\n(n = {n})", "not_retrieved": "Niet gevonden publicaties\n(n = {n})",
        "assessed": "Beoordeeld op geschiktheid\n(n = {n})", "excluded_reports": "Geëxcludeerde publicaties (n = {n}):",
        "included": "Geïncludeerde studies\n(n = {n})",
    },
}
FORMATS = (".svg", ".pdf", ".png")
LINE = 0.19  # inches per text line at 9 pt
PAD = 0.14
WRAP = 36  # characters per line at 9 pt in a 2.75-inch box


def _number(n: int, language: str) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if language == "nl" else text


def _wrapped(text: str) -> str:
    """Every line of a box wrapped to ``WRAP`` characters, keeping its indentation."""
    text = text.replace("(n = ", "(n\u00a0=\u00a0")  # "(n = 600)" never breaks over two lines
    lines: list[str] = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        lines += textwrap.wrap(line.strip(), WRAP, initial_indent=indent, subsequent_indent=indent + "  ") or [""]
    return "\n".join(lines)


def _boxes(counts: PrismaCounts, language: str) -> list[tuple[str, str | None, str]]:
    """(left text, right text or None, phase) for each row of the diagram."""
    words = LABELS[language]
    n = lambda value: _number(value, language)  # noqa: E731
    identified = words["identified"].format(n=n(counts.identified_total)) + "".join(
        f"\n  {name} (n = {n(count)})" for name, count in counts.identified)
    excluded = words["excluded"].format(n=n(counts.excluded_screening))
    if counts.undecided_screening:
        excluded += "\n" + words["undecided"].format(n=n(counts.undecided_screening))
    reasons = words["excluded_reports"].format(n=n(counts.excluded_fulltext)) + "".join(
        "\n" + textwrap.fill(f"{reason} (n = {n(count)})", WRAP, initial_indent="  ", subsequent_indent="    ")
        for reason, count in counts.excluded_reasons)
    if counts.undecided_fulltext:
        reasons += "\n" + words["undecided"].format(n=n(counts.undecided_fulltext))
    return [
        (identified, words["removed"].format(n=n(counts.duplicates_removed)), "identification"),
        (words["screened"].format(n=n(counts.screened)), excluded, "screening"),
        (words["sought"].format(n=n(counts.sought)), words["not_retrieved"].format(n=n(counts.not_retrieved)),
         "screening"),
        (words["assessed"].format(n=n(counts.assessed)), reasons, "screening"),
        (words["included"].format(n=n(counts.included)), None, "included_phase"),
    ]


def prisma_figure(counts: PrismaCounts, *, language: str = "en"):
    """A matplotlib Figure of the flow diagram."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, Rectangle

    if language not in LABELS:
        raise ThematicaError(f"no PRISMA labels for language {language!r} (nl or en)")
    rows = [(_wrapped(left), None if right is None else _wrapped(right), phase)
            for left, right, phase in _boxes(counts, language)]
    heights = [max(left.count("\n"), (right or "").count("\n")) * LINE + LINE + 2 * PAD for left, right, _ in rows]
    # the 'Included' phase has one box: tall enough for its rotated label (about 0.085 in per character)
    heights[-1] = max(heights[-1], 0.085 * len(LABELS[language]["included_phase"]) + 0.1)
    gap = 0.35
    width, left_x, box_w, right_x = 6.3, 0.5, 2.75, 3.5  # 16 cm: the text width of an A4 page, so 9 pt prints as 9 pt
    total = sum(heights) + gap * (len(rows) - 1) + 0.3
    figure = Figure(figsize=(width, total))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, total)
    axes.axis("off")
    top = total - 0.15
    centres = []
    phases: dict[str, list[float]] = {}
    for (left, right, phase), height in zip(rows, heights):
        bottom = top - height
        axes.add_patch(Rectangle((left_x, bottom), box_w, height, fill=False, linewidth=0.8))
        axes.text(left_x + 0.1, bottom + height / 2, left, ha="left", va="center", fontsize=9, family="DejaVu Sans")
        if right is not None:
            axes.add_patch(Rectangle((right_x, bottom), box_w, height, fill=False, linewidth=0.8))
            axes.text(right_x + 0.1, bottom + height / 2, right, ha="left", va="center", fontsize=9,
                      family="DejaVu Sans")
            axes.add_patch(FancyArrowPatch((left_x + box_w, bottom + height / 2), (right_x, bottom + height / 2),
                                           arrowstyle="-|>", mutation_scale=10, linewidth=0.8))
        centres.append((bottom, top))
        phases.setdefault(phase, []).extend([bottom, top])
        top = bottom - gap
    for index in range(len(centres) - 1):
        upper_bottom = centres[index][0]
        lower_top = centres[index + 1][1]
        axes.add_patch(FancyArrowPatch((left_x + box_w / 2, upper_bottom), (left_x + box_w / 2, lower_top),
                                       arrowstyle="-|>", mutation_scale=10, linewidth=0.8))
    words = LABELS[language]
    for phase, ys in phases.items():
        low, high = min(ys), max(ys)
        axes.add_patch(Rectangle((0.1, low), 0.3, high - low, facecolor="#dce6f2", edgecolor="#5b7fa8",
                                 linewidth=0.6))
        axes.text(0.25, (low + high) / 2, words[phase], rotation=90, ha="center", va="center", fontsize=9,
                  fontweight="bold", family="DejaVu Sans")
    return figure


def figure_bytes(figure, suffix: str) -> bytes:
    """SVG with text as ``<text>``, PDF with TrueType fonts embedded, PNG at 300 dpi."""
    import matplotlib

    if suffix not in FORMATS:
        raise ThematicaError(f"figure format {suffix or '(none)'} not supported: use {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        figure.savefig(buffer, format=suffix[1:], dpi=300, metadata=None if suffix == ".png" else {})
    return buffer.getvalue()


def write_figure(figure, path: Path) -> Path:
    return write_private(path, figure_bytes(figure, Path(path).suffix.lower()))
