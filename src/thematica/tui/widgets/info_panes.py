"""The detail pane (the code under the cursor, segments and memos here) and the case pane
(case attributes and trial values as labelled numbers)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from thematica.coding.views import CodeInfo
from thematica.coding.views import ShownSegment


def detail_text(code: CodeInfo | None, colour: str, mine: list[ShownSegment], others: list[ShownSegment],
                notes: tuple[str, str] = ("", "")) -> Text:
    lines = Text()
    if code is not None:
        lines.append(f"{code.path}\n", style=f"bold {colour}")
        for label, value in (("Definition", code.definition), ("Include", code.inclusion),
                             ("Exclude", code.exclusion), ("Example", code.example)):
            if value:
                lines.append(f"{label}: ", style="bold")
                lines.append(f"{value}\n")
    for segment in mine:
        lines.append(f"\n■ {segment.code}", style=segment.color)
        if segment.memo:
            lines.append(f"\n  memo: {segment.memo}", style="italic")
    for segment in others:
        lines.append(f"\n□ {segment.code} ({segment.coder})", style=segment.color)
        if segment.memo:
            lines.append(f"\n  memo: {segment.memo}", style="italic")
    for title, note in zip(("Document memo", "Project memo"), notes):
        if note:
            lines.append(f"\n\n{title}: ", style="bold")
            lines.append(note, style="italic")
    return lines


def trial_line(variable: str, values: list[tuple[object, float]]) -> str:
    """``SCL-90 t0 0.90 → t3 0.77``; a value that never changes once (``age 25``); whole numbers bare."""
    from thematica.reports.case_values import case_value_line

    return case_value_line(variable, values)


class DetailPane(Static):
    _shown: tuple[object, ...] | None = None

    def show(self, code: CodeInfo | None, colour: str, mine: list[ShownSegment], others: list[ShownSegment],
             notes: tuple[str, str] = ("", "")) -> None:
        """Repainted only when what it shows changed (most cursor moves change nothing here)."""
        key = (code, colour, tuple(mine), tuple(others), notes)
        if key != self._shown:
            self._shown = key
            self.update(detail_text(code, colour, mine, others, notes), layout=False)


Trial = tuple[str, str, list[tuple[str, list[tuple[object, float]]]]]


class CasePane(Static):
    """The case's attributes and, once loaded (a worker), the participant's trial values."""

    trial: Trial | None = None
    _shown: Text | None = None

    def show(self, case: str | None, attributes: list[tuple[str, str | None]], trial: Trial | None) -> None:
        self.trial = trial
        self.show_attributes(case, attributes)

    def show_attributes(self, case: str | None, attributes: list[tuple[str, str | None]]) -> None:
        trial = self.trial
        text = Text()
        if case:
            text.append(f"Case {case}\n", style="bold")
            for name, value in attributes:
                text.append(f"{name}: ", style="dim")
                text.append(f"{value if value is not None else '–'}\n")
        if trial is not None:
            participant, arm, series = trial
            text.append(f"\nTrial {participant} · {arm}\n", style="bold")
            for variable, values in series:
                text.append(trial_line(variable, values) + "\n")
        if text != self._shown:  # most writes leave the case as it was: nothing to paint
            self._shown = text
            self.update(text, layout=False)
