"""``thematica serve``: the workbench page is served on localhost and asks no third party for fonts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from thematica.tui.launch import offline_templates


def test_offline_template_has_no_external_links(tmp_path):
    folder = offline_templates(tmp_path / "templates")
    page = (folder / "app_index.html").read_text(encoding="utf-8")
    assert "googleapis" not in page and "<html" in page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_on_localhost(project, tmp_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", "from thematica.cli import main; main()", "serve",
                               project.location, "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        page = None
        for _ in range(60):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.25)
        assert page is not None and "textual" in page.lower() and "googleapis" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)
