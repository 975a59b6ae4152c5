"""Coder names: one person, one coder, whatever the spelling at the keyboard.

A name is stored NFC-normalised and trimmed and compared case-insensitively (``'Carla '`` is
``carla``). Refused, because they would break the log or impersonate a meeting: an empty name, a
name with a control character or line break, one longer than 100 characters, and the names
reserved for consensus codings (``consensus`` and ``consensus:…``), which are written only through
the decisions of their meeting.
"""

from __future__ import annotations

import unicodedata

from thematica.errors import ThematicaError
from thematica.store.coder_keys import clean_name, name_key

MAX_LENGTH = 100
CONSENSUS = "consensus"
_FORBIDDEN_CATEGORIES = ("Cc", "Zl", "Zp")  # control characters (\n, \t, \x1b ...) and Unicode line/paragraph breaks


def is_consensus_name(name: str) -> bool:
    key = name_key(name)
    return key == CONSENSUS or key.startswith(CONSENSUS + ":")


def consensus_coding_name(coder_a: str, coder_b: str) -> str:
    """The coder row that holds a meeting's consensus coding, e.g. ``consensus:anouk+bas``."""
    return f"{CONSENSUS}:{coder_a}+{coder_b}"


def checked_coder_name(raw: str) -> str:
    """The stored spelling of a coder name typed by a person, or ``ThematicaError`` saying why not."""
    name = clean_name(raw)
    if not name:
        raise ThematicaError("the coder name is empty")
    if any(unicodedata.category(character) in _FORBIDDEN_CATEGORIES for character in name):
        raise ThematicaError(f"coder name {name!r} contains a control character or line break")
    if len(name) > MAX_LENGTH:
        raise ThematicaError(f"coder name {name[:20]!r}… is longer than {MAX_LENGTH} characters")
    if is_consensus_name(name):
        raise ThematicaError(f"coder name {name!r} is reserved: a consensus coding is written only through the "
                             "decisions of its meeting (thematica consensus decide)")
    return name
