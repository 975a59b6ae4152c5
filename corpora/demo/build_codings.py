"""Build codings.csv (document,start,end,code,coder,memo) from coding_anchors.csv. Standard library only.

The anchors are authored, not generated: each row is a passage (an exact, unique quote of the
transcript) that coder ``anouk`` coded, and the ``bas`` column says what coder ``bas`` did with it:

    same             the same code on the same passage
    missed           nothing (bas missed the passage)
    code:<path>      the same passage, another code
    turn             the same code on the whole respondent turn (a boundary difference)
    sentence         the same code on the whole sentence around the quote (a boundary difference)
    only             bas coded the passage; anouk did not

Offsets are 0-based Unicode code points into the transcript file's text, end exclusive.
Run:  python3 corpora/demo/build_codings.py   (writes corpora/demo/codings.csv)
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCE_END = re.compile(r"[.?!…](?=\s|$)")


def locate(text: str, quote: str, where: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        sys.exit(f"{where}: quote not found: {quote!r}")
    if text.find(quote, start + 1) >= 0:
        sys.exit(f"{where}: quote occurs more than once: {quote!r}")
    return start, start + len(quote)


def whole_turn(text: str, start: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    label = re.match(r"[^\W\d]\w*: ", text[line_start:line_end])
    return line_start + (label.end() if label else 0), line_end


def whole_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    turn_start, turn_end = whole_turn(text, start)
    before = [m.end() for m in SENTENCE_END.finditer(text, turn_start, start)]
    sentence_start = before[-1] if before else turn_start
    while text[sentence_start] == " ":
        sentence_start += 1
    after = SENTENCE_END.search(text, end - 1, turn_end)
    return sentence_start, after.end() if after else turn_end


def build() -> list[tuple[str, int, int, str, str, str]]:
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(HERE.glob("R*.txt"))}
    rows = []
    with (HERE / "coding_anchors.csv").open(encoding="utf-8", newline="") as handle:
        for number, anchor in enumerate(csv.DictReader(handle), start=2):
            where = f"coding_anchors.csv row {number}"
            text = texts[anchor["document"]]
            start, end = locate(text, anchor["quote"], where)
            code, variant, memo = anchor["code"], anchor["bas"], anchor["memo"]
            if variant != "only":
                rows.append((anchor["document"], start, end, code, "anouk", memo))
            if variant in ("same", "only"):
                rows.append((anchor["document"], start, end, code, "bas", ""))
            elif variant.startswith("code:"):
                rows.append((anchor["document"], start, end, variant[5:], "bas", ""))
            elif variant == "turn":
                rows.append((anchor["document"], *whole_turn(text, start), code, "bas", ""))
            elif variant == "sentence":
                rows.append((anchor["document"], *whole_sentence(text, start, end), code, "bas", ""))
            elif variant != "missed":
                sys.exit(f"{where}: unknown bas variant {variant!r}")
    return sorted(set(rows), key=lambda r: (r[0], r[4], r[1], r[2], r[3]))


def main() -> None:
    with (HERE / "codings.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("document", "start", "end", "code", "coder", "memo"))
        writer.writerows(build())


if __name__ == "__main__":
    main()
