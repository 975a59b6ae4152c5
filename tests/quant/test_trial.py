"""Trial analyses against the re-integration trial's Table 2 and against scipy/statsmodels called directly."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from thematica.errors import ThematicaError
from thematica.quant.stats.effect_sizes import cohens_d
from thematica.quant.stats.scales import correlate, cronbach_alpha, extremity
from thematica.quant.trial_data import read_trial
from thematica.quant.trial_service import analyze, import_trial

ROOT = Path(__file__).resolve().parents[2]
TRIAL = ROOT / "corpora" / "demo" / "trial.csv"
# Table 2 of the re-integration trial: (n, mean, sd) training vs booster, and the published Cohen's d.
TABLE_2 = [((64, 1.28, 0.57), (64, 1.22, 0.52), 0.11), ((64, 0.53, 0.47), (64, 0.47, 0.46), 0.13),
           ((61, 0.56, 0.41), (61, 0.60, 0.60), -0.08), ((59, 0.49, 0.39), (56, 0.40, 0.34), 0.25),
           ((55, 0.44, 0.40), (53, 0.40, 0.43), 0.10)]


@pytest.mark.parametrize(("training", "booster", "published"), TABLE_2)
def test_table_2_cohens_d_reproduced_from_its_summary_statistics(training, booster, published):
    assert round(cohens_d(*training, *booster).d, 2) == published


def test_the_demo_trial_reproduces_the_published_marginals():
    frame = pd.read_csv(TRIAL)
    summary = frame.groupby(["arm", "time"]).scl90.agg(["count", "mean", "std"])
    for (training, booster, _), time in zip(TABLE_2, (0, 3, 6, 12, 24)):
        for arm, (n, mean, sd) in (("training", training), ("booster", booster)):
            row = summary.loc[(arm, time)]
            assert (row["count"], round(row["mean"], 2), round(row["std"], 2)) == (n, mean, sd)
    work = frame.dropna(subset=["paid_work"]).groupby(["arm", "time"]).paid_work.agg(["count", "sum"])
    assert [tuple(work.loc[key]) for key in [("training", 0), ("training", 24), ("booster", 0), ("booster", 24)]] == [
        (58, 44), (54, 41), (58, 39), (53, 46)]
    assert frame.scl90.min() >= 0 and frame.scl90.max() <= 4
    regenerated = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_trial.py")], check=True)
    assert regenerated.returncode == 0 and pd.read_csv(TRIAL).equals(frame)


@pytest.fixture
def trial_project(project, tmp_path):
    import_trial(project, TRIAL, "participant", "arm", "time")
    return project


def _value(report, analysis, outcome, time, statistic, group=None):
    return next(r.value for r in report.results if (r.analysis, r.outcome, r.timepoint, r.statistic, r.group)
                == (analysis, outcome, time, statistic, group))


def test_continuous_and_binary_analyses_equal_direct_computations(trial_project):
    report = analyze(trial_project, ["scl90", "paid_work"], ["age"])
    frame = pd.read_csv(TRIAL)
    at = frame[frame.time == 12]
    a, b = at[at.arm == "training"].scl90.dropna(), at[at.arm == "booster"].scl90.dropna()
    assert _value(report, "continuous", "scl90", "12", "p") == pytest.approx(stats.ttest_ind(a, b).pvalue)
    assert _value(report, "continuous", "scl90", "12", "d") == pytest.approx(cohens_d(len(a), a.mean(), a.std(), len(b), b.mean(), b.std()).d)
    wide = frame.pivot_table(index=["participant", "arm"], columns="time", values="paid_work").reset_index()
    data = wide[["participant", "arm", 0, 24]].dropna().merge(frame[frame.time == 0][["participant", "age"]])
    design = sm.add_constant(pd.DataFrame({"arm": (data.arm == "training").astype(float), "baseline": data[0],
                                           "age": data.age}))
    fit = sm.Logit(data[24], design).fit(disp=0)
    # one direction for every effect: the first arm in the file (training) against the second
    assert _value(report, "logistic", "paid_work", "0→24", "odds_ratio", "training vs booster") == pytest.approx(
        np.exp(fit.params["arm"]))
    booster = wide[wide.arm == "booster"][[0, 24]].dropna().astype(int)
    table = pd.crosstab(booster[0], booster[24]).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    assert _value(report, "mcnemar", "paid_work", "0→24", "p", "booster") == pytest.approx(
        mcnemar(table.values, exact=True).pvalue)
    assert any(r.analysis == "mixed_model" and r.statistic == "arm_x_time_estimate" for r in report.results)


def test_scales_against_independent_formulas():
    rng = np.random.default_rng(4)
    trait = rng.normal(0, 1, 60)
    items = pd.DataFrame({f"i{k}": trait + rng.normal(0, 0.8, 60) for k in range(6)})
    result = cronbach_alpha(items)
    k = 6
    covariance = items.cov().values
    expected = k / (k - 1) * (1 - np.trace(covariance) / covariance.sum())
    assert result.alpha == pytest.approx(expected)
    assert result.ci_low < result.alpha < result.ci_high
    frame = pd.DataFrame({"x": trait, "y": trait * 0.5 + rng.normal(0, 1, 60)})
    assert correlate(frame, "x", "y").r == pytest.approx(stats.pearsonr(frame.x, frame.y)[0])
    assert correlate(frame, "x", "y", "spearman").r == pytest.approx(stats.spearmanr(frame.x, frame.y)[0])
    assert extremity(frame.x).tolist() == pytest.approx(np.abs(stats.zscore(frame.x, ddof=1)).tolist())


def test_a_typo_in_a_small_file_is_refused_not_read_as_a_label_column(tmp_path, run_cli):
    """The type must not depend on the file's size: one typo in four values is an error, as in 644."""
    path = tmp_path / "t.csv"
    path.write_text("participant,arm,time,scl90,sex\nP1,a,0,1.2,m\nP2,b,0,abc,v\nP3,a,0,0.8,v\nP4,b,0,1.1,m\n")
    with pytest.raises(ThematicaError, match="row 3: text 'abc' in numeric column 'scl90'"):
        read_trial(path, "participant", "arm", "time")
    project = tmp_path / "p.thematica"
    assert run_cli("init", str(project)).returncode == 0
    result = run_cli("trial", "import", str(project), str(path), "--id", "participant", "--arm", "arm",
                     "--time", "time")
    assert result.returncode == 2 and "row 3: text 'abc' in numeric column 'scl90'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # Text labels only (m/v) stay categorical; a label column holding some numbers is declared so.
    path.write_text("participant,arm,time,scl90,sex,school\nP1,a,0,1.2,m,2\nP2,b,0,1.0,v,hbo\n"
                    "P3,a,0,0.8,v,3\nP4,b,0,1.1,m,wo\n")
    with pytest.raises(ThematicaError, match="text 'hbo' in numeric column 'school'.*--categorical school"):
        read_trial(path, "participant", "arm", "time")
    table = read_trial(path, "participant", "arm", "time", categorical=["school"])
    assert table.kinds == {"scl90": "continuous", "sex": "categorical", "school": "categorical"}
    assert table.frame["school"].tolist() == ["2", "hbo", "3", "wo"]
    with pytest.raises(ThematicaError, match="--categorical names unknown variable"):
        read_trial(path, "participant", "arm", "time", categorical=["schol"])
    result = run_cli("trial", "import", str(project), str(path), "--id", "participant", "--arm", "arm",
                     "--time", "time", "--categorical", "school")
    assert result.returncode == 0 and "school (categorical)" in result.stdout, result.stderr


