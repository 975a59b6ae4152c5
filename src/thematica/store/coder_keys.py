"""How coder names are stored and compared: NFC and trimmed; looked up case-folded.

Apart from ``store.coders`` so that the workbench's first frame (``store.first_look``) finds the
coder the same way without loading SQLAlchemy.
"""

from __future__ import annotations

import unicodedata


def clean_name(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


def name_key(name: str) -> str:
    """The comparison key of a coder name: NFC, trimmed, case-folded."""
    return clean_name(name).casefold()
