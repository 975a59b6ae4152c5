"""The visibility rule of ``coding.visibility`` as a function of plain values.

Every read path asks ``coding.visibility.visible_coder_ids``, which feeds this from the store; the
workbench's first frame (``coding.first_look``) feeds it from its own few reads, so both apply
the very same rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from thematica.coding.coder_names import is_consensus_name

BLIND_SETTING = "blind_mode"
"""The project setting that switches blind mode on or off explicitly (absent: the default)."""
NOBODY = 0
"""No coder has id 0: the viewer id of a coder not yet created, who sees only their (no) codings when blind."""


def human_ids(coders: Iterable[tuple[int, str]], consensus_ids: set[int]) -> list[int]:
    """The ids of the human coders among (id, name): not a meeting's consensus coding, not a
    reserved ``consensus`` name."""
    return [coder_id for coder_id, name in coders if coder_id not in consensus_ids and not is_consensus_name(name)]


def is_blind(explicit: object, coders: Iterable[tuple[int, str]], consensus_ids: set[int]) -> bool:
    """The explicit setting when there is one; otherwise blind from two human coders on."""
    if explicit is not None:
        return bool(explicit)
    return len(human_ids(coders, consensus_ids)) >= 2


def visible_ids(viewer_id: int, *, blind: bool, coder_ids: Iterable[int],
                meetings: Iterable[tuple[int, int, int]]) -> frozenset[int]:
    """Whose codings ``viewer_id`` may see: everyone's when not blind; when blind their own, and in a
    meeting (coder A, coder B, its consensus coder) that they take part in, all three."""
    if not blind:
        return frozenset(coder_ids) | {viewer_id}
    visible = {viewer_id}
    for coder_a, coder_b, consensus in meetings:
        if viewer_id in (coder_a, coder_b):
            visible |= {coder_a, coder_b, consensus}
    return frozenset(visible)
