"""The coding session's opening state, read before SQLAlchemy is imported, for the first frame.

``CodingSession`` opens with ``load(totals=False)`` and then the first document; ``first_look``
gives the same codebook, colours, document view and selection from ``store.first_look``'s few
reads, with the one visibility rule (``coding.visibility_rule``) choosing whose segments are read.
The workbench draws its first frame from it and then opens the session, which reads the same
again; a test holds the two equal. None means: start the ordinary way.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.coding import visibility_rule as rule
from thematica.coding.coder_names import checked_coder_name
from thematica.coding.views import (CodeInfo, DocumentView, code_colours, codes_in_tree_order, segments_per_code,
                                    shown_segment)
from thematica.errors import ThematicaError
from thematica.store.first_look import FirstLookReader, read_first_look


@dataclass(frozen=True)
class FirstLook:
    """The first frame's state: ``codes`` in tree order, their on-screen ``colours``, the first
    document's ``view`` (None in a project without documents) and the unit ``selection``."""

    coder: str
    codes: list[CodeInfo]
    colours: dict[int, str]
    view: DocumentView | None
    selection: tuple[int, int]

    def document_code_counts(self) -> dict[int, int]:
        """Segments per code in the document shown (``CodingSession.document_code_counts``)."""
        return segments_per_code(self.view.segments if self.view else [])


def first_look(location: str, coder: str) -> FirstLook | None:
    """The opening state of ``coder``'s session on the project file at ``location``, or None (a
    server, another schema, a name the ordinary start must refuse, a file that cannot be read now)."""
    try:
        name = checked_coder_name(coder)
    except ThematicaError:
        return None
    return read_first_look(location, lambda reader: _look(reader, name))


def _look(reader: FirstLookReader, coder: str) -> FirstLook:
    coder_id = reader.coder_id(coder)
    coders = reader.coders()
    meetings = reader.meetings()
    blind = rule.is_blind(reader.setting(rule.BLIND_SETTING), coders, {consensus for _, _, consensus in meetings})
    visible = sorted(rule.visible_ids(coder_id if coder_id is not None else rule.NOBODY, blind=blind,
                                      coder_ids=[identifier for identifier, _ in coders], meetings=meetings))
    codes = codes_in_tree_order(reader.code_rows())
    colours = code_colours(codes)
    head = reader.first_document()
    if head is None:
        return FirstLook(coder, codes, colours, None, (0, 0))
    document_id, name, case, case_id, text = head
    units = reader.units(document_id)
    attributes = reader.case_values(case_id) if case_id is not None else []
    by_id, names = {code.id: code for code in codes}, dict(coders)
    segments = [shown_segment(row, by_id, colours, names) for row in reader.segments(document_id, visible)]
    view = DocumentView(document_id, name, text, case, list(attributes), units, segments)
    sentences = units.get("sentence", [])
    selection = (sentences[0][0], sentences[0][1]) if sentences else (0, 0)
    return FirstLook(coder, codes, colours, view, selection)
