"""The codebook for co-authors and reviewers (Markdown, HTML, DOCX) in the document model: an
overview table of the codes with their frequency per coder, then each code — nested as in the
hierarchy — with its definition, inclusion and exclusion criteria, example, colour and themes."""

from __future__ import annotations

from pathlib import Path

from thematica.interchange.codebook import CodebookRow
from thematica.reports.document import Align, Block, BulletList, Document, Paragraph, Row, Run, Section, Table
from thematica.reports.language import add_phrases, phrase
from thematica.reports.writers import write_document

add_phrases({
    "codebook.title": {"en": "Codebook — {title}", "nl": "Codeboek — {title}"},
    "codebook.count": {"en": "{count} codes. Frequencies are coded segments per coder.",
                       "nl": "{count} codes. Frequenties zijn gecodeerde segmenten per beoordelaar."},
    "codebook.overview": {"en": "Codes and their frequency per coder", "nl": "Codes en hun frequentie per beoordelaar"},
    "codebook.code": {"en": "Code", "nl": "Code"},
    "codebook.themes": {"en": "Themes", "nl": "Thema's"},
    "codebook.overview.note": {"en": "A code's frequency counts its own segments, not those of its subcodes.",
                               "nl": "De frequentie van een code telt haar eigen segmenten, niet die van subcodes."},
    "codebook.definition": {"en": "Definition:", "nl": "Definitie:"},
    "codebook.include": {"en": "Include when:", "nl": "Toekennen als:"},
    "codebook.exclude": {"en": "Exclude when:", "nl": "Niet toekennen als:"},
    "codebook.example": {"en": "Example:", "nl": "Voorbeeld:"},
    "codebook.colour": {"en": "colour", "nl": "kleur"},
})


def _code_blocks(row: CodebookRow, language: str) -> list[Block]:
    line = f"{row.code} · {phrase('codebook.colour', language)} {row.color}"
    if row.themes:
        line += f" · {phrase('codebook.themes', language).lower()}: {', '.join(row.themes)}"
    if row.frequency:
        line += " · " + ", ".join(f"{coder}: {n}" for coder, n in row.frequency.items())
    items = tuple(Paragraph((Run(phrase(key, language), bold=True), Run(" " + value)))
                  for key, value in (("codebook.definition", row.definition), ("codebook.include", row.inclusion),
                                     ("codebook.exclude", row.exclusion), ("codebook.example", row.example)) if value)
    blocks: list[Block] = [Paragraph.of(line, italic=True)]
    if items:
        blocks.append(BulletList(items))
    return blocks


def build_document(rows: list[CodebookRow], title: str, language: str = "en", author: str = "") -> Document:
    coders = sorted({coder for row in rows for coder in row.frequency})
    right: tuple[Align, ...] = ("right",)
    left: tuple[Align, ...] = ("left", "left")
    align = left + right * len(coders)
    overview = Table(phrase("codebook.overview", language),
                     (phrase("codebook.code", language), phrase("codebook.themes", language), *coders),
                     tuple(Row((row.name, ", ".join(row.themes), *[str(row.frequency.get(c, 0)) for c in coders]),
                               indent=row.depth) for row in rows),
                     align, phrase("codebook.overview.note", language))
    blocks: list[Block] = [Paragraph.of(phrase("codebook.count", language, count=len(rows))), overview]
    stack: list[tuple[int, list[Block], str]] = []

    def close(depth: int) -> None:
        while stack and stack[-1][0] >= depth:
            _, children, name = stack.pop()
            (stack[-1][1] if stack else blocks).append(Section(name, tuple(children)))

    for row in rows:
        close(row.depth)
        stack.append((row.depth, _code_blocks(row, language), row.name))
    close(0)
    return Document(phrase("codebook.title", language, title=title), tuple(blocks), author=author, language=language)


def write_codebook(rows: list[CodebookRow], title: str, out: Path, fmt: str, language: str = "en",
                   author: str = "") -> None:
    write_document(build_document(rows, title, language, author), Path(out), fmt)
