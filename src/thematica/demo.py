"""The bundled demo study: six invented Dutch interviews, case attributes, a codebook, two coders,
three candidate themes and the simulated trial data of the interviewees' trial.

``corpora/demo`` and ``codebooks`` live at the top of the repository and are packaged into the
wheel as ``thematica/_data``; an editable install reads them from the repository.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

from thematica.coding.overview import document_ids
from thematica.coding.segments import set_document_status
from thematica.coding.visibility import set_lead
from thematica.corpus.cases import import_cases_csv
from thematica.corpus.importer import import_files
from thematica.errors import ThematicaError
from thematica.interchange.codebook_csv import import_codebook_csv
from thematica.interchange.codings_csv import import_codings
from thematica.quant.trial_service import import_trial
from thematica.store.project import open_project
from thematica.themes.service import add_theme
from thematica.vocabulary import DocumentStatus

PROJECT_NAME = "dit-demo.thematica"


@dataclass(frozen=True)
class DemoFiles:
    transcripts: list[Path]
    cases: Path
    codebook: Path
    codings: Path
    trial: Path | None
    themes: Path | None


def data_root() -> Path:
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "corpora" / "demo").is_dir():
        return packaged
    repository = Path(__file__).resolve().parents[2]
    if (repository / "corpora" / "demo").is_dir():
        return repository
    raise ThematicaError("the demo data (corpora/demo) is not installed with this copy of Thematica")


def demo_files() -> DemoFiles:
    root = data_root()
    demo = root / "corpora" / "demo"
    transcripts = sorted(demo.glob("R*.txt"))
    if not transcripts:
        raise ThematicaError("no demo transcripts found", path=str(demo))
    trial = demo / "trial.csv"
    themes = demo / "themes.csv"
    return DemoFiles(transcripts, demo / "cases.csv", root / "codebooks" / "dit-demo.csv", demo / "codings.csv",
                     trial if trial.exists() else None, themes if themes.exists() else None)


def build_demo(directory: Path | None = None) -> Path:
    """Build the demo project in ``directory`` (default: a fresh temporary folder); returns its path."""
    folder = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="thematica-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PROJECT_NAME
    if path.exists():
        raise ThematicaError("a demo project is already there; choose another --dir", path=str(path))
    files = demo_files()
    with open_project(path, create=True) as project:
        import_files(project, files.transcripts, language="nl", actor="demo")
        import_cases_csv(project, files.cases, actor="demo")
        import_codebook_csv(project, files.codebook, actor="demo")
        result = import_codings(project, files.codings, actor="demo")
        for document_id in document_ids(project).values():
            for coder in result.coders:  # both demo coders finished every transcript
                set_document_status(project, document_id, coder, DocumentStatus.DONE, actor="demo")
        set_lead(project, result.coders[0], result.coders[0])  # the lead may switch blind mode off
        if files.themes is not None:
            with files.themes.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):  # candidate themes, to show the map and joint display
                    add_theme(project, row["theme"], "demo", codes=row["codes"].split(";"),
                              definition=row["definition"])
        if files.trial is not None:
            import_trial(project, files.trial, "participant", "arm", "time", actor="demo")
    return path
