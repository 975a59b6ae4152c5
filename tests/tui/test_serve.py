"""``thematica serve``: loopback only, a random token, the coder fixed at start; a request without the
token, or from a foreign Origin or Host, gets 403 and changes nothing; the page asks no third party
for fonts."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from thematica.tui.launch import offline_templates, refusal


def test_offline_template_has_no_external_links(tmp_path):
    folder = offline_templates(tmp_path / "templates")
    page = (folder / "app_index.html").read_text(encoding="utf-8")
    assert "googleapis" not in page and "<html" in page


ALLOWED = frozenset({"127.0.0.1:8000", "localhost:8000"})


@pytest.mark.parametrize(("host", "origin", "websocket", "token", "reason"), [
    ("127.0.0.1:8000", None, False, "geheim", None),
    ("localhost:8000", "http://localhost:8000", True, "geheim", None),
    ("127.0.0.1:8000", None, False, None, "no valid token"),
    ("127.0.0.1:8000", None, False, "geraden", "no valid token"),
    ("127.0.0.1:8000", "http://evil.example", False, "geheim", "foreign Origin"),
    ("evil.example:8000", None, False, "geheim", "foreign Host"),
    ("127.0.0.1:8000", None, True, "geheim", "WebSocket without Origin"),
])
def test_the_guard_refuses_what_no_page_of_this_server_sends(host, origin, websocket, token, reason):
    assert refusal(host=host, origin=origin, websocket=websocket, given_token=token, token="geheim",
                   allowed_hosts=ALLOWED) == reason


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _websocket_status(port: int, path: str, origin: str | None) -> int:
    """The HTTP status of a WebSocket handshake (101 = accepted), by hand on a raw socket."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"] + ([f"Origin: {origin}"] if origin else [])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        first = connection.recv(200).decode("latin-1").split("\r\n", 1)[0]
    return int(first.split()[1])


@pytest.fixture
def served(project, project_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", "from thematica.cli import main; main()", "serve",
                               str(project_path), "--port", str(port), "--coder", "anouk"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        assert found, line
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        yield port, found.group(2)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_prints_a_tokened_loopback_url_and_refuses_requests_without_it(served, project_path,
                                                                             project_digest):
    port, token = served
    before = project_digest(project_path)
    assert _status(f"http://127.0.0.1:{port}/")[0] == 403
    assert _status(f"http://127.0.0.1:{port}/?token=wrong")[0] == 403
    assert _status(f"http://127.0.0.1:{port}/static/js/textual.js")[0] == 403
    assert _status(f"http://127.0.0.1:{port}/?token={token}", {"Origin": "http://evil.example"})[0] == 403
    assert _status(f"http://127.0.0.1:{port}/?token={token}", {"Host": f"evil.example:{port}"})[0] == 403
    assert _websocket_status(port, "/ws?width=80&height=24", f"http://127.0.0.1:{port}") == 403
    assert _websocket_status(port, f"/ws?token={token}&width=80&height=24", "http://evil.example") == 403
    assert project_digest(project_path) == before
    status, page = _status(f"http://127.0.0.1:{port}/?token={token}")
    assert status == 200 and "textual" in page.lower() and "googleapis" not in page
    assert _status(f"http://127.0.0.1:{port}/static/js/textual.js", {"Cookie": f"thematica_token={token}"})[0] == 200


def test_serve_needs_a_proper_coder(project_path, project):
    done = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", "serve",
                           str(project_path), "--coder", "consensus"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "reserved" in done.stderr
