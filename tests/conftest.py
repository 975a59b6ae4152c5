"""Shared fixtures: empty projects and projects built from literal texts."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from thematica.corpus.importer import store_text
from thematica.store.project import Project, open_project

os.environ.setdefault("THEMATICA_NO_NETWORK_CHECK", "0")


@pytest.fixture(scope="session", autouse=True)
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    """New SQLite projects start as a copy of one project that ``open_project`` created (Alembic
    migrations run) once per test session: running the migrations costs about 0.7 s per new
    project, copying the file a millisecond. Only the step that writes the new file's first bytes
    is replaced (``store.project._create_sqlite_file``: folders, ``O_EXCL``, 0600 are still its own);
    the schema check, pragmas and staging clean-up run as in the product. The migrations themselves
    are tested on their own (tests/store/test_migration*.py) and by every child ``thematica``
    process. ``THEMATICA_TEST_MIGRATE_EACH=1`` runs them for every new project instead."""
    if os.environ.get("THEMATICA_TEST_MIGRATE_EACH") == "1":
        yield None
        return
    from thematica.store import project as project_module

    template = tmp_path_factory.mktemp("template") / "template.thematica"
    open_project(template, create=True).close()
    assert not template.with_name(template.name + "-wal").exists()
    content = template.read_bytes()
    create_empty = project_module._create_sqlite_file

    def create_from_template(path: Path) -> None:
        create_empty(path)
        with open(path, "r+b") as handle:
            handle.write(content)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(project_module, "_create_sqlite_file", create_from_template)
        yield template


@pytest.fixture(scope="session", autouse=True)
def built_cli_once() -> Iterator[None]:
    """Typer turns the app into a click command tree on every call of ``main`` (about 0.1 s for this
    app, more than most in-process commands take); the tests build it once per app and reuse it, as
    click allows. The app is complete after its first ``main`` (``cli.app._register_commands`` adds
    every command once per process), and the tree is rebuilt when an app gains commands or groups."""
    import typer.main

    build = typer.main.get_command
    built: dict[int, tuple[object, tuple[int, int], object]] = {}

    def get_command(typer_instance: typer.Typer):  # type: ignore[no-untyped-def]
        shape = (len(typer_instance.registered_commands), len(typer_instance.registered_groups))
        known = built.get(id(typer_instance))
        if known is None or known[0] is not typer_instance or known[1] != shape:
            known = (typer_instance, shape, build(typer_instance))
            built[id(typer_instance)] = known
        return known[2]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.main, "get_command", get_command)
        yield


@pytest.fixture(scope="session", autouse=True)
def pilot_idle_check_every_5_ms() -> Iterator[None]:
    """Textual's Pilot waits after every key, click and ``pause()`` until the app is idle: it sleeps in
    steps of ``SLEEP_GRANULARITY`` (20 ms) until a step in which the process used less than 1/20 of it
    in CPU time. Every key therefore cost at least 20 ms, two thirds of all the Pilot tests' time. The
    same test, idle = "less than 5 % CPU over the step", in steps of 5 ms: the app's own work runs in
    the same event loop, so a step only ends quiet once the key's messages are handled; writes in
    worker threads are awaited by the tests themselves (``app.workers.wait_for_complete()``)."""
    import textual._wait

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
        patch.setattr(textual._wait, "SLEEP_IDLE", 0.005 / 20)
        yield


_demo_build: list[Path] = []


def demo_project(folder: Path) -> Path:
    """``build_demo(folder)`` for tests that read or change the demo project: the demo is built once
    per test process (about 3 s: its transcripts are segmented, codings and the trial imported) and
    each call gets a copy of that closed, checkpointed file (owner-only, as ``build_demo`` leaves it).
    ``build_demo`` itself is tested by tests/test_demo_data.py and through ``thematica demo``."""
    import atexit
    import shutil
    import tempfile

    from thematica.demo import PROJECT_NAME, build_demo

    if not _demo_build:
        place = Path(tempfile.mkdtemp(prefix="thematica-test-demo-"))
        atexit.register(shutil.rmtree, place, True)
        built = build_demo(place)
        assert not built.with_name(built.name + "-wal").exists()
        _demo_build.append(built)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PROJECT_NAME
    assert not path.exists()
    shutil.copyfile(_demo_build[0], path)
    path.chmod(_demo_build[0].stat().st_mode & 0o777)
    return path


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.thematica"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    opened = open_project(project_path, create=True)
    yield opened
    opened.close()


@pytest.fixture
def make_project_with_text(tmp_path: Path) -> Iterator[Callable[..., Project]]:
    """``make_project_with_text({"R1": "I: ...\\nR: ..."}, cases={"R1": "R1"})`` -> an open project."""
    opened: list[Project] = []

    def make(texts: dict[str, str], *, cases: dict[str, str] | None = None, language: str = "nl",
             name: str = "texts.thematica") -> Project:
        project = open_project(tmp_path / name, create=True)
        opened.append(project)
        for document, text in texts.items():
            store_text(project, document, text, language=language, case=(cases or {}).get(document))
        return project

    yield make
    for project in opened:
        project.close()


# The group-therapy interview most coding and workbench tests code: a title, two questions, two answers.
INTERVIEW = ("Interview T1\n\nI: Hoe was de groep?\n\nR: Eh, eerst eng. Later voelde ik me veilig bij de therapeuten. "
             "De groep hielp mij.\n\nI: En thuis?\n\nR: Thuis zeg ik nu vaker nee.\n")
# The same interview with a longer first answer (a laugh, a sentence more), as a new user's walk found it.
INTERVIEW_WITH_LAUGH = ("Interview T1\n\nI: Hoe was de groep?\n\nR: Heel eng. (lacht) Er zaten veel mensen. Later "
                        "voelde ik me veilig bij de therapeuten. De groep hielp mij.\n\nI: En thuis?\n\nR: Thuis zeg "
                        "ik nu vaker nee.\n")


@pytest.fixture
def make_study(make_project_with_text: Callable[..., Project]) -> Callable[..., Project]:
    """``make_study({"T1": text}, ["Groep/Veiligheid", ...], creator="anouk", cases=...)`` -> an open
    project with those texts and those codes (created by ``creator``), nothing coded yet."""
    from thematica.coding import codebook

    def make(texts: dict[str, str], codes: list[str], *, creator: str = "anouk",
             cases: dict[str, str] | None = None) -> Project:
        project = make_project_with_text(texts, cases=cases)
        for path in codes:
            codebook.create_code(project, path, creator)
        return project

    return make


@pytest.fixture
def project_digest() -> Callable[[Path], str]:
    """``project_digest(path)``: checksum of a project's content, to prove an action left it unchanged."""
    return file_digest


