"""Record titles in the review CLI's terminal tables: a cut title ends in one "…", never mid-way without a mark."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from thematica.cli import common, main
from thematica.cli.review_commands import TITLE_CELLS, cut_title
from thematica.review import screening
from thematica.review.importing import import_records
from thematica.vocabulary import ReviewStage

LONG = ("Individuele plaatsing en steun bij schizofrenie en andere ernstige psychiatrische aandoeningen: "
        "een gerandomiseerde studie naar betaald werk en herstel bij cliënten in Nederland")


@pytest.mark.parametrize("title", [
    LONG,
    "Cliënten " * 20,                                  # precomposed ë
    unicodedata.normalize("NFD", "Cliënten en naïeve coëfficiënten " * 4),  # ë as e + combining diaeresis
    "Werk en herstel 👩‍💻🇳🇱 " * 10,                   # ZWJ sequence and a flag
    "統合失調症における就労支援の無作為化比較試験" * 3,  # two cells per character
    "Titel\nover twee\r\nregels " * 8,
])
@pytest.mark.parametrize("cells", [10, 60, 70])
def test_a_cut_title_fits_ends_in_one_ellipsis_and_keeps_whole_characters(title, cells):
    shown = cut_title(title, cells)
    line = " ".join(title.split())
    assert cell_len(shown) <= cells and "\n" not in shown
    assert shown.endswith("…") and not shown.endswith("……")
    kept = shown[:-1]
    assert line.startswith(kept)
    following = line[len(kept.rstrip()):][:1] if len(kept) < len(line) else ""
    assert following == "" or unicodedata.category(following) not in ("Mn", "Mc", "Me")  # no orphaned accent
    assert not kept.endswith("\u200d") and not line[len(kept):].startswith("\u200d")
    flags = sum(1 for c in kept if "\U0001f1e6" <= c <= "\U0001f1ff")
    assert flags % 2 == 0  # never half a flag
    assert cell_len(kept) >= cells - 1 - 9  # cut at the width, less at most one emoji sequence and a space


def test_a_title_that_fits_is_shown_whole_without_a_mark():
    assert cut_title("Werk en herstel", 60) == "Werk en herstel"
    assert cut_title("x" * 60, 60) == "x" * 60
    assert cut_title("x" * 61, 60) == "x" * 59 + "…"


RIS = """TY  - JOUR
TI  - {title}
AU  - de Vries, Jan
PY  - 2019
DO  - 10.1234/tvp.2019.001
ER  - 

TY  - JOUR
TI  - {title}
AU  - de Vries, Jan
PY  - 2019
DO  - 10.1234/tvp.2019.001
ER  - 
"""


@pytest.fixture
def wide_console(monkeypatch):
    monkeypatch.setattr(common.console, "_width", 240)  # the cut, not the terminal, decides the width


def _title_cells(output: str, marker: str) -> str:
    line = next(row for row in output.splitlines() if marker in row)
    return line.split("│")[-2].strip()


def test_duplicates_table_cuts_the_title_with_an_ellipsis(project, tmp_path: Path, capsys, wide_console):
    title = LONG + " [Nederlandse versie]"
    source = tmp_path / "a.ris"
    source.write_text(RIS.format(title=title), encoding="utf-8")
    import_records(project, [source], database=None, actor="lead")
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main(["review", "duplicates", str(project.path)])
    assert ended.value.code == 0
    shown = _title_cells(capsys.readouterr().out, "Individuele")
    assert shown == cut_title(title, TITLE_CELLS["duplicates"]) and shown.endswith("…")
    assert cell_len(shown) == TITLE_CELLS["duplicates"]


def test_conflicts_table_cuts_the_title_and_shows_brackets_as_text(project, tmp_path: Path, capsys, wide_console):
    titles = ["[Dutch version] " + LONG, "Kort"]
    source = tmp_path / "b.ris"
    source.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 20{19 + i}\nER  - \n\n" for i, t in enumerate(titles)),
                      encoding="utf-8")
    import_records(project, [source], database=None, actor="lead")
    screening.add_reviewers(project, ["anouk", "bas"], actor="lead")
    decisions = tmp_path / "d.csv"
    decisions.write_text("record,reviewer,stage,decision\n1,anouk,title,include\n1,bas,title,exclude\n"
                         "2,anouk,title,include\n2,bas,title,exclude\n", encoding="utf-8")
    screening.import_decisions(project, decisions, actor="lead")
    screening.open_meeting(project, "title", ["anouk", "bas"], [], actor="anouk")
    assert len(screening.conflicts(project, ReviewStage.TITLE_ABSTRACT, "anouk")) == 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main(["review", "conflicts", str(project.path), "--as", "anouk"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    shown = _title_cells(out, "Individuele")
    assert shown.startswith("[Dutch version] Individuele") and shown.endswith("…")
    assert cell_len(shown) <= TITLE_CELLS["conflicts"]
    assert _title_cells(out, "Kort") == "Kort"
