"""The transcript: a virtual, line-wrapped view of one document with its codings.

Like Toolong's log view, it renders only the lines on screen (``render_line``), so a
30,000-word transcript scrolls smoothly. Coded spans take their code's colour (overlapping codes:
the innermost colour, underlined), speaker labels are bold, interviewer turns dim, the selection
is reversed. The right-hand margin carries coding stripes, as NVivo's and the coded-transcript
appendix on paper: one vertical stripe per segment in its code's colour, overlapping segments side
by side in lanes (a lane is kept for a segment from its first line to its last), and the code's
full name on the segment's first line. The widget only draws; the screen decides what is selected,
what is coded and which segments pass the filter.
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from thematica.coding.views import DocumentView, ShownSegment
from thematica.corpus.turns import is_interviewer
from thematica.vocabulary import UnitKind

_NON_SPACE = re.compile(r"\S+")
_UP_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


@dataclass(frozen=True)
class Line:
    start: int
    end: int


def wrap(text: str, width: int) -> list[Line]:
    """Greedy word wrap that keeps code-point offsets; every paragraph starts a new line.

    A line breaks before the first word that would end past ``width``; the spaces after a word stay
    on its line (they may overhang and are cropped when drawn). Overlong words are cut. Each line is
    found by looking at the character ``width`` after its start (one regular-expression step per
    line, not one Python step per word), so a 300,000-character transcript wraps in milliseconds.
    """
    width = max(8, width)
    lines: list[Line] = []
    append = lines.append
    next_word, last_space = _NON_SPACE.search, _UP_TO_LAST_SPACE.match
    start = 0
    size = len(text)
    while start <= size:
        end = text.find("\n", start)
        end = size if end < 0 else end
        line_start = start
        while True:
            limit = line_start + width
            if limit >= end:
                append(Line(line_start, end))
                break
            if text[limit].isspace():  # every word before the limit fits; the next one starts a line
                found = next_word(text, limit, end)
                if found is None:
                    append(Line(line_start, end))
                    break
                append(Line(line_start, found.start()))
                line_start = found.start()
                continue
            spaced = last_space(text, line_start, limit)  # the word across the limit starts after it
            word_start = spaced.end() if spaced is not None else line_start
            if word_start > line_start:
                append(Line(line_start, word_start))
                line_start = word_start
            else:  # an overlong word: cut at the width
                append(Line(line_start, limit))
                line_start = limit
        start = end + 1
    return lines


def _background(hex_colour: str) -> Color:
    """A darkened version of the code colour, so text stays readable on it."""
    colour = Color.parse(hex_colour).get_truecolor()
    return Color.from_rgb(colour.red * 0.45, colour.green * 0.45, colour.blue * 0.45)


MAX_LANES = 8


def assign_lanes(segments: list[ShownSegment]) -> dict[int, int]:
    """Lane (stripe column) per segment id: the lowest lane free at the segment's start, segments
    taken by start and longest first (interval-graph colouring; lanes = the deepest overlap).
    Two heaps (lanes in use by their end, free lanes) make it O(n log n)."""
    lanes: dict[int, int] = {}
    busy: list[tuple[int, int]] = []
    free: list[int] = []
    count = 0
    for segment in sorted(segments, key=lambda s: (s.start, -s.end, s.id)):
        while busy and busy[0][0] <= segment.start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, count = count, count + 1
        heapq.heappush(busy, (segment.end, lane))
        lanes[segment.id] = lane
    return lanes


MIN_TEXT_WIDTH = 30
"""Columns of transcript text a margin widened by the coder leaves (about five words of Dutch)."""


class TranscriptView(ScrollView, can_focus=True):
    """Mouse: a click asks for the unit under the pointer (``Clicked``), a drag for the exact
    characters dragged over (``Dragged``); the screen decides what that selects."""

    class Clicked(Message):
        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class Dragged(Message):
        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start, self.end = start, end

    DEFAULT_CSS = """
    TranscriptView { background: $surface; scrollbar-gutter: stable; }  /* width fixed: wrap once */
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: DocumentView | None = None
        self.lines: list[Line] = []
        self.line_starts: list[int] = []
        self.selection: tuple[int, int] = (0, 0)
        self.cursor: int = 0
        self.margin_width = 24
        self.requested_margin: int | None = None  # set by the coder (keys); None: by the width
        self._lanes: dict[int, int] = {}
        self._lane_count = 0
        self._wrapped_width = 0
        self._cache: dict[int, Strip] = {}
        self._turn_starts: list[int] = []
        self._turns: list[tuple[int, int, str | None]] = []
        self._drawn_for: int | None = None
        self._by_start: list[ShownSegment] = []
        self._starts: list[int] = []
        self._longest = 0
        self._anchor: int | None = None
        self._dragged = False
        self.own_coder: str | None = None

    # ---- mouse -----------------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under content cell (x, y); None in the margin or below the text."""
        number = int(self.scroll_offset.y) + y
        if self.view is None or not 0 <= number < len(self.lines) or x >= self._wrapped_width or x < 0:
            return None
        line = self.lines[number]
        return min(line.start + int(self.scroll_offset.x) + x, line.end)

    def _pointer(self, event) -> int | None:
        place = event.get_content_offset(self)
        return None if place is None else self.offset_at(place.x, place.y)

    def on_mouse_down(self, event) -> None:
        self._anchor, self._dragged = self._pointer(event), False
        if self._anchor is not None:
            self.capture_mouse()
            self.focus()

    def on_mouse_move(self, event) -> None:
        if self._anchor is None:
            return
        offset = self._pointer(event)
        if offset is not None and offset != self._anchor:
            self._dragged = True
            self.post_message(self.Dragged(min(self._anchor, offset), max(self._anchor, offset)))

    def on_mouse_up(self, event) -> None:
        if self._anchor is None:
            return
        self.release_mouse()
        offset = self._pointer(event)
        if self._dragged and offset is not None and offset != self._anchor:
            self.post_message(self.Dragged(min(self._anchor, offset), max(self._anchor, offset)))
        elif not self._dragged:
            self.post_message(self.Clicked(self._anchor))
        self._anchor = None

    # ---- state -----------------------------------------------------------------------
    def show(self, view: DocumentView) -> None:
        self.view = view
        self._lanes = {}
        self._turns = view.units.get(UnitKind.TURN, [])
        self._turn_starts = [start for start, _, _ in self._turns]
        self._index_segments()
        self._wrapped_width = 0
        self._drawn_for = None
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def set_segments(self, segments: list[ShownSegment]) -> None:
        if self.view is not None:
            self.view = DocumentView(self.view.id, self.view.name, self.view.text, self.view.case,
                                     self.view.attributes, self.view.units, segments)
            before = {s.id: s for s in self._by_start}
            lane_count = self._lane_count
            self._index_segments(incremental=True)
            after = {s.id: s for s in self._by_start}
            changed = [s for key, s in before.items() if after.get(key) is not s]  # unchanged: same object
            changed += [s for key, s in after.items() if before.get(key) is not s]
            if lane_count != self._lane_count or len(changed) > 20 or not self.lines:
                self._cache.clear()
                self.refresh()
                return
            for segment in changed:  # a coding action: only the lines of what changed are drawn again
                top, bottom = self.line_of(segment.start), self.line_of(max(segment.start, segment.end - 1))
                for number in range(top, bottom + 1):
                    self._cache.pop(number, None)
                self.refresh_lines(top, bottom - top + 1)

    def change_segments(self, removed: list[ShownSegment], added: list[ShownSegment],
                        segments: list[ShownSegment]) -> None:
        """A coding action's change, given as what left and what came (``segments``: the list
        now shown): the index is updated by binary search, no pass over the document's other
        segments, and only the lines of the changed segments are drawn again. A segment that takes
        the place of one removed at the same span (a write confirming a code shown at once) keeps
        its stripe's lane."""
        if self.view is None:
            return
        self.view = DocumentView(self.view.id, self.view.name, self.view.text, self.view.case,
                                 self.view.attributes, self.view.units, segments)
        freed: dict[tuple[int, int], int] = {}
        for segment in removed:
            index = bisect.bisect_left(self._starts, segment.start)
            while index < len(self._by_start) and self._by_start[index].start == segment.start:
                if self._by_start[index].id == segment.id:
                    del self._by_start[index]
                    del self._starts[index]
                    break
                index += 1
            lane = self._lanes.pop(segment.id, None)
            if lane is not None:
                freed[(segment.start, segment.end)] = lane
        for segment in added:
            index = bisect.bisect_right(self._starts, segment.start)
            self._by_start.insert(index, segment)
            self._starts.insert(index, segment.start)
            self._longest = max(self._longest, segment.end - segment.start)  # an upper bound is enough
            lane = freed.pop((segment.start, segment.end), None)
            if lane is None:
                first = bisect.bisect_left(self._starts, segment.start - self._longest)
                last = bisect.bisect_left(self._starts, segment.end)
                used = {self._lanes[s.id] for s in self._by_start[first:last]
                        if s.id in self._lanes and s.end > segment.start and s.start < segment.end}
                lane = next(lane for lane in range(len(used) + 1) if lane not in used)
            self._lanes[segment.id] = lane
        lane_count = min(MAX_LANES, max(self._lane_count, max((self._lanes[s.id] + 1 for s in added), default=0)))
        if lane_count != self._lane_count or not self.lines:
            self._lane_count = lane_count
            self._cache.clear()
            self.refresh()
            return
        for segment in (*removed, *added):
            top, bottom = self.line_of(segment.start), self.line_of(max(segment.start, segment.end - 1))
            for number in range(top, bottom + 1):
                self._cache.pop(number, None)
            self.refresh_lines(top, bottom - top + 1)

    def set_margin(self, width: int | None) -> None:
        """The coder's margin width (None: chosen from the pane's width); the text is wrapped again."""
        self.requested_margin = width
        self._wrapped_width = 0
        self._drawn_for = None
        self._rewrap()
        self.refresh()

    def select(self, start: int, end: int, cursor: int | None = None) -> None:
        """Move the selection; only the lines of the old and the new selection are drawn again."""
        old = self.selection
        self.selection = (start, end)
        self.cursor = start if cursor is None else cursor
        if not self.lines:
            self._cache.clear()
            self.keep_in_view() if cursor is None else self.scroll_to_offset(self.cursor)
            self.refresh()
            return
        changed: list[tuple[int, int]] = []
        for first, last in (old, self.selection):
            top, bottom = self.line_of(first), self.line_of(max(first, last - 1))
            changed.append((top, bottom))
            for number in range(top, bottom + 1):
                self._cache.pop(number, None)
        scrolled = self.scroll_offset.y
        if cursor is None:
            self.keep_in_view()
        else:
            self.scroll_to_offset(self.cursor)
        if self.scroll_offset.y != scrolled or not self.lines:
            self.refresh()
            return
        for top, bottom in changed:  # only the lines of the old and the new selection are painted again
            self.refresh_lines(top, bottom - top + 1)

    def line_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.line_starts, offset) - 1)

    def scroll_to_offset(self, offset: int) -> None:
        if self.view is not None and self.scrollable_content_region.width != self._drawn_for:
            self._wrapped_width = 0
            self._rewrap()
        if not self.lines:
            return
        line = self.line_of(offset)
        top, height = int(self.scroll_offset.y), max(1, self.size.height)
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def keep_in_view(self) -> None:
        """Scroll so that the whole selection is on screen: not at all when it is; by the fewest
        lines when it lies just beyond an edge (stepping on); centred when it jumped further; its
        first line at the top when it is taller than the pane. Wraps first if the width changed."""
        if self.view is not None and self.scrollable_content_region.width != self._drawn_for:
            self._wrapped_width = 0
            self._rewrap()
        if not self.lines:
            return
        start, end = self.selection
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        top, height = int(self.scroll_offset.y), max(1, self.scrollable_content_region.height)
        if top <= first and last < top + height:
            return
        span = last - first + 1
        if span >= height:
            y = first
        elif last < top - 1 or first > top + height:  # a jump: the selection in the middle
            y = first - (height - span) // 2
        elif first < top:
            y = first
        else:
            y = last - height + 1
        self.scroll_to(y=max(0, y), animate=False)

    # ---- layout ----------------------------------------------------------------------
    def _rewrap(self) -> None:
        if self.view is None:
            return
        width = self.scrollable_content_region.width
        if not width:
            return
        if self.requested_margin is not None:  # widened by key, but never below MIN_TEXT_WIDTH of text
            self.margin_width = max(0, min(self.requested_margin, width - MIN_TEXT_WIDTH - 1))
        else:
            self.margin_width = 30 if width >= 110 else (22 if width >= 80 else (16 if width >= 46 else 0))
        text_width = max(20, width - self.margin_width - 1)
        if text_width == self._wrapped_width:
            return
        self._wrapped_width = text_width
        self.lines = wrap(self.view.text, text_width)
        self.line_starts = [line.start for line in self.lines]
        self.virtual_size = Size(width, len(self.lines))
        self._drawn_for = width
        self._cache.clear()
        self.refresh()
        self.call_after_refresh(self.keep_in_view)  # lines moved (a pane wider, a resize): the selection stays in view

    def on_resize(self) -> None:
        self.refresh()  # render_line re-wraps once the new width is known

    # ---- drawing ---------------------------------------------------------------------
    def _index_segments(self, incremental: bool = False) -> None:
        ordered = sorted(self.view.segments, key=lambda s: s.start) if self.view else []
        self._by_start = ordered
        self._starts = [s.start for s in ordered]
        self._longest = max((s.end - s.start for s in ordered), default=0)
        new = [s for s in ordered if s.id not in self._lanes] if incremental else ordered
        if incremental and len(new) <= 20:
            # a coding action: earlier segments keep their lanes (stripes do not jump); a new one takes
            # the lowest lane none of the segments it overlaps uses
            keep = {s.id for s in ordered}
            self._lanes = {key: lane for key, lane in self._lanes.items() if key in keep}
            for segment in new:
                first = bisect.bisect_left(self._starts, segment.start - self._longest)
                last = bisect.bisect_left(self._starts, segment.end)
                used = {self._lanes[s.id] for s in ordered[first:last]
                        if s.id in self._lanes and s.end > segment.start and s.start < segment.end}
                self._lanes[segment.id] = next(lane for lane in range(len(used) + 1) if lane not in used)
        else:
            self._lanes = assign_lanes(ordered)
        self._lane_count = min(MAX_LANES, max(self._lanes.values(), default=-1) + 1)

    def _covering(self, line: Line) -> list[ShownSegment]:
        """Segments touching the line, found by binary search on their starts (no full scan)."""
        end = max(line.end, line.start + 1)
        first = bisect.bisect_left(self._starts, line.start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        return [s for s in self._by_start[first:last] if s.end > line.start]

    def _turn_at(self, offset: int) -> tuple[int, int, str | None] | None:
        index = bisect.bisect_right(self._turn_starts, offset) - 1
        if 0 <= index < len(self._turns) and self._turns[index][0] <= offset < self._turns[index][1]:
            return self._turns[index]
        return None

    def render_line(self, y: int) -> Strip:
        if self.view is not None and self.scrollable_content_region.width != self._drawn_for:
            self._wrapped_width = 0
            self._rewrap()
        number = int(self.scroll_offset.y) + y
        if self.view is None or number >= len(self.lines):
            return Strip.blank(self.size.width)
        if number not in self._cache:
            if len(self._cache) > 4000:
                self._cache.clear()
            self._cache[number] = self._draw(number)
        return self._cache[number].crop(int(self.scroll_offset.x), int(self.scroll_offset.x) + self.size.width)

    def _draw(self, number: int) -> Strip:
        assert self.view is not None
        line = self.lines[number]
        text = self.view.text
        covering = self._covering(line)
        turn = self._turn_at(line.start)
        label_end = -1
        interviewer = False
        if turn is not None:
            interviewer = is_interviewer(turn[2])
            if turn[2] and line.start == turn[0]:
                label_end = text.find(":", turn[0], turn[1]) + 1
        cuts = {line.start, line.end}
        for segment in covering:
            cuts.update(p for p in (segment.start, segment.end) if line.start < p < line.end)
        for p in (*self.selection, label_end):
            if line.start < p < line.end:
                cuts.add(p)
        points = sorted(cuts)
        base = Style(dim=True, italic=True) if interviewer else Style()
        segments: list[Segment] = []
        selected = self.selection
        for a, b in zip(points, points[1:]):
            style = base
            if a < label_end:
                style += Style(bold=True)
            on = [s for s in covering if s.start <= a < s.end]
            if on:
                inner = min(on, key=lambda s: s.end - s.start)
                style += Style(bgcolor=_background(inner.color), underline=len(on) > 1)
            if selected[0] <= a < selected[1]:
                style += Style(reverse=True)
            segments.append(Segment(text[a:b], style))
        if line.start == line.end and selected[0] <= line.start < selected[1]:
            segments.append(Segment(" ", Style(reverse=True)))
        width = self._wrapped_width
        body = Strip(segments).crop(0, width).extend_cell_length(width)  # a trailing space may overhang
        if not self.margin_width:
            return body
        margin = Strip([Segment("│", Style(color="grey37")), *self._margin(covering, line)]).crop(
            0, self.margin_width + 1).extend_cell_length(self.margin_width + 1)
        return Strip.join([body, margin])

    def _margin(self, covering: list[ShownSegment], line: Line) -> list[Segment]:
        """Stripes (one column per lane) then the full names of the codes whose segments start on
        this line; names are cut only when the margin is narrower than they are."""
        room = self.margin_width
        stripes = [Segment(" ")] * self._lane_count
        beginning = max(line.end, line.start + 1)
        starting: list[ShownSegment] = []
        for segment in sorted(covering, key=lambda s: (s.start, -s.end, s.id)):
            lane = self._lanes.get(segment.id, 0)
            first = line.start <= segment.start < beginning
            last = segment.end <= beginning
            if lane < self._lane_count:
                glyph = "╻" if first and not last else ("╹" if last and not first else ("▪" if first else "┃"))
                stripes[lane] = Segment(glyph, Style(color=segment.color, bold=True))
            if first:
                starting.append(segment)
        stripes = stripes[:room]
        room -= len(stripes)
        names: list[Segment] = [*stripes]
        if room > 1:
            names.append(Segment(" "))
            room -= 1
            for number, segment in enumerate(starting):
                label = segment.code.rsplit("/", 1)[-1] + ("" if segment.coder == self.own_coder else
                                                          f" ({segment.coder})")
                if number:
                    label = " " + label
                text = label if len(label) <= room else label[: max(0, room - 1)] + "…"
                if room <= 0 or not text.strip("…"):
                    break
                names.append(Segment(text, Style(color=segment.color, bold=True)))
                room -= len(text)
        names.append(Segment(" " * max(0, room)))
        return names