def file_digest(path: Path) -> str:
    """Checksum of a project's content (SQLite file after a checkpoint), to prove 'unchanged'."""
    import hashlib
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dump = "\n".join(connection.iterdump())
    connection.close()
    return hashlib.sha256(dump.encode()).hexdigest()


def _postgres_admin_url() -> str | None:
    url = os.environ.get("THEMATICA_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the PostgreSQL tests: THEMATICA_TEST_PG_URL is not set (see scripts/with-postgres.sh)")
        pytest.skip("no PostgreSQL server (run through 'make test', which starts one)")
    return url


@contextlib.contextmanager
def _fresh_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new database on the test server (a copy of ``template``, if given), dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(_postgres_admin_url())
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    with _fresh_database("t") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """The PostgreSQL counterpart of ``migrated_template``: one database per test session (per xdist
    worker) in which ``open_project`` created a project, so ``any_location``'s new databases are copies
    of it (``CREATE DATABASE ... TEMPLATE``, a file copy on the server) instead of an empty database
    the migrations then run in (about 0.5 s each). ``open_project(..., create=True)`` on the copy finds
    the head revision and checks it, as on a copied SQLite template. ``postgres_url`` stays an empty
    database: the tests that use it run the migrations on PostgreSQL from nothing (and
    ``THEMATICA_TEST_MIGRATE_EACH=1`` gives every test an empty one)."""
    if os.environ.get("THEMATICA_TEST_MIGRATE_EACH") == "1":
        yield None
        return
    from sqlalchemy.engine import make_url

    with _fresh_database("template") as url:
        open_project(url, create=True).close()  # closed: a template must have no connection when copied
        yield make_url(url).database


