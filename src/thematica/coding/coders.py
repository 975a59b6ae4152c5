"""A person's coder row, found or created on first use, after the name rules of ``coding.coder_names``."""

from __future__ import annotations

from thematica.coding.coder_names import (CONSENSUS, MAX_LENGTH, checked_coder_name,  # noqa: F401 (re-exported)
                                           consensus_coding_name, is_consensus_name)
from thematica.errors import ThematicaError
from thematica.store import coders as coder_store
from thematica.store.models import Coder


def coder_for(session, raw: str) -> Coder:
    """The coder a person names (created on first use), after ``checked_coder_name``."""
    return coder_store.get_or_create_coder(session, checked_coder_name(raw))


def existing_coder(session, raw: str) -> Coder:
    coder = coder_store.coder_by_name(session, raw)
    if coder is None:
        raise ThematicaError(f"no coder {coder_store.clean_name(raw)!r} in the project")
    return coder
