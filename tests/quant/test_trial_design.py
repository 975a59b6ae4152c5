"""Arm order, timepoints and re-import as a user of the source papers' data meets them: the file's
arm order (not the ids' sort order) sets one direction for every effect, ``--arms`` reverses it;
text timepoints need their order; wide files need their pattern; an outcome measured at some
timepoints is analysed where present; re-import never destroys. Numbers against scipy/statsmodels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.contingency_tables import Table2x2

from thematica.errors import ThematicaError
from thematica.quant.stats.effect_sizes import cohens_d, within_d
from thematica.quant.trial_service import analyze, import_trial, stored_trial

TRIAL = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "trial.csv"


def _value(report, analysis, outcome, time, statistic, group=None):
    found = [r.value for r in report.results
             if (r.analysis, r.outcome, r.timepoint, r.statistic, r.group) == (analysis, outcome, time, statistic, group)]
    assert len(found) == 1, (analysis, outcome, time, statistic, group)
    return found[0]


def _against_the_ids(tmp_path) -> Path:
    """Training listed first, but its ids (Z..) sort after booster's (A..)."""
    rng = np.random.default_rng(3)
    rows = []
    for arm, prefix, shift in (("training", "Z", 0.3), ("booster", "A", 0.0)):
        for i in range(30):
            base = rng.normal(1.2, 0.5)
            for time, value in (("pre", base), ("post", base - 0.5 - shift + rng.normal(0, 0.3)),
                                ("fu", base - 0.6 - shift + rng.normal(0, 0.3))):
                work = int(rng.random() < (0.5 if time == "pre" else 0.4 + shift))
                rows.append({"id": f"{prefix}{i:02d}", "arm": arm, "time": time, "scl": round(value, 4),
                             "work": work if time != "post" else "", "sex": "v" if i % 2 else "m"})
    path = tmp_path / "trial.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture
def against(project, tmp_path):
    path = _against_the_ids(tmp_path)
    import_trial(project, path, "id", "arm", "time", time_order=["pre", "post", "fu"])
    return project, pd.read_csv(path)


def test_arm_order_is_the_files_and_every_effect_has_its_direction(against):
    project, frame = against
    report = analyze(project, ["scl", "work"], baseline="pre", at=["fu"])
    at = frame[frame.time == "fu"]
    a, b = at[at.arm == "training"].scl, at[at.arm == "booster"].scl
    assert _value(report, "continuous", "scl", "fu", "d") == pytest.approx(
        cohens_d(len(a), a.mean(), a.std(), len(b), b.mean(), b.std()).d)
    assert _value(report, "continuous", "scl", "fu", "d") < 0  # training lower: training − booster < 0
    assert _value(report, "continuous", "scl", "fu", "df") == len(a) + len(b) - 2
    interval = stats.ttest_ind(a, b).confidence_interval()
    assert _value(report, "continuous", "scl", "fu", "difference_ci_low", "training − booster") == pytest.approx(interval.low)
    frame["time"] = pd.Categorical(frame.time, ["pre", "post", "fu"])
    lmm = smf.mixedlm("scl ~ C(arm, Treatment('booster')) * time", frame, groups=frame["id"]).fit(reml=True)
    term = "C(arm, Treatment('booster'))[T.training]:time[T.fu]"
    assert _value(report, "mixed_model", "scl", "fu", "arm_x_time_estimate", "training − booster") == pytest.approx(
        lmm.fe_params[term], abs=1e-5)
    counts = frame[frame.time == "fu"].groupby("arm", sort=False).work.agg(["sum", "count"])
    table = np.array([[counts.loc[arm, "sum"], counts.loc[arm, "count"] - counts.loc[arm, "sum"]]
                      for arm in ("training", "booster")])
    assert _value(report, "binary", "work", "fu", "odds_ratio", "training vs booster") == pytest.approx(
        Table2x2(table).oddsratio)
    assert _value(report, "binary", "work", "fu", "risk_ratio", "training vs booster") == pytest.approx(
        (table[0, 0] / table[0].sum()) / (table[1, 0] / table[1].sum()))
    reversed_ = analyze(project, ["scl"], arms=["booster", "training"], baseline="pre", at=["fu"])
    assert _value(reversed_, "continuous", "scl", "fu", "d") == pytest.approx(-_value(report, "continuous", "scl", "fu", "d"))
    assert _value(reversed_, "mixed_model", "scl", "fu", "arm_x_time_estimate", "booster − training") == pytest.approx(
        -lmm.fe_params[term], abs=1e-5)


