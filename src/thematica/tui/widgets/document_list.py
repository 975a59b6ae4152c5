"""The document list pane: each document with the coder's status mark, share coded and case."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from thematica.coding.queries import DocumentProgress

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

    def show_rows(self, rows: list[DocumentProgress], current: int | None) -> None:
        """Fill the list; when the same documents are listed, only changed labels are replaced."""
        wanted = [(str(row.document_id), progress_label(row)) for row in rows]
        present = [self.get_option_at_index(i).id for i in range(self.option_count)]
        if present == [key for key, _ in wanted]:
            for key, label in wanted:
                if str(self.get_option(key).prompt) != label:
                    self.replace_option_prompt(key, label)
        else:
            self.clear_options()
            self.add_options([Option(label, id=key) for key, label in wanted])
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
