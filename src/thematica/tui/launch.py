"""Starting the workbench from the command line (and from ``thematica demo``)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from thematica.store.project import open_project


def run_workbench(project_location: str, coder: str | None = None) -> None:
    from thematica.tui.app import make_app

    with open_project(project_location) as project:
        make_app(project, coder).run()


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


def serve_workbench(project_location: str, port: int, coder: str | None = None) -> None:
    """Serve the workbench to a browser tab at http://localhost:PORT (loopback only)."""
    import sys
    import tempfile

    from textual_serve.server import Server

    command = [sys.executable, "-m", "thematica.cli", "code" if coder else "tui", project_location]
    if coder:
        command += ["--coder", coder]
    with tempfile.TemporaryDirectory(prefix="thematica-serve-") as folder:
        templates = offline_templates(Path(folder) / "templates")
        Server(shlex.join(command), host="localhost", port=port, title="Thematica",
               templates_path=templates).serve()