def test_the_tables_say_the_direction(against):
    from thematica.reports.trial_tables import all_tables

    project, _ = against
    tables = {t.title: t for t in all_tables(analyze(project, ["scl", "work"]))}
    assert "scl by arm and timepoint (training − booster)" in tables
    assert "work by arm and timepoint (training vs booster)" in tables
    notes = tables["scl by arm and timepoint (training − booster)"].note
    assert "training − booster" in notes and "d_av = (M_pre − M_post) / ((SD_pre + SD_post)/2)" in notes
    assert "training versus booster" in tables["work by arm and timepoint (training vs booster)"].note


def test_text_timepoints_need_their_order(project, tmp_path):
    path = _against_the_ids(tmp_path)
    with pytest.raises(ThematicaError, match=r"timepoints are text \(fu, post, pre\): give their order with --time-order"):
        import_trial(project, path, "id", "arm", "time")
    with pytest.raises(ThematicaError, match=r"row 4: time label 'fu' is not in --time-order \(pre, post\)"):
        import_trial(project, path, "id", "arm", "time", time_order=["pre", "post"])
    import_trial(project, path, "id", "arm", "time", time_order=["pre", "post", "fu"])
    frame, _ = stored_trial(project)
    assert list(frame.time.cat.categories) == ["pre", "post", "fu"]
    assert list(pd.unique(frame.arm)) == ["training", "booster"]


def test_baseline_and_at_choose_the_comparisons_and_unknown_ones_are_refused(against):
    project, frame = against
    report = analyze(project, ["scl", "work"], baseline="post", at=["fu"])
    wide = frame[frame.arm == "booster"].pivot(index="id", columns="time", values="scl")
    expected = within_d(wide["post"], wide["fu"])
    assert _value(report, "within_arm", "scl", "post→fu", "d_z", "booster") == pytest.approx(expected.d_z)
    change = wide["post"] - wide["fu"]
    assert expected.d_z == pytest.approx(change.mean() / change.std())
    # work is not measured at post: no adjusted OR, a note, no KeyError
    assert not [r for r in report.results if r.analysis == "logistic"]
    assert "work: not measured at post" in report.notes
    for arguments, message in ((dict(at=["12"]), "--at: no timepoint '12'"), (dict(baseline="t0"), "--baseline"),
                               (dict(arms=["training", "wachtlijst"]), "--arms: unknown arm 'wachtlijst'"),
                               (dict(covariates=["sex"]), "categorical"), (dict(within="cohen"), "--d")):
        with pytest.raises(ThematicaError, match=message):
            analyze(project, ["scl", "work"], **arguments)


def test_binary_outcome_at_one_timepoint_is_a_cross_sectional_comparison(project, tmp_path):
    path = tmp_path / "t.csv"
    rows = ["participant,arm,time,scl,remitted"]
    rng = np.random.default_rng(1)
    for i in range(40):
        arm = "ImRs" if i < 20 else "ImRs+GST"
        for time in (0, 12):
            remitted = int(rng.random() < 0.5) if time == 12 else ""
            rows.append(f"Q{39 - i},{arm},{time},{rng.normal(40, 8):.1f},{remitted}")
    path.write_text("\n".join(rows) + "\n")
    import_trial(project, path, "participant", "arm", "time")
    report = analyze(project, ["remitted", "scl"])
    frame = pd.read_csv(path)
    at = frame[frame.time == 12]
    table = pd.crosstab(at.arm, at.remitted).loc[["ImRs", "ImRs+GST"], [1, 0]].to_numpy()
    assert _value(report, "binary", "remitted", "12", "odds_ratio", "ImRs vs ImRs+GST") == pytest.approx(
        Table2x2(table).oddsratio)
    assert _value(report, "binary", "remitted", "12", "chi2_p") == pytest.approx(
        stats.chi2_contingency(table, correction=False)[1])


