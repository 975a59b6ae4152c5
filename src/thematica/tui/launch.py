"""Starting the workbench from the command line (and from ``thematica demo``)."""

from __future__ import annotations

from thematica.store.project import open_project


def run_workbench(project_location: str, coder: str | None = None) -> None:
    from thematica.tui.app import make_app

    with open_project(project_location) as project:
        make_app(project, coder).run()
