"""Trial tables read from the rendered files: one contrast direction in title, note and numbers; no
"−0.00"; denominators where data are missing; value labels, not codes; attendance and scales as
tables; Dutch wording and decimal commas."""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from tests.conftest import demo_project
from thematica.quant.trial_labels import ValueLabels, parse_label_options, read_labels_file
from thematica.errors import ThematicaError
from tests.conftest import CliResult, run_cli_in_process

TRIAL = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "trial.csv"
EXTRA = ("--attendance", "sessions_attended:sessions_offered", "--scale", "WAI=wai1,wai2,wai3,wai4@3",
         "--correlate", "scl90")


def _run(*arguments: str) -> CliResult:
    """In process (no interpreter start per call); the real child process of ``trial analyze`` is
    tests/reports/test_formula_notes.py's ``trial_docx``."""
    return run_cli_in_process(*arguments)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return str(demo_project(tmp_path_factory.mktemp("demo")))


@pytest.fixture(scope="module")
def markdown(demo) -> str:
    result = _run("trial", "analyze", demo, "--format", "md", *EXTRA)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _table(markdown: str, title: str) -> list[list[str]]:
    block = markdown.split(f"*{title}*", 1)[1].split("\n\n", 2)[1]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in block.splitlines()[2:]]


def _headers(markdown: str, title: str) -> list[str]:
    block = markdown.split(f"*{title}*", 1)[1].split("\n\n", 2)[1]
    return [c.strip().replace("\\", "") for c in re.split(r"(?<!\\)\|", block.splitlines()[0])[1:-1]]


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-").split("\u00a0")[0])


def test_contrast_direction_is_the_same_in_title_note_and_numbers(markdown):
    title = "scl90 by arm and timepoint (training − booster)"
    assert f"*{title}*" in markdown
    note = markdown.split(f"*{title}*", 1)[1].split("*Note.*", 1)[1].split("\n", 1)[0]
    assert "training − booster" in note and "booster − training" not in note
    headers = _headers(markdown, title)
    assert headers[5:] == ["Difference [95% CI]", "d [95% CI]", "t (df)", "p", "Δ change [95% CI]", "p"]
    frame = pd.read_csv(TRIAL)
    means = frame.groupby(["time", "arm"]).scl90.mean()
    rows = _table(markdown, title)
    for row in rows:
        time = int(row[0])
        difference = means[(time, "training")] - means[(time, "booster")]
        assert _number(row[5]) == pytest.approx(difference, abs=0.005)  # M training − M booster, rounded
        assert (_number(row[6]) >= 0) == (difference >= 0) or abs(difference) < 0.005
        assert (_number(row[7]) >= 0) == (_number(row[6]) >= 0)  # t has the sign of d
    # the mixed model's change contrast: training − booster, so its sign follows the change in means
    change = {t: (means[(t, "training")] - means[(0, "training")]) - (means[(t, "booster")] - means[(0, "booster")])
              for t in (6, 12)}
    by_time = {int(row[0]): row for row in rows}
    for time, expected in change.items():
        assert (_number(by_time[time][9]) > 0) == (expected > 0)


def test_no_negative_zero_and_true_minus_everywhere(markdown):
    assert "-0.00" not in markdown and "\u22120.00" not in markdown
    numbers = re.findall(r"(?<![\w/.])-\d", markdown.split("*Note.*")[0])
    assert numbers == []


def test_every_p_is_apa_no_leading_zero_and_above_999_not_one(markdown):
    """APA: three decimals, no leading zero, "< .001", and a p that rounds to 1 is "> .999"."""
    title = "scl90 by arm and timepoint (training − booster)"
    markdown = html.unescape(markdown)  # the markdown writer escapes ">" as "&gt;"
    change_p = {int(row[0]): row[10] for row in _table(markdown, title)}
    assert change_p[3] == ">\u00a0.999"
    assert "McNemar's test (exact binomial) within training, 0→24: p\u00a0>\u00a0.999, n = 50." in markdown
    cells = [cell for line in markdown.splitlines() if line.startswith("|") for cell in line.split("|")]
    assert not [cell for cell in cells if re.fullmatch(r"\s*[01]\.\d{3}\s*", cell)]
    assert not re.search(r"p = [01]\.\d", markdown)


def test_denominator_shown_when_data_are_missing(markdown):
    row = next(r for r in _table(markdown, "Baseline characteristics by arm") if r[0].startswith("paid"))
    frame = pd.read_csv(TRIAL)
    base = frame[(frame.time == 0) & (frame.arm == "training")]
    assert row[1] == f"{int((base.paid_work == 1).sum())}/{base.paid_work.notna().sum()}\u00a0(75.9)"


