"""Starting the workbench from the command line (and from ``thematica demo``)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from thematica.tui.keymap import user_keymap


def has_terminal() -> bool:
    """Whether the workbench can draw here: standard input and output are a terminal, or
    textual-serve runs it with its own driver (``TEXTUAL_DRIVER``), which needs none."""
    import os
    import sys

    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


def needs_terminal() -> None:
    """The workbench draws on a terminal: without one (a pipe, a cron job) Textual would spin, so refuse."""
    from thematica.errors import ThematicaError

    if not has_terminal():
        raise ThematicaError("the workbench needs a terminal (standard input and output are not one)")


def run_workbench(project_location: str, coder: str | None = None) -> None:
    from thematica.store.project import open_project
    from thematica.tui.app import make_app

    with open_project(project_location) as project:  # a bad project or coder is reported first
        needs_terminal()
        user_keymap()  # a broken keymap file is one line and exit 2, before the screen is drawn
        make_app(project, coder).run()


def run_workbench_quickly(project_location: str, coder: str) -> bool:
    """The workbench as ``coder``, its first frame drawn from ``coding.first_look`` before SQLAlchemy
    is imported (the project and the session open right after it). False, with nothing done, when
    the ordinary start must decide: no terminal, a server, another schema, a name it refuses."""
    import sys

    from thematica.coding.first_look import first_look
    from thematica.errors import ThematicaError

    if not has_terminal():
        return False
    try:
        user_keymap()
    except ThematicaError:  # the ordinary start reports it (one line, exit 2)
        return False
    first = first_look(project_location, coder)
    if first is None:
        return False
    from thematica.tui.app import ThematicaApp

    app = ThematicaApp(None, first.coder, first=first, location=project_location)
    try:
        app.run()
    finally:
        app.close_opened()
    if app.failure is not None:  # as the ordinary start reports it: one line, exit code 2
        print(f"thematica: {' '.join(app.failure.split())}", file=sys.stderr)
        sys.exit(2)
    if app.return_code:
        sys.exit(app.return_code)
    return True


def offline_templates(folder: Path) -> Path:
    """textual-serve's page template without its web-font link, so a coder's browser asks no third
    party for anything while a transcript is on screen (the page is served from localhost only)."""
    import textual_serve

    source = Path(textual_serve.__file__).resolve().parent / "templates"
    folder.mkdir(mode=0o700, exist_ok=True)
    for template in source.glob("*.html"):
        page = template.read_text(encoding="utf-8")
        page = re.sub(r"<link[^>]*?fonts\.googleapis\.com[^>]*?>", "", page, flags=re.DOTALL)
        (folder / template.name).write_text(page, encoding="utf-8")
    return folder


TOKEN_COOKIE = "thematica_token"
LOOPBACK = "127.0.0.1"


def refusal(*, host: str, origin: str | None, websocket: bool, given_token: str | None, token: str,
            allowed_hosts: frozenset[str]) -> str | None:
    """Why a request to the served workbench is refused (403), or None to let it through.

    The page holds transcripts and writes as the coder fixed at start, so a request must come from
    a page this server handed out: the random token (query or the cookie set with the page), a
    ``Host`` of this server (no DNS rebinding) and, when a browser sends one, an ``Origin`` of this
    server (no other site's page); a WebSocket without an ``Origin`` is refused.
    """
    if host not in allowed_hosts:
        return "foreign Host"
    if origin is not None and origin not in {f"http://{allowed}" for allowed in allowed_hosts}:
        return "foreign Origin"
    if websocket and origin is None:
        return "WebSocket without Origin"
    import hmac  # here, not at the top: the workbench's start needs no OpenSSL

    if not given_token or not hmac.compare_digest(given_token.encode(), token.encode()):
        return "no valid token"
    return None


def serve_workbench(project_location: str, port: int, coder: str, host: str = LOOPBACK) -> None:
    """Serve the workbench as ``coder`` to a browser tab at http://HOST:PORT/?token=... (loopback by default)."""
    import secrets
    import sys
    import tempfile

    from aiohttp import web
    from textual_serve.server import Server

    user_keymap()  # the served workbench would fail in its own process; say it here, once
    token = secrets.token_urlsafe(32)
    allowed = frozenset({f"{host}:{port}", f"{LOOPBACK}:{port}", f"localhost:{port}"})
    command = [sys.executable, "-m", "thematica.cli", "code", project_location, "--coder", coder]

    @web.middleware
    async def guard(request: web.Request, handler):
        reason = refusal(host=request.host, origin=request.headers.get("Origin"),
                         websocket=request.headers.get("Upgrade", "").lower() == "websocket",
                         given_token=request.query.get("token") or request.cookies.get(TOKEN_COOKIE),
                         token=token, allowed_hosts=allowed)
        if reason is not None:
            raise web.HTTPForbidden(text=f"refused: {reason}\n")
        response = await handler(request)
        if request.query.get("token") and isinstance(response, web.Response):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def on_startup(self, app: web.Application) -> None:  # the URL with its token, nothing else
            print(f"Thematica workbench for {coder}: http://{host}:{port}/?token={token}\n"
                  "Open it in a browser on this machine; Ctrl+C stops the server.", flush=True)

    with tempfile.TemporaryDirectory(prefix="thematica-serve-") as folder:
        templates = offline_templates(Path(folder) / "templates")
        GuardedServer(shlex.join(command), host=host, port=port, title="Thematica",
                      templates_path=templates).serve()
