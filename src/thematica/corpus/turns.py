"""Speaker turns from labelled lines: ``I:``, ``R:``, ``X:``, ``Interviewer:``, ``Anna:``, ``Dr. de Vries:``.

A label is at the start of a line, before a colon, at most four words, each capitalised or a
name particle (van, de, der, den, ter, ten, van 't …) — so "Toen zei ik: …" is not a speaker. A
turn runs from its label line to the last non-blank line before the next label; text before the
first label is a turn without speaker. Spans are code points ``[start, end)`` and include the
label; ``content_start`` is where the spoken words begin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_INTERVIEWER_LABELS = frozenset({"I", "Interviewer", "Int", "X", "Onderzoeker", "Interviewster"})
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "von", "la", "le", "du", "da", "di", "op"}
_LINE = re.compile(r"^[ \t]*([^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,3})[ \t]*:[ \t]*", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str | None
    content_start: int


def is_label(candidate: str) -> bool:
    words = candidate.split()
    if not words or len(candidate) > 40:
        return False
    return all(word[0].isupper() or word.lower() in _PARTICLES for word in words) and words[0][0].isupper()


def is_interviewer(speaker: str | None, interviewer_labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS) -> bool:
    return speaker is not None and speaker.strip().rstrip(".").lower() in {label.lower() for label in interviewer_labels}


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def parse_turns(text: str) -> list[Turn]:
    """Speaker turns in reading order (empty when the text has no speaker labels)."""
    labels = [match for match in _LINE.finditer(text) if is_label(match.group(1))]
    if not labels:
        return []
    turns: list[Turn] = []
    first = labels[0].start()
    if text[:first].strip():
        lead = len(text[:first]) - len(text[:first].lstrip())
        turns.append(Turn(lead, _trim_end(text, lead, first), None, lead))
    for index, match in enumerate(labels):
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        end = _trim_end(text, start, limit)
        turns.append(Turn(start, end, match.group(1).strip(), min(match.end(), end)))
    return turns
