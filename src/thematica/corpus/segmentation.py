"""Units of a document: paragraphs, speaker turns and sentences, as code-point spans.

* paragraph: each non-blank line (a transcript's turn is usually one line; blank lines separate);
* turn: from ``turns.parse_turns`` (label included);
* sentence: spaCy's rule-based ``sentencizer`` on ``spacy.blank(lang)`` (no trained pipeline is
  needed or installed), run inside each paragraph so a sentence never crosses a paragraph or a
  turn; a turn's speaker label is not part of its first sentence. A parenthesised stage
  direction ("(lacht)", "(stilte)") stays in the sentence it follows: spaCy's sentencizer cuts
  after "eng." and leaves "(" behind ("Heel eng. (" / "lacht) Er zaten…"), so a cut that falls
  inside parentheses is moved to just after the closing one (``keep_stage_directions``). For Dutch,
  the tokenizer exceptions that are ordinary words ("me.", "kon.", "al.", see ``dutch_words``) are
  removed first, so "Niemand dwong me. Ze zeiden…" is two sentences; real abbreviations ("bijv.",
  "o.a.", "mevr.") still keep their period and their sentence.

Units are stored at import (``importer.add_document``): a change here applies to new imports only,
a coded document keeps the units it was imported with.

Texts longer than ``nlp.max_length`` are cut at whitespace into chunks, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from thematica.corpus.dutch_words import drop_word_exceptions
from thematica.corpus.turns import Turn, parse_turns
from thematica.vocabulary import UnitKind

_NON_BLANK_LINE = re.compile(r"[^\n]*\S[^\n]*")
BATCH_SIZE = 256


@dataclass(frozen=True)
class UnitSpan:
    kind: str
    start: int
    end: int
    speaker: str | None


UnitRow = tuple[str, int, int, int, str | None]


def numbered(units: Iterable[UnitSpan]) -> list[UnitRow]:
    """``(kind, ordinal, start, end, speaker)`` rows as the unit table stores them: ordinals count
    from 0 within each kind, so sentence 3 and turn 3 are each the fourth of their kind."""
    counts: dict[str, int] = {}
    rows: list[UnitRow] = []
    for unit in units:
        ordinal = counts.get(unit.kind, 0)
        counts[unit.kind] = ordinal + 1
        rows.append((unit.kind, ordinal, unit.start, unit.end, unit.speaker))
    return rows


@lru_cache(maxsize=8)
def pipeline(language: str):
    import spacy

    nlp = spacy.blank(language)
    if language == "nl":
        drop_word_exceptions(nlp)
    nlp.add_pipe("sentencizer")
    return nlp


def split_for_spacy(text: str, limit: int, offset: int = 0) -> list[tuple[str, int]]:
    """``(piece, its offset)`` of at most ``limit`` characters each, cut after the last line end in
    reach, else after the last space, else hard; the pieces concatenate to ``text`` (spaCy refuses
    texts over ``nlp.max_length``, and a cut at a line end never splits a sentence)."""
    pieces = []
    position = 0
    while len(text) - position > limit:
        cut = text.rfind("\n", position, position + limit)
        if cut <= position:
            cut = text.rfind(" ", position, position + limit)
        cut = position + limit if cut <= position else cut + 1
        pieces.append((text[position:cut], offset + position))
        position = cut
    pieces.append((text[position:], offset + position))
    return pieces


def _speaker_at(turns: list[Turn], position: int, cursor: list[int]) -> Turn | None:
    while cursor[0] < len(turns) and turns[cursor[0]].end <= position:
        cursor[0] += 1
    if cursor[0] < len(turns) and turns[cursor[0]].start <= position:
        return turns[cursor[0]]
    return None


def keep_stage_directions(piece: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of ``piece`` with no cut inside parentheses: a cut inside "( … )" moves
    to after the ")" (and the spaces that follow), so the direction ends the sentence before it."""
    depth_at: list[int] = []
    depth = 0
    for char in piece:
        depth_at.append(depth)
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    depth_at.append(depth)
    repaired: list[tuple[int, int]] = []
    for begin, finish in spans:
        if repaired and repaired[-1][1] >= begin:  # this sentence began inside the previous one's direction
            begin = repaired[-1][1]
            while begin < finish and piece[begin].isspace():
                begin += 1
            if begin >= finish:
                continue
        if depth_at[finish] > 0 or (finish < len(piece) and depth_at[finish] > 0):
            close = piece.find(")", finish)
            if close >= 0:
                finish = close + 1
        repaired.append((begin, finish))
    return repaired


_ET_AL = re.compile(r"(?:^|\s)et al\.[\s(]*$", re.IGNORECASE)


def rejoin_et_al(piece: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of ``piece`` with no cut after "et al." ("al." is a word again since
    ``dutch_words``, but in a citation, "Smith et al. (2020) vonden…", it is the Latin abbreviation)."""
    joined: list[tuple[int, int]] = []
    for begin, finish in spans:
        if joined and _ET_AL.search(piece, joined[-1][0], joined[-1][1]):
            joined[-1] = (joined[-1][0], finish)
        else:
            joined.append((begin, finish))
    return joined


def segment_text(text: str, language: str = "nl", turns: list[Turn] | None = None) -> list[UnitSpan]:
    """All units of ``text``: paragraphs, then turns, then sentences, each kind in reading order."""
    if turns is None:
        turns = parse_turns(text)
    nlp = pipeline(language)
    paragraphs: list[UnitSpan] = []
    pieces: list[tuple[str, int]] = []
    speaker_of_piece: list[str | None] = []
    cursor = [0]
    for match in _NON_BLANK_LINE.finditer(text):
        line = match.group(0)
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.start() + len(line.rstrip())
        turn = _speaker_at(turns, start, cursor)
        speaker = turn.speaker if turn else None
        paragraphs.append(UnitSpan(UnitKind.PARAGRAPH, start, end, speaker))
        content_start = turn.content_start if turn and start < turn.content_start <= end else start
        if content_start < end:
            for piece in split_for_spacy(text[content_start:end], nlp.max_length - 1, content_start):
                pieces.append(piece)
                speaker_of_piece.append(speaker)
    sentences: list[UnitSpan] = []
    for (piece_text, offset), speaker, doc in zip(pieces, speaker_of_piece,
                                                  nlp.pipe((p for p, _ in pieces), batch_size=BATCH_SIZE)):
        spans: list[tuple[int, int]] = []
        for sentence in doc.sents:
            begin, finish = sentence.start_char, sentence.end_char
            while finish > begin and piece_text[finish - 1].isspace():
                finish -= 1
            while begin < finish and piece_text[begin].isspace():
                begin += 1
            if begin < finish:
                spans.append((begin, finish))
        for begin, finish in keep_stage_directions(piece_text, rejoin_et_al(piece_text, spans)):
            sentences.append(UnitSpan(UnitKind.SENTENCE, offset + begin, offset + finish, speaker))
    turn_units = [UnitSpan(UnitKind.TURN, turn.start, turn.end, turn.speaker) for turn in turns if turn.start < turn.end]
    return paragraphs + turn_units + sentences
