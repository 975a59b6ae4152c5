"""Private outputs: standard output, special files written in place, 0700 folders, staging beside the project."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from thematica.errors import ThematicaError
from thematica.output import make_private_folders, write_output
from thematica.staging import PREFIX, clean_stale_staging, staging_folder


def test_dash_and_dev_stdout_write_to_standard_output_and_replace_nothing(tmp_path, project_path):
    from thematica.corpus.importer import store_text
    from thematica.store.project import open_project

    with open_project(project_path, create=True) as project:
        store_text(project, "R1", "R: Een zin met ë.\n")
    link = tmp_path / "stdout-link"
    link.symlink_to("/dev/stdout")
    device_before = os.lstat("/dev/stdout")
    for out in ("-", "/dev/stdout", str(link)):
        result = subprocess.run([sys.executable, "-c", "from thematica.cli import main; main()", "codings", "export",
                                 str(project_path), "--out", out], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("document,start,end,code,coder,memo")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    after = os.lstat("/dev/stdout")
    assert (after.st_mode, after.st_ino) == (device_before.st_mode, device_before.st_ino)
    assert not Path("-").exists()


def test_a_special_file_is_written_in_place_and_a_folder_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_output(fifo, "door de pijp\n")
    assert reader.communicate(timeout=30)[0] == b"door de pijp\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    write_output("/dev/null", "weg\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(ThematicaError, match="folder"):
        write_output(tmp_path, "x")


def test_output_folders_are_0700_whatever_the_umask_and_files_0600(tmp_path):
    previous = os.umask(0)
    try:
        target = tmp_path / "a" / "b" / "out.md"
        write_output(target, "# uit\n")
        make_private_folders(tmp_path / "c" / "d")
    finally:
        os.umask(previous)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "c", tmp_path / "c" / "d"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_staging_is_private_removed_after_failure_and_stale_entries_are_cleaned(tmp_path):
    with pytest.raises(RuntimeError):
        with staging_folder(tmp_path) as folder:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            (folder / "interview.txt").write_text("geheim")
            raise RuntimeError("stop")
    assert not any(p.name.startswith(PREFIX) for p in tmp_path.iterdir())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{PREFIX}{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "bron.txt").write_text("over")
    alive = tmp_path / f"{PREFIX}{os.getpid()}-def"
    alive.mkdir()
    assert clean_stale_staging(tmp_path) == [stale]
    assert alive.exists() and not stale.exists()


def test_merging_a_qdpx_stages_beside_the_project_not_in_the_system_temp(tmp_path, monkeypatch):
    import tempfile

    from thematica.coding.segments import apply_code
    from thematica.corpus.importer import store_text
    from thematica.interchange.merge import merge
    from thematica.interchange.refi_qda import export_qdpx
    from thematica.store.project import open_project

    other = tmp_path / "other.thematica"
    with open_project(other, create=True) as project:
        store_text(project, "R1", "R: Een gedeeld interview met ë.\n")
        apply_code(project, 1, "bas", 3, 10, code_path="Groep")
        export_qdpx(project, tmp_path / "other.qdpx")
    here = tmp_path / "here"
    here.mkdir()
    with open_project(here / "study.thematica", create=True) as project:
        store_text(project, "R1", "R: Een gedeeld interview met ë.\n")
    seen: list[Path] = []
    real_open = open_project

    def watching(location, **kwargs):
        seen.append(Path(location))
        return real_open(location, **kwargs)

    monkeypatch.setattr("thematica.interchange.merge.open_project", watching)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: (_ for _ in ()).throw(AssertionError("system temp used")))
    with real_open(here / "study.thematica") as project:
        report = merge(project, str(tmp_path / "other.qdpx"))
    assert report.added == 1
    assert seen and seen[0].parent.parent == here and seen[0].parent.name.startswith(PREFIX)
    assert not any(p.name.startswith(PREFIX) for p in here.iterdir())
