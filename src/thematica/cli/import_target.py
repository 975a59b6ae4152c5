"""The project an import writes to: created when missing, and removed again when that import is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thematica.store.project import Project, is_url, open_project


@contextmanager
def project_for_import(location: str) -> Iterator[Project]:
    """Open (or create) the project; a file this import created is deleted if the import fails, so a
    refused import into a new project leaves nothing behind (an existing one is left unchanged by
    the import's own transaction)."""
    path = None if is_url(location) else Path(location).expanduser()
    fresh = path is not None and not path.exists()
    project = open_project(location, create=True)
    try:
        yield project
    except BaseException:
        project.close()
        if fresh and path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    project.close()
