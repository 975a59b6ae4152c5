"""Report wording in English and Dutch: one phrase book, looked up by key.

Keys are English identifiers; a phrase may hold ``{placeholders}``. A missing Dutch phrase is a
bug caught by the tests (both languages must carry the same keys)."""

from __future__ import annotations

from thematica.errors import ThematicaError

LANGUAGES = ("nl", "en")

PHRASES: dict[str, dict[str, str]] = {
    "table": {"en": "Table", "nl": "Tabel"},
    "figure": {"en": "Figure", "nl": "Figuur"},
    "note": {"en": "Note.", "nl": "Noot."},
    "of": {"en": "{count} of {total}", "nl": "{count} van de {total}"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ThematicaError(f"--language must be nl or en, not {language!r}")
    return language


def phrase(key: str, language: str, **values: object) -> str:
    text = PHRASES[key][language]
    return text.format(**values) if values else text


def add_phrases(table: dict[str, dict[str, str]]) -> None:
    """Register a report's own phrases (each report module keeps its wording beside its builder)."""
    for key, texts in table.items():
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"phrase {key!r} needs both nl and en")
        PHRASES[key] = texts
