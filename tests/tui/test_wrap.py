"""The transcript's wrap (one regular-expression step per line) breaks exactly where the plain
word-by-word greedy wrap does: offsets kept, spaces after a word on its line, long words cut."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from thematica.tui.widgets.transcript import Line, wrap

WORD = re.compile(r"\S+")


def word_by_word(text: str, width: int) -> list[Line]:
    width = max(8, width)
    lines: list[Line] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line_start = start
        for word in WORD.finditer(text, start, end):
            if word.end() - line_start > width and word.start() > line_start:
                lines.append(Line(line_start, word.start()))
                line_start = word.start()
            while word.end() - line_start > width:
                lines.append(Line(line_start, line_start + width))
                line_start += width
        lines.append(Line(line_start, end))
        start = end + 1
    return lines


PIECES = st.sampled_from(["a", "bb", "ccc", "ëï", "e\u0301", " ", "  ", "\n", "\n\n", "\t", "\xa0", "x" * 30,
                          "(lacht)", "R: ", "🙂"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=40))
def test_wrap_breaks_where_the_word_by_word_wrap_does(text, width):
    assert wrap(text, width) == word_by_word(text, width)
