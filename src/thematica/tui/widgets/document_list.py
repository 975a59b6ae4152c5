"""The document list pane: each document with the coder's status mark, share coded and case.

A survey brings 20,000 answer documents. Textual's ``OptionList`` measures every option's wrapped
height before it draws (about 3 s for 20,000); here every document is one line (its label is cut
at the pane's edge, never wrapped), so the line map is built without measuring anything and only
the rows on screen are drawn. (Relies on ``OptionList``'s line cache; textual is pinned.)
"""

from __future__ import annotations

from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from thematica.coding.views import DocumentProgress

STATUS_MARK = {"not_started": "·", "in_progress": "◐", "done": "✓"}


def progress_label(row: DocumentProgress) -> str:
    label = f"{STATUS_MARK.get(row.status, '·')} {row.name} {100 * row.coded_share:3.0f}%"
    if row.case and row.case != row.name:
        label += f" ({row.case})"
    return label


class DocumentList(OptionList):
    """Posts ``Chosen`` when the coder picks a document; ``show_current`` keeps the highlight on
    the open document however it was opened (list, search, retrieval)."""

    class Chosen(Message):
        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    DEFAULT_CSS = """
    DocumentList > .option-list--option { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    _shown_rows: list[tuple[str, str]] | None = None

    def _update_lines(self) -> None:
        """One line per document: the line map is extended by counting, not by measuring labels."""
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        first = lines[-1][0] + 1 if lines else 0
        count = len(self.options)
        if first < count:
            cache.index_to_line.update(zip(range(first, count), range(len(lines), len(lines) + count - first)))
            cache.heights.update(dict.fromkeys(range(first, count), 1))
            lines.extend((index, 0) for index in range(first, count))
        virtual_size = Size(self.scrollable_content_region.width - self._get_left_gutter_width(), len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.options)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def show_rows(self, rows: list[DocumentProgress], current: int | None) -> None:
        """Fill the list; when the same documents are listed, only changed labels are replaced."""
        wanted = [(str(row.document_id), progress_label(row)) for row in rows]
        shown = self._shown_rows
        if shown is not None and len(shown) == len(wanted) and all(
                old[0] == new[0] for old, new in zip(shown, wanted)):
            for (key, label), (_, before) in zip(wanted, shown):
                if label != before:
                    self.replace_option_prompt(key, label)
        else:
            self.clear_options()
            self.add_options([Option(label, id=key) for key, label in wanted])
        self._shown_rows = wanted
        self.show_current(current)

    def update_row(self, row: DocumentProgress) -> None:
        key = str(row.document_id)
        try:
            option = self.get_option(key)
        except OptionDoesNotExist:  # the document is filtered out of the list
            return
        label = progress_label(row)
        if str(option.prompt) != label:
            self.replace_option_prompt(key, label)
            if self._shown_rows is not None:
                index = self.get_option_index(key)
                if index < len(self._shown_rows) and self._shown_rows[index][0] == key:
                    self._shown_rows[index] = (key, label)

    def show_current(self, document_id: int | None) -> None:
        if document_id is None:
            return
        try:
            index = self.get_option_index(str(document_id))
        except OptionDoesNotExist:  # not in the (filtered) list
            return
        if self.highlighted != index:
            self.highlighted = index

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))
