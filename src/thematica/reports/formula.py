"""Statistical notation in a note as a reader expects it: italic symbols with real subscripts.

A formula written plainly, ``(M_pre − M_post) / ((SD_pre + SD_post)/2)``, becomes runs of the
document model: each ``symbol_index`` an italic symbol (APA italicises statistical symbols: *d*,
*M*, *SD*, *r*) followed by its index as a subscript run; a lone *r*, *n*, *M* or *SD* is italic too. The
writers render a subscript as DOCX subscript, HTML ``<sub>`` and, in Markdown, Unicode subscript
letters where every letter has one (dₐᵥ, Mₚᵣₑ), else ``symbol(index)``.

:func:`phrase_runs` puts such runs into a sentence: the sentence is formatted with a marker in
place of each rich value and split at the markers, so the other values stay plain text.
"""

from __future__ import annotations

import re

from thematica.reports.document import Run

_SYMBOL = re.compile(r"\b([A-Za-z]+)_([A-Za-z0-9]+)\b|\b(r|n|M|SD)\b")
_MARK = "\x01"
SUBSCRIPTS = dict(zip("aehijklmnoprstuvx0123456789+−=()", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))


def formula_runs(text: str) -> tuple[Run, ...]:
    """``text`` with every ``symbol_index`` as italic symbol + subscript index (and lone r, n, M, SD italic)."""
    runs: list[Run] = []
    position = 0
    for found in _SYMBOL.finditer(text):
        if found.start() > position:
            runs.append(Run(text[position:found.start()]))
        if found.group(3):
            runs.append(Run(found.group(3), italic=True))
        else:
            runs += [Run(found.group(1), italic=True), Run(found.group(2), subscript=True)]
        position = found.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return tuple(runs)


def phrase_runs(template: str, rich: dict[str, tuple[Run, ...]], **plain: object) -> tuple[Run, ...]:
    """``template`` (a ``str.format`` text) with ``plain`` values as text and ``rich`` values as runs."""
    marked = template.format(**plain, **{key: f"{_MARK}{key}{_MARK}" for key in rich})
    runs: list[Run] = []
    for index, piece in enumerate(marked.split(_MARK)):
        if index % 2:
            runs += rich[piece]
        elif piece:
            runs.append(Run(piece))
    return tuple(runs)


def plain_subscript(text: str) -> str:
    """A subscript in plain text: Unicode subscript letters when each letter has one, else ``(text)``."""
    if text and all(character in SUBSCRIPTS for character in text):
        return "".join(SUBSCRIPTS[character] for character in text)
    return f"({text})"


def plain_text(runs: tuple[Run, ...]) -> str:
    """The runs as plain text, subscripts as :func:`plain_subscript` writes them (dₐᵥ, d(z))."""
    return "".join(plain_subscript(run.text) if run.subscript else run.text for run in runs)
