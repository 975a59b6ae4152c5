"""Every coding session a test opened through ``tests.coding.sessions`` is closed after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.coding.sessions import close_all


@pytest.fixture(autouse=True)
def close_sessions() -> Iterator[None]:
    yield
    close_all()