def test_attendance_and_scales_are_tables_not_dumps(markdown):
    rows = _table(markdown, "Attendance and scale scores by arm")
    assert rows[0][0] == "sessions\\_attended, % of offered" and len(rows[0]) == 5
    assert rows[1][0] == "WAI (3), M (SD)"
    reliability = _table(markdown, "Scale reliability")
    assert reliability[0][:4] == ["WAI", "3", "4", reliability[0][3]] and "[" in reliability[0][4]
    assert "incomplete rows dropped" in markdown
    assert "McNemar's test (exact binomial)" in markdown and "(Wald 95% CI)" in markdown


def test_scale_table_without_attendance_is_titled_by_what_it_shows(demo):
    """Attendance rows need --attendance ATTENDED:OFFERED; without it the table has only the scales,
    and its title and note say so (no attendance promised, none missing)."""
    result = _run("trial", "analyze", demo, "--format", "md", "--scale", "WAI=wai1,wai2,wai3,wai4@3",
                  "--correlate", "scl90")
    assert result.returncode == 0, result.stderr
    assert "*Attendance" not in result.stdout and "Attendance:" not in result.stdout
    rows = _table(result.stdout, "Scale scores by arm")
    assert [row[0] for row in rows] == ["WAI (3), M (SD)", "WAI (3), extremity (\\|z\\|)"]
    note = result.stdout.split("*Scale scores by arm*", 1)[1].split("*Note.*", 1)[1].split("\n", 1)[0]
    assert note.strip().startswith("Scale score: mean of the items")


def test_labels_from_the_data_and_dutch_tables(tmp_path):
    project = tmp_path / "p.thematica"
    assert _run("init", str(project), "--language", "nl", "--lead", "A. de Vriës").returncode == 0
    labels = tmp_path / "labels.csv"
    labels.write_text("variable,value,label\nsex,v,vrouw\nsex,m,man\nsex,,Geslacht\n", encoding="utf-8")
    result = _run("trial", "import", str(project), str(TRIAL), "--id", "participant", "--arm", "arm", "--time", "time",
                  "--labels", "paid_work=0:nee,1:betaald werk", "--labels-file", str(labels))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "t.docx"
    assert _run("trial", "analyze", str(project), "--format", "docx", "--out", str(out)).returncode == 0
    document = docx.Document(str(out))
    stubs = [row.cells[0].text for row in document.tables[0].rows]
    assert "Geslacht, n (%)" in stubs and "vrouw" in stubs and "paid_work: betaald werk, n (%)" in stubs
    assert not any("=" in stub for stub in stubs)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tabel 1" in text and "Kenmerken bij aanvang per arm" in text
    assert document.tables[0].rows[1].cells[1].text == "1,28\u00a0(0,57)"
    assert document.core_properties.language == "nl-NL" and document.core_properties.author == "A. de Vriës"
    english = tmp_path / "en.docx"
    assert _run("trial", "analyze", str(project), "--format", "docx", "--out", str(english), "--language",
                "en").returncode == 0
    assert "Table 1" in [p.text for p in docx.Document(str(english)).paragraphs]


def test_label_options_are_checked():
    assert parse_label_options(["x=0:nee,1:ja"]).value("x", "1.0") == "ja"
    with pytest.raises(ThematicaError):
        parse_label_options(["x=0nee"])
    with pytest.raises(ThematicaError):
        ValueLabels({}, {"onbekend": {"1": "ja"}}).check({"x": "binary"})