def test_the_mixed_model_uses_the_timepoints_an_outcome_was_measured_at(project, tmp_path):
    frame = pd.read_csv(TRIAL)
    frame.loc[frame.time == 6, "scl90"] = np.nan  # not measured at 6 months
    path = tmp_path / "trial.csv"
    frame.to_csv(path, index=False)
    import_trial(project, path, "participant", "arm", "time")
    report = analyze(project, ["scl90"])
    data = frame.dropna(subset=["scl90"]).copy()
    data["time"] = pd.Categorical(data.time.astype(str), ["0", "3", "12", "24"])
    lmm = smf.mixedlm("scl90 ~ C(arm, Treatment('booster')) * time", data, groups=data["participant"]).fit(reml=True)
    assert _value(report, "mixed_model", "scl90", "24", "arm_x_time_estimate", "training − booster") == pytest.approx(
        lmm.fe_params["C(arm, Treatment('booster'))[T.training]:time[T.24]"], abs=1e-5)
    assert not any(r.timepoint == "6" and r.analysis == "mixed_model" for r in report.results)


def test_wide_files_need_their_pattern(project, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,arm,wavb_t1,wavb_t2,scl90_t0,scl90_t12\nP1,a,3,4,1.0,0.5\nP2,b,5,2,1.2,0.9\nP3,a,4,4,0.8,0.7\n")
    with pytest.raises(ThematicaError, match="wavb_t1, wavb_t2, scl90_t0 look like timepoints of wide data"):
        import_trial(project, path, "id", "arm")
    result = import_trial(project, path, "id", "arm", wide=["scl90_t{time}"])
    assert result.timepoints == ["0", "12"] and result.kinds["scl90"] == "continuous"
    assert result.kinds["wavb_t1"] == "continuous"  # items stay items
    with pytest.raises(ThematicaError, match=r"no column matches --wide 'x_t\{time\}'"):
        import_trial(project, path, "id", "arm", wide=["x_t{time}"], replace=True)


def test_reimport_never_destroys(project, tmp_path):
    import_trial(project, TRIAL, "participant", "arm", "time")
    before, _ = stored_trial(project)
    with pytest.raises(ThematicaError, match=r"already holds trial data \(128 participants, \d+ values\).*--replace"):
        import_trial(project, TRIAL, "participant", "arm", "time")
    header = tmp_path / "header.csv"
    header.write_text(TRIAL.read_text(encoding="utf-8").splitlines()[0] + "\n")
    with pytest.raises(ThematicaError, match="no data rows"):
        import_trial(project, header, "participant", "arm", "time", replace=True)
    text = tmp_path / "text.csv"
    lines = TRIAL.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[4] = "n.v.t."
    text.write_text("\n".join([*lines[:5], ",".join(cells), *lines[6:]]) + "\n")
    with pytest.raises(ThematicaError, match=r"row 6: text 'n.v.t.' in numeric column 'scl90'"):
        import_trial(project, text, "participant", "arm", "time", replace=True)
    after, _ = stored_trial(project)
    pd.testing.assert_frame_equal(before, after)
    import_trial(project, TRIAL, "participant", "arm", "time", replace=True)


def test_within_group_d_by_name_reproduces_the_papers_2_00_and_2_01_only_as_d_z(project):
    import_trial(project, TRIAL, "participant", "arm", "time")
    report = analyze(project, ["scl90"], baseline="0", at=["3"], within="d_z")
    frame = pd.read_csv(TRIAL)
    for arm, published in (("training", 2.00), ("booster", 2.01)):
        wide = frame[frame.arm == arm].pivot(index="participant", columns="time", values="scl90")
        pre, post = wide[0], wide[3]
        values = {name: _value(report, "within_arm", "scl90", "0→3", name, arm)
                  for name in ("baseline", "pooled", "d_av", "d_z", "d_rm", "r")}
        change = pre - post
        assert values["d_z"] == pytest.approx(change.mean() / change.std(ddof=1))
        assert values["baseline"] == pytest.approx(change.mean() / pre.std(ddof=1))
        assert values["d_av"] == pytest.approx(change.mean() / ((pre.std() + post.std()) / 2))
        assert values["pooled"] == pytest.approx(change.mean() / np.sqrt((pre.var() + post.var()) / 2))
        assert values["d_rm"] == pytest.approx(values["d_z"] * np.sqrt(2 * (1 - stats.pearsonr(pre, post)[0])))
        assert round(values["d_z"], 2) == published
        assert all(round(values[name], 2) != published for name in ("baseline", "pooled", "d_av", "d_rm"))


def test_bad_input_is_exit_2_and_one_line_naming_file_variable_row_and_reason(tmp_path, run_cli, child_environment):
    """The first case in a real child process of the checkout under test (exit code, stderr without a
    traceback), the others through ``main`` in this process."""
    import subprocess
    import sys

    from tests.conftest import demo_project

    demo = str(demo_project(tmp_path / "demo"))
    text_times = _against_the_ids(tmp_path)
    wide = tmp_path / "wide.csv"
    wide.write_text("id,arm,wavb_t1,wavb_t2\nP1,a,3,4\nP2,b,5,2\n")
    header = tmp_path / "header.csv"
    header.write_text("participant,arm,time,scl90\n")
    cases = {
        "unknown arm": (["trial", "analyze", demo, "--arms", "training,wachtlijst"], "unknown arm 'wachtlijst'"),
        "unknown time label": (["trial", "import", demo, str(text_times), "--id", "id", "--arm", "arm", "--time", "time",
                                "--time-order", "pre,post", "--replace"], "row 4: time label 'fu'"),
        "text times without an order": (["trial", "import", demo, str(text_times), "--id", "id", "--arm", "arm",
                                         "--time", "time", "--replace"], "--time-order"),
        "--at outside the data": (["trial", "analyze", demo, "--at", "36"], "--at: no timepoint '36'"),
        "--baseline outside the data": (["trial", "analyze", demo, "--baseline", "pre"], "--baseline: no timepoint"),
        "derivation does not parse": (["trial", "analyze", demo, "--derive", "remissie scl90 < 1"], "NAME = VARIABLE"),
        "derivation names an unknown variable": (["trial", "analyze", demo, "--derive", "r = caps5 < 20"],
                                                 "unknown variable 'caps5'"),
        "grouping variable with one level": (["trial", "test", demo, "--test", "welch", "--outcome", "scl90", "--by",
                                              "sessions_offered"], "only one group"),
        "categorical covariate": (["trial", "analyze", demo, "--outcome", "paid_work", "--covariate", "sex"],
                                  "'sex' is categorical"),
        "re-import without --replace": (["trial", "import", demo, str(TRIAL), "--id", "participant", "--arm", "arm",
                                         "--time", "time"], "--replace"),
        "header-only file": (["trial", "import", demo, str(header), "--id", "participant", "--arm", "arm", "--time",
                              "time", "--replace"], "no data rows"),
        "wide file without its pattern": (["trial", "import", demo, str(wide), "--id", "id", "--arm", "arm",
                                           "--replace"], "--wide"),
        "nma without a ranking direction": (["nma", str(Path(__file__).parents[1] / "data" / "meta" /
                                                        "senn2013-contrasts.csv"), "--measure", "MD", "--reference",
                                             "plac"], "--larger-is-better"),
    }
    failures = []
    for number, (name, (arguments, expected)) in enumerate(cases.items()):
        if number == 0:
            result = subprocess.run([sys.executable, "-m", "thematica", *arguments], capture_output=True, text=True,
                                    timeout=120, env={**child_environment, "COLUMNS": "200"})
        else:
            result = run_cli(*arguments, columns=200)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if not (result.returncode == 2 and len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr):
            failures.append(f"{name}: exit {result.returncode}: {result.stderr.strip()[:300]}")
    assert failures == []
    frame, _ = stored_trial_of(demo)
    assert frame["participant"].nunique() == 128  # nothing of the above touched the demo's trial data


def stored_trial_of(location: str):
    from thematica.store.project import open_project

    with open_project(location) as project:
        return stored_trial(project)


def test_a_randomised_participant_without_any_value_counts_in_the_itt_denominator(project, tmp_path):
    path = tmp_path / "t.csv"
    rows = ["participant,arm,time,score"] + [f"P{i},{'a' if i % 2 else 'b'},{t},{'' if i == 7 else i + t}"
                                            for i in range(12) for t in (0, 12)]
    path.write_text("\n".join(rows) + "\n")
    import_trial(project, path, "participant", "arm", "time")
    frame, _ = stored_trial(project)
    assert frame.participant.nunique() == 12 and list(pd.unique(frame.arm)) == ["b", "a"]
    report = analyze(project, ["score"], derive=["high = score > 10 @ 12"])
    itt = {(r.statistic, r.group): r.value for r in report.results if r.analysis == "derived_itt"}
    assert itt[("n", "a")] == 6 and itt[("n", "b")] == 6
