"""TUI tests keep the user's keymap and layout files in a temporary folder, never in the real home."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_config_folder(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("THEMATICA_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