def test_a_bad_labels_file_is_one_line_and_leaves_the_project_unchanged(tmp_path):
    project = tmp_path / "p.thematica"
    _run("init", str(project))
    bad = tmp_path / "labels.csv"
    bad.write_text("naam,waarde\nx,1\n", encoding="utf-8")
    result = _run("trial", "import", str(project), str(TRIAL), "--id", "participant", "--arm", "arm", "--time", "time",
                  "--labels-file", str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "labels.csv" in result.stderr
    with pytest.raises(ThematicaError):
        read_labels_file(bad)
    unknown = _run("trial", "import", str(project), str(TRIAL), "--id", "participant", "--arm", "arm", "--time",
                   "time", "--labels", "nope=1:ja")
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert "no trial data" in _run("trial", "analyze", str(project)).stderr or \
        _run("trial", "analyze", str(project)).returncode == 2


@pytest.fixture
def imputed_once(monkeypatch) -> list[tuple[int, int]]:
    """The chained-equation imputations (seconds each) computed once per distinct input: a second
    ``completed_data`` call with the same data, m and seed returns copies of the first one's data sets,
    as the seeded computation would (its reproducibility is tested in tests/quant/test_derived_and_imputed.py).
    Returns the (m, seed) of each call that reused one."""
    from thematica.quant.stats import imputation

    compute = imputation.completed_data
    known: dict[tuple[str, int, int], list[pd.DataFrame]] = {}
    reused: list[tuple[int, int]] = []

    def completed_data(wide: pd.DataFrame, imputations: int, seed: int) -> list[pd.DataFrame]:
        key = (wide.to_json(orient="split", double_precision=15), imputations, seed)
        if key in known:
            reused.append((imputations, seed))
        else:
            known[key] = compute(wide, imputations, seed)
        return [data.copy() for data in known[key]]

    monkeypatch.setattr(imputation, "completed_data", completed_data)
    return reused


def test_derived_outcome_and_imputation_tables_in_both_languages(demo, imputed_once):
    """The derived outcome's rows (ITT: all randomised; completers: those measured) counted from the
    file itself, OR from statsmodels' Table2x2, NNT = 1/RD; the imputed table beside it, in Dutch too
    (the Dutch run renders the same imputations: ``imputed_once``)."""
    from statsmodels.stats.contingency_tables import Table2x2

    options = ("--derive", "remission = scl90 < 0.5 @ 24", "--impute", "mice", "--imputations", "20")
    english = _run("trial", "analyze", demo, "--format", "md", *options)
    assert english.returncode == 0, english.stderr
    text = english.stdout
    title = "remission by arm, all randomised (ITT) and completers (training vs booster)"
    rows = _table(text, title)
    assert rows[0][0] == "24" and [r[0] for r in rows[1:]] == ["ITT", "Completers"]
    frame = pd.read_csv(TRIAL)
    randomised = frame.drop_duplicates("participant").groupby("arm").size()
    at = frame[(frame.time == 24) & frame.scl90.notna()]
    events = (at.scl90 < 0.5).groupby(at.arm).sum()
    measured = at.groupby("arm").size()
    for row, denominator in ((rows[1], randomised), (rows[2], measured)):
        for column, arm in ((1, "training"), (2, "booster")):
            share = 100 * events[arm] / denominator[arm]
            assert row[column] == f"{events[arm]}/{denominator[arm]}\u00a0({share:.1f})"
        cells = np.array([[events[a], denominator[a] - events[a]] for a in ("training", "booster")])
        odds = Table2x2(cells)
        low, high = odds.oddsratio_confint()
        assert row[5].replace("\\", "") == f"{odds.oddsratio:.2f}\u00a0[{low:.2f},\u00a0{high:.2f}]"
        rd = events["training"] / denominator["training"] - events["booster"] / denominator["booster"]
        assert _number(row[7]) == pytest.approx(rd, abs=0.0005)
        assert _number(row[8].split(" ")[0]) == pytest.approx(1 / rd, abs=0.05) and "∞" in row[8]  # the RD's CI includes 0 here
    assert "NNT = 1/RD: training − booster" in text
    imputed = _table(text, "Between-arm effects after multiple imputation, pooled by Rubin's rules (training − "
                           "booster; OR training vs booster)")
    first = next(r for r in imputed if r[:3] == ["scl90", "0", "Mean difference"])  # nothing missing at 0
    base = frame[frame.time == 0]
    means = base.groupby("arm").scl90.mean()
    assert _number(first[3]) == pytest.approx(means["training"] - means["booster"], abs=0.005)
    assert first[4] == "0.00" and first[5] == "128"
    assert any(r[2] == "OR" for r in imputed) and "Rubin's rules (1987)" in text
    assert imputed_once == []
    dutch = _run("trial", "analyze", demo, "--format", "md", "--language", "nl", *options)
    assert dutch.returncode == 0, dutch.stderr
    assert imputed_once and set(imputed_once) == {(20, 1)}  # the same data sets as the English run
    assert "ITT: iedere gerandomiseerde deelnemer" in dutch.stdout and "regels van Rubin" in dutch.stdout
    odds_nl = _table(dutch.stdout, "remission per arm, alle gerandomiseerden (ITT) en completers (training ten "
                                   "opzichte van booster)")[1][5]
    assert "NNTB" in dutch.stdout and odds_nl.replace("\\", "") == rows[1][5].replace("\\", "").replace(
        ",\u00a0", ";\u00a0").replace(".", ",")
