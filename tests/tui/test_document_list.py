"""The document list at survey size: 20,000 answers are listed without measuring a label, and the
keys behave as in any option list (down, end, enter chooses)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from thematica.coding.queries import DocumentProgress
from thematica.tui.widgets.document_list import DocumentList

ANSWERS = 20_000


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield DocumentList(id="documents")

    def on_mount(self) -> None:
        rows = [DocumentProgress(number, f"R{number:05d} · wat hielp — een heel lang antwoord over de groep", None,
                                 12, 0.0, "not_started") for number in range(1, ANSWERS + 1)]
        self.query_one(DocumentList).show_rows(rows, 1)
        self.query_one(DocumentList).focus()

    def on_document_list_chosen(self, event: DocumentList.Chosen) -> None:
        self.chosen.append(event.document_id)


async def test_twenty_thousand_answers_are_listed_without_measuring_labels(monkeypatch):
    measured: list[object] = []
    get_height = Content.get_height

    def counted(self, *args, **kwargs):
        measured.append(self)
        return get_height(self, *args, **kwargs)
    monkeypatch.setattr(Content, "get_height", counted)
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        documents = app.query_one(DocumentList)
        assert documents.option_count == ANSWERS and documents.virtual_size.height == ANSWERS
        assert measured == []                        # one line per document: nothing measured
        await pilot.press("down", "down", "enter")
        assert app.chosen == [3]
        await pilot.press("end", "enter")
        assert app.chosen == [3, ANSWERS] and documents.highlighted == ANSWERS - 1
        assert documents.scroll_offset.y == ANSWERS - documents.scrollable_content_region.height
        documents.update_row(DocumentProgress(ANSWERS, f"R{ANSWERS:05d}", None, 12, 0.5, "in_progress"))
        assert str(documents.get_option_at_index(ANSWERS - 1).prompt) == f"◐ R{ANSWERS:05d}  50%"
        await pilot.pause()
        assert measured == []