def test_text_in_numeric_and_duplicates_are_errors_with_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("participant,arm,time,scl90\nP1,a,0,1.2\nP2,b,0,veel\nP3,a,0,0.8\nP4,b,0,1.1\nP5,a,0,0.9\n")
    with pytest.raises(ThematicaError, match="row 3: text 'veel' in numeric column 'scl90'"):
        read_trial(path, "participant", "arm", "time")
    path.write_text("participant,arm,time,scl90\nP1,a,0,1.2\nP1,a,0,1.3\n")
    with pytest.raises(ThematicaError, match="appears twice"):
        read_trial(path, "participant", "arm", "time")


def test_wide_data_is_stacked(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,group,scl90_t0,scl90_t12,werk_t0\nP1,a,1.0,0.5,ja\nP2,b,1.2,0.9,nee\n")
    table = read_trial(path, "id", "group", wide=["{variable}_t{time}"])
    assert table.kinds == {"scl90": "continuous", "werk": "binary"}
    assert list(table.frame.time.cat.categories) == ["0", "12"]
    assert table.frame.query("participant == 'P2' and time == '12'").scl90.item() == 0.9


def test_closed_form_reml_equals_statsmodels_mixedlm():
    import statsmodels.formula.api as smf

    from thematica.quant.stats.mixed import random_intercept_reml

    frame = pd.read_csv(TRIAL).dropna(subset=["scl90"])
    frame["time"] = pd.Categorical(frame["time"].astype(str), categories=["0", "3", "6", "12", "24"])
    reference = smf.mixedlm("scl90 ~ C(arm) * time", frame, groups=frame["participant"]).fit(reml=True)
    design = pd.get_dummies(frame[["arm", "time"]], drop_first=True, dtype=float)
    for column in [c for c in design if c.startswith("time")]:
        design[f"arm:{column}"] = design["arm_training"] * design[column]
    design.insert(0, "const", 1.0)
    fit = random_intercept_reml(frame["scl90"].to_numpy(), design.to_numpy(), frame["participant"].to_numpy(),
                                list(design))
    assert fit.params == pytest.approx(reference.fe_params.to_numpy(), abs=1e-5)
    assert fit.bse == pytest.approx(reference.bse_fe.to_numpy(), rel=1e-3)
    assert fit.tau2 == pytest.approx(float(reference.cov_re.iloc[0, 0]), rel=1e-3)
    assert fit.sigma2 == pytest.approx(reference.scale, rel=1e-4)
    # the service contrasts the first arm in the data (training) with the second (booster)
    second = smf.mixedlm("scl90 ~ C(arm, Treatment('booster')) * time", frame, groups=frame["participant"]).fit()
    assert analyze_demo_mixed(frame) == pytest.approx(second.fe_params.to_numpy()[-4:], abs=1e-5)


def analyze_demo_mixed(frame):
    from thematica.quant.stats import trial

    report = trial.ReportBuilder()
    trial.mixed_model(frame, "scl90", ["0", "3", "6", "12", "24"], report)
    return [r.value for r in report.results if r.statistic == "arm_x_time_estimate"]


def test_the_report_is_built_once_and_frozen():
    import dataclasses

    from thematica.quant.stats import trial

    builder = trial.ReportBuilder(options={"within_d": "d_av"})
    builder.add("baseline", "age", 0, "mean", float("nan"), "training")
    builder.add("baseline", "age", 0, "n", 12, "training")
    builder.notes.append("age: a note")
    report = builder.build()
    builder.notes.append("after the build")
    builder.options["within_d"] = "d_z"
    assert report.notes == ("age: a note",) and report.options["within_d"] == "d_av"
    assert report.to_dict() == {"results": [
        {"analysis": "baseline", "outcome": "age", "timepoint": "0", "statistic": "mean", "value": None, "group": "training"},
        {"analysis": "baseline", "outcome": "age", "timepoint": "0", "statistic": "n", "value": 12.0, "group": "training"}],
        "notes": ["age: a note"], "options": {"within_d": "d_av"}}
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.notes = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.options["within_d"] = "d_z"  # type: ignore[index]
