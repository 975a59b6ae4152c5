"""Turning a matplotlib figure or a Graphviz graph into the bytes of an SVG, PDF or PNG file.

Journals ask for editable text and embedded TrueType fonts: matplotlib writes SVG text as ``<text>``
(``svg.fonttype = 'none'``) and PDF fonts as Type 42 (TrueType, ``pdf.fonttype = 42``); PNGs are
rendered at 300 dpi. Graphviz output comes from the ``dot`` program (cairo embeds TrueType in PDF;
``-Gdpi=300`` for PNG), installed by the Makefile when missing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematica.errors import ThematicaError
from thematica.files import write_private

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("svg", "pdf", "png")
DPI = 300
FONT = "DejaVu Sans"  # ships with matplotlib, and with Debian's fonts-dejavu-core for Graphviz
STYLE: Any = {  # a dict of rcParams (typed Any: matplotlib types the keys as literals)
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT, "Liberation Sans", "Arial"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "savefig.dpi": DPI,
    "figure.dpi": 100,
}


def figure_format(path: str | Path, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format a file name asks for (its suffix), or a user error naming the choices."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise ThematicaError(f"figure files are {', '.join('.' + a for a in allowed)}", path=str(path))
    return suffix


@contextmanager
def style() -> Iterator[Any]:
    """pyplot (Agg backend) with the publication settings in force; yields the ``pyplot`` module."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(STYLE):
        yield plt


def figure_bytes(figure: "Figure", fmt: str) -> bytes:
    """Save ``figure`` as ``fmt`` (svg, pdf, png) and close it. ``metadata`` drops the creation date in
    SVG and PDF, so the same data gives the same bytes."""
    import matplotlib
    import matplotlib.pyplot as plt

    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}")
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[fmt]
    try:
        with matplotlib.rc_context(STYLE):
            figure.savefig(buffer, format=fmt, dpi=DPI, bbox_inches="tight", pad_inches=0.08, metadata=metadata)
    finally:
        plt.close(figure)
    return buffer.getvalue()


def dot_program() -> str:
    found = shutil.which("dot")
    if not found:
        raise ThematicaError("Graphviz is not installed (the 'dot' program); install it with 'make test' "
                             "or your package manager (apt-get install graphviz)")
    return found


def graphviz_bytes(source: str, fmt: str, engine: str = "dot") -> bytes:
    """Lay out and draw DOT ``source`` with Graphviz: svg, pdf (cairo, TrueType) or png (300 dpi)."""
    if fmt not in FORMATS + ("json",):
        raise ValueError(f"unknown figure format {fmt!r}")
    program = dot_program()
    command = [program, f"-K{engine}", f"-T{fmt}:cairo" if fmt in ("pdf", "png") else f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={DPI}")
    completed = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=120, check=False)
    if completed.returncode != 0 or not completed.stdout:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ThematicaError(f"Graphviz could not draw the figure ({reason[-1] if reason else 'no output'})")
    return with_dpi(completed.stdout) if fmt == "png" else completed.stdout


def with_dpi(png: bytes, dpi: int = DPI) -> bytes:
    """The PNG with its resolution recorded (pHYs), which cairo leaves out: 300 dpi for print."""
    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buffer.getvalue()


def write_figure(path: str | Path, data: bytes) -> Path:
    """Write figure bytes owner-only (figures carry study data)."""
    return write_private(path, data)