@pytest.fixture
def postgres_project_url(postgres_template: str | None) -> Iterator[str]:
    """A fresh PostgreSQL database for one test in which ``open_project(url, create=True)`` makes an
    empty project (a copy of ``postgres_template``; dropped afterwards)."""
    with _fresh_database("t", postgres_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_location(request, tmp_path: Path) -> str:
    """A new project location on each backend: a SQLite file that does not exist yet, and a PostgreSQL
    database of its own; ``open_project(location, create=True)`` gives an empty project on either (both
    start from a project made once per session: ``migrated_template``, ``postgres_template``)."""
    if request.param == "sqlite":
        return str(tmp_path / "any.thematica")
    return request.getfixturevalue("postgres_project_url")


@pytest.fixture
def any_project_with_text(any_location: str) -> Iterator[Callable[..., Project]]:
    """Like ``make_project_with_text``, once on SQLite and once on PostgreSQL."""
    opened: list[Project] = []

    def make(texts: dict[str, str], *, cases: dict[str, str] | None = None, language: str = "nl") -> Project:
        project = open_project(any_location, create=True)
        opened.append(project)
        for document, text in texts.items():
            store_text(project, document, text, language=language, case=(cases or {}).get(document))
        return project

    yield make
    for project in opened:
        project.close()


SCHEMA_NAME = Path("refi-qda") / "Project-mrt2019.xsd"
REFI_SCHEMA_PLACES = [Path(os.environ["THEMATICA_REFI_SCHEMA"])] if os.environ.get("THEMATICA_REFI_SCHEMA") else []
REFI_SCHEMA_PLACES += [parent / "shared" / SCHEMA_NAME for parent in Path(__file__).resolve().parents[1:4]]
REFI_SCHEMA_PLACES += [Path("/work/shared") / SCHEMA_NAME]


@pytest.fixture(scope="session")
def refi_schema():
    """The official REFI-QDA schema, which stays outside the repository (../shared/refi-qda, or
    THEMATICA_REFI_SCHEMA); the validation tests are skipped, loudly, where it is absent."""
    found = next((place for place in REFI_SCHEMA_PLACES if place.exists()), None)
    if found is None:
        pytest.skip(f"REFI-QDA schema not found (looked in {', '.join(map(str, REFI_SCHEMA_PLACES))})")
    import xmlschema

    return xmlschema.XMLSchema(str(found))


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli_in_process(*arguments: str, columns: int = 160) -> CliResult:
    """``thematica ARGUMENTS`` in this process, through ``main`` (the exit-code mapping included);
    stdout and stderr captured, rich tables ``columns`` wide as ``COLUMNS`` makes them in a shell."""
    from thematica.cli import main
    from thematica.cli.common import console

    out, err = io.StringIO(), io.StringIO()
    width = console.width
    console.width = columns
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(arguments))
    except SystemExit as exit_:
        code = exit_.code
    finally:
        console.width = width
    return CliResult(code if isinstance(code, int) else (0 if code is None else 1), out.getvalue(), err.getvalue())


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """``run_cli("agreement", path, "--format", "json")`` -> CliResult, in process (no interpreter start)."""
    return run_cli_in_process


def checkout_environment() -> dict[str, str]:
    """The environment for a child ``python -m thematica``: this one, with the checkout under test first
    on PYTHONPATH, so the child imports the same code as the test (never another installed copy)."""
    import thematica

    source = str(Path(thematica.__file__).resolve().parents[1])
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + inherited if inherited else "")}


@pytest.fixture
def child_environment() -> dict[str, str]:
    return checkout_environment()
