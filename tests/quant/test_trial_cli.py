"""The trial module as a new user meets it: one command each for Table 1 and the outcome tables,
the plot, and the joint display of themes by outcome group, on the bundled demo project."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from tests.conftest import demo_project
from thematica.quant.stats.trial import reliable_change

TRIAL = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "trial.csv"




@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return str(demo_project(tmp_path_factory.mktemp("demo")))


def test_analyze_prints_table_one_flow_outcomes_and_odds_ratio(demo, run_cli):
    result = run_cli("trial", "analyze", demo, columns=250)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Table 1. Baseline characteristics by arm" in out and "1.28\u00a0(0.57)" in out and "1.22\u00a0(0.52)" in out
    assert "paid_work: yes, n (%)" in out and "44/58\u00a0(75.9)" in out and "39/58\u00a0(67.2)" in out
    # the trial's Table 1: women 47 of 64 and 37 of 64; the 8 sessions everyone was offered is a count
    assert "47\u00a0(73.4)" in out and "37\u00a0(57.8)" in out
    assert "sessions_offered, M (SD)" in out and "8\u00a0(0)" in out and "8.00" not in out
    assert "Participant flow by arm" in out and "Assessed at 24" in out and "Not assessed at 24" in out
    # Table 3's Cohen's d, training − booster, at the five timepoints (true minus)
    for d in ("0.11\u00a0[", "0.13\u00a0[", "\u22120.08\u00a0[", "0.25\u00a0[", "0.10\u00a0["):
        assert d in out
    assert "Odds ratio training versus booster at 24, adjusted for the baseline value" in out


def test_json_names_every_result_at_full_precision(demo, run_cli):
    result = run_cli("trial", "analyze", demo, "--format", "json", "--outcome", "scl90")
    data = json.loads(result.stdout)
    d = next(r for r in data["results"] if (r["analysis"], r["timepoint"], r["statistic"]) == ("continuous", "12", "d"))
    assert d["outcome"] == "scl90" and round(d["value"], 2) == 0.25 and len(str(d["value"])) > 6
    flow = {(r["group"], r["timepoint"]): r["value"] for r in data["results"]
            if r["analysis"] == "flow" and r["statistic"] == "assessed"}
    frame = pd.read_csv(TRIAL)
    direct = frame.dropna(subset=["scl90"]).groupby(["arm", "time"]).participant.nunique()
    assert all(flow[(arm, str(time))] == count for (arm, time), count in direct.items())


def test_scales_and_attendance_against_direct_computation(demo, run_cli):
    result = run_cli("trial", "analyze", demo, "--format", "json", "--outcome", "scl90", "--attendance",
                  "sessions_attended:sessions_offered", "--scale", "WAI=wai1,wai2,wai3,wai4@3", "--correlate", "scl90")
    assert result.returncode == 0, result.stderr
    values = {(r["analysis"], r["outcome"], r["statistic"], r["group"]): r["value"]
              for r in json.loads(result.stdout)["results"]}
    frame = pd.read_csv(TRIAL)
    items = frame[frame.time == 3][["wai1", "wai2", "wai3", "wai4"]].dropna()
    k, covariance = 4, items.cov().to_numpy()
    assert values[("scale", "WAI", "alpha", None)] == pytest.approx(k / (k - 1) * (1 - np.trace(covariance) / covariance.sum()))
    at3 = frame[frame.time == 3].assign(WAI=items.mean(axis=1))
    assert values[("correlation", "WAI~scl90", "pearson_r", None)] == pytest.approx(at3[["WAI", "scl90"]].corr().iloc[0, 1])
    first = frame.drop_duplicates("participant")
    booster = first[first.arm == "booster"]
    assert values[("attendance", "sessions_attended", "mean_percent", "booster")] == pytest.approx(
        (100 * booster.sessions_attended / booster.sessions_offered).mean())


def test_docx_and_markdown_tables(demo, tmp_path, run_cli):
    out = tmp_path / "trial.docx"
    assert run_cli("trial", "analyze", demo, "--format", "docx", "--out", str(out)).returncode == 0
    document = docx.Document(str(out))
    assert len(document.tables) >= 4 and document.tables[0].rows[0].cells[1].text == "training (n = 64)"
    markdown = run_cli("trial", "analyze", demo, "--format", "md").stdout
    assert "**Table 1**" in markdown and "*Baseline characteristics by arm*" in markdown
    assert "| Characteristic | training (n = 64) | booster (n = 64) |" in markdown


def test_plot_in_the_terminal_and_as_png(demo, tmp_path, run_cli):
    terminal = run_cli("trial", "plot", demo, "--outcome", "scl90")
    assert terminal.returncode == 0 and "scl90: mean per arm over time" in terminal.stdout and "training" in terminal.stdout
    png = tmp_path / "scl90.png"
    assert run_cli("trial", "plot", demo, "--outcome", "scl90", "--out", str(png)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_mode & 0o077 == 0


def test_reliable_change_against_the_jacobson_truax_formula():
    pre = pd.Series([1.0, 1.4, 0.8, 1.2, 0.6, 2.0])
    post = pd.Series([0.2, 1.3, 0.9, 1.9, 0.55, 0.4])
    result = reliable_change(pre, post, 0.9)
    se = pre.std(ddof=1) * math.sqrt(1 - 0.9)
    expected = (post - pre) / math.sqrt(2 * se ** 2)
    assert result.rci.tolist() == pytest.approx(expected.tolist())
    assert result.group.tolist() == ["improved" if e < -1.96 else "worsened" if e > 1.96 else "unchanged" for e in expected]


def test_joint_display_by_reliable_change_lists_cases_with_their_values(demo, tmp_path, run_cli):
    result = run_cli("trial", "joint", demo, "--by", "scl90", "--reliability", "0.97")
    assert result.returncode == 0, result.stderr
    assert "Joint display: themes × reliable change in scl90" in result.stdout
    assert "Van behandeling naar werk" in result.stdout and "RCI" in result.stdout
    frame = pd.read_csv(TRIAL)
    wide = frame.pivot_table(index="case", columns="time", values="scl90")
    change = reliable_change(frame[frame.time == 0].set_index("participant").scl90,
                             frame[frame.time == 24].set_index("participant").scl90, 0.97)
    case_of = frame.dropna(subset=["case"]).drop_duplicates("participant").set_index("participant").case
    improved = sorted(case_of[p] for p in change.index[change.group == "improved"] if p in case_of.index)
    assert f"improved: {', '.join(improved)}" in result.stdout and len(wide) == 6
    # a true minus (U+2212) as in every report, with the RCI of the first improved case, to two decimals
    rci = change.loc[next(p for p in change.index if case_of.get(p) == improved[0]), "rci"]
    assert rci < 0 and f"RCI \u2212{abs(rci):.2f}" in result.stdout
    assert not re.search(r"RCI -\d|→-\d", result.stdout)
    out = tmp_path / "joint.csv"
    assert run_cli("trial", "joint", demo, "--by", "arm", "--out", str(out)).returncode == 0
    rows = pd.read_csv(out)
    assert set(rows.group) == {"training", "booster"} and rows["count"].le(rows["of"]).all()


def test_non_numeric_variables_are_refused_with_one_line(demo, child_environment, run_cli):
    """The first case in a real child process of the checkout under test (exit code 2, one line on
    stderr, no traceback), the others through ``main`` in this process."""
    child = subprocess.run([sys.executable, "-m", "thematica", "trial", "plot", demo, "--outcome", "status"],
                           capture_output=True, text=True, timeout=300, env=child_environment)
    results = [child] + [run_cli(*arguments) for arguments in (["trial", "analyze", demo, "--outcome", "sex"],
                                                               ["trial", "analyze", demo, "--scale", "X=sex,age"])]
    for result in results:
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and ("numeric" in lines[0]), result.stderr


def test_joint_display_counts_cells_orders_change_groups_and_lists_the_ungrouped():
    from thematica.quant.joint_display import joint_display

    display = joint_display({"Veiligheid": ["R1", "R2", "R6"], "Werk": ["R3"]},
                            {"R1": "worsened", "R2": "improved", "R3": "improved", "R4": "unchanged"})
    assert display.groups == ["improved", "unchanged", "worsened"]
    assert [(c.group, c.cases, c.of) for c in display.row("Veiligheid")] == [
        ("improved", ["R2"], 2), ("unchanged", [], 1), ("worsened", ["R1"], 1)]
    assert display.members["improved"] == ["R2", "R3"] and display.ungrouped == ["R6"]
