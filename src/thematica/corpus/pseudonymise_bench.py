"""Scoring pseudonymisation against a labelled test set (``{{KIND:text}}`` marks an identifier).

Recall: the share of marked identifiers whose every character is replaced. Precision: the share
of replaced spans that overlap a marked identifier. The transcripts' names (``=== name`` lines)
are scored too: a name part of the file name that survives in the output file name is a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from thematica.corpus.pseudonymise import WordLists, pseudonymised_name, replacement_spans

_MARK = re.compile(r"\{\{([A-Z]+):(.*?)\}\}")


@dataclass(frozen=True)
class LabelledText:
    name: str
    text: str
    gold: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class BenchResult:
    identifiers: int
    found: int
    replaced_spans: int
    correct_spans: int
    missed: tuple[str, ...]
    false_finds: tuple[str, ...]
    file_names: tuple[str, ...]
    file_name_leaks: int

    @property
    def recall(self) -> float:
        return self.found / self.identifiers if self.identifiers else 1.0

    @property
    def precision(self) -> float:
        return self.correct_spans / self.replaced_spans if self.replaced_spans else 1.0

    def to_dict(self) -> dict[str, object]:
        return {"identifiers": self.identifiers, "recall": self.recall, "precision": self.precision,
                "missed": list(self.missed), "false_finds": list(self.false_finds),
                "file_names": list(self.file_names), "file_name_leaks": self.file_name_leaks}


def parse_labelled(raw: str) -> list[LabelledText]:
    """``=== name`` starts a text; ``{{KIND:text}}`` marks; ``#`` lines at the top are comments."""
    texts: list[LabelledText] = []
    blocks = re.split(r"^=== (.+)$", "\n".join(l for l in raw.splitlines() if not l.startswith("#")), flags=re.M)
    for name, body in zip(blocks[1::2], blocks[2::2]):
        plain, gold, position = [], [], 0
        length = 0
        for match in _MARK.finditer(body):
            piece = body[position:match.start()]
            plain.append(piece)
            length += len(piece)
            gold.append((length, length + len(match.group(2)), match.group(1)))
            plain.append(match.group(2))
            length += len(match.group(2))
            position = match.end()
        plain.append(body[position:])
        texts.append(LabelledText(name.strip(), "".join(plain).lstrip("\n"), tuple(
            (s - (len(body) - len(body.lstrip("\n"))), e - (len(body) - len(body.lstrip("\n"))), k) for s, e, k in gold)))
    return texts


def score(texts: list[LabelledText], lists: WordLists = WordLists()) -> BenchResult:
    spans, mapping = replacement_spans({t.name: t.text for t in texts}, lists)
    found = replaced = correct = 0
    missed, false_finds = [], []
    for item in texts:
        covered: set[int] = set()
        chosen = [(s, e) for s, e, entry in spans[item.name] if entry.replace]
        for start, end in chosen:
            covered.update(range(start, end))
            replaced += 1
            if any(start < g_end and g_start < end for g_start, g_end, _ in item.gold):
                correct += 1
            else:
                false_finds.append(item.text[start:end])
        for start, end, kind in item.gold:
            if all(i in covered for i in range(start, end)):
                found += 1
            else:
                missed.append(f"{kind}:{item.text[start:end]}")
    names = tuple(pseudonymised_name(t.name, mapping, lists) for t in texts)
    leaks = sum(1 for t, new in zip(texts, names) for part in t.name.split("_")[1:]
                if len(part) > 2 and part.casefold() in new.casefold())
    return BenchResult(sum(len(t.gold) for t in texts), found, replaced, correct, tuple(missed), tuple(false_finds),
                       names, leaks)


def run(path: Path) -> BenchResult:
    return score(parse_labelled(Path(path).read_text(encoding="utf-8")))
