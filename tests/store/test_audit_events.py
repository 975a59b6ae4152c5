"""``store.audit.events_since``: what happened since a given event, for a watcher to reload only that."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from thematica.coding import codebook
from thematica.errors import ThematicaError
from thematica.store import audit


def test_the_events_after_an_id_come_oldest_first_and_too_many_are_none(project):
    with project.reading() as session:
        start = audit.last_event_id(session)
    codebook.create_code(project, "Veiligheid", "anouk")
    codebook.create_code(project, "Thuis", "bas")
    with project.reading() as session:
        events = audit.events_since(session, start)
        assert events is not None and [actor for _, actor, _, _ in events] == ["anouk", "bas"]
        assert [event_id for event_id, _, _, _ in events] == sorted(event_id for event_id, _, _, _ in events)
        assert audit.events_since(session, events[-1][0]) == []
        assert audit.events_since(session, start, limit=1) is None


def test_a_database_that_does_not_answer_is_one_line(project, monkeypatch):
    with project.reading() as session:
        def refused(*arguments, **options):
            raise OperationalError("SELECT", {}, Exception("database is locked\nmore"))
        monkeypatch.setattr(session, "execute", refused)
        with pytest.raises(ThematicaError) as caught:
            audit.events_since(session, 0)
    assert caught.value.reason == "the database did not answer (database is locked)"
