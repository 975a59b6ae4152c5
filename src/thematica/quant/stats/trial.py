"""Trial analyses as the source papers report them, on a long DataFrame.

Columns: ``participant``, ``arm``, ``time`` (ordered timepoints), and one column per variable.
* baseline table by arm: n, % for binary / categorical, mean (sd) for continuous;
* continuous outcome per timepoint: mean (sd) per arm, difference, Cohen's d / Hedges' g with
  95% CI, Student's t-test; within-arm pre–post d; a linear mixed model over all timepoints
  (intention to treat on all available data, random intercept per participant; statsmodels
  REML, ``stats.mixed``) with the arm × time interaction terms as the between-arm contrasts per timepoint;
* binary outcome per timepoint: % by arm, chi-square (Fisher's exact test when an expected count
  is below 5); logistic regression of the outcome at a timepoint on arm, adjusted for its baseline
  value and chosen covariates (odds ratio, 95% CI, p); McNemar's test for change within an arm;
* attendance: mean percentage of sessions attended per arm.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from thematica.quant.stats.effect_sizes import from_samples, pre_post
from thematica.quant.stats.mixed import random_intercept_reml


@dataclass(frozen=True)
class Result:
    """One number of one analysis, named so scripts can find it."""

    analysis: str
    outcome: str
    timepoint: str | None
    statistic: str
    value: float | None
    group: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, analysis: str, outcome: str, timepoint, statistic: str, value, group: str | None = None) -> None:
        """Undefined numbers (None, NaN, ±infinity) are stored as None: "not computable", never a number."""
        number = None if value is None or not math.isfinite(float(value)) else float(value)
        self.results.append(Result(analysis, outcome, None if timepoint is None else str(timepoint), statistic,
                                   number, group))

    def to_dict(self) -> dict:
        return {"results": [r.to_dict() for r in self.results], "notes": self.notes}


def arms_of(frame: pd.DataFrame) -> list[str]:
    """Arms in order of first appearance in the data (the first is the one papers list first;
    differences and d are first − second; the second is the model's contrast arm)."""
    return [str(arm) for arm in pd.unique(frame["arm"].dropna())]


def baseline_table(frame: pd.DataFrame, variables: dict[str, str], baseline, report: Report) -> None:
    first = frame[frame["time"] == baseline] if baseline is not None else frame.drop_duplicates("participant")
    for arm in arms_of(frame):
        group = first[first["arm"] == arm]
        report.add("baseline", "participants", baseline, "n", len(group), arm)
        for variable, kind in variables.items():
            values = group[variable].dropna()
            if kind == "continuous":
                report.add("baseline", variable, baseline, "mean", values.mean() if len(values) else None, arm)
                report.add("baseline", variable, baseline, "sd", values.std(ddof=1) if len(values) > 1 else None, arm)
                report.add("baseline", variable, baseline, "n", len(values), arm)
            elif kind == "binary":
                report.add("baseline", f"{variable}=1", baseline, "n", int((values == 1).sum()), arm)
                report.add("baseline", f"{variable}=1", baseline, "percent",
                           100 * (values == 1).mean() if len(values) else None, arm)
                report.add("baseline", f"{variable}=1", baseline, "of", len(values), arm)
            else:
                for level, count in values.astype(str).value_counts().sort_index().items():
                    report.add("baseline", f"{variable}={level}", baseline, "n", count, arm)
                    report.add("baseline", f"{variable}={level}", baseline, "percent", 100 * count / len(values), arm)
                    report.add("baseline", f"{variable}={level}", baseline, "of", len(values), arm)


def continuous_outcome(frame: pd.DataFrame, outcome: str, report: Report, hedges: bool = False) -> None:
    arms = arms_of(frame)
    if len(arms) != 2:
        report.notes.append(f"{outcome}: between-arm contrasts need exactly two arms (found {len(arms)})")
        return
    times = list(pd.unique(frame["time"].dropna()))
    for time in times:
        at = frame[frame["time"] == time]
        a = at.loc[at["arm"] == arms[0], outcome].dropna()
        b = at.loc[at["arm"] == arms[1], outcome].dropna()
        for arm, values in ((arms[0], a), (arms[1], b)):
            report.add("continuous", outcome, time, "n", len(values), arm)
            report.add("continuous", outcome, time, "mean", values.mean() if len(values) else None, arm)
            report.add("continuous", outcome, time, "sd", values.std(ddof=1) if len(values) > 1 else None, arm)
        if len(a) < 2 or len(b) < 2:
            continue
        difference = from_samples(a, b)
        test = stats.ttest_ind(a, b, equal_var=True)
        report.add("continuous", outcome, time, "difference", difference.difference)
        prefix = "g" if hedges else "d"
        report.add("continuous", outcome, time, prefix, difference.g if hedges else difference.d)
        report.add("continuous", outcome, time, f"{prefix}_ci_low", difference.g_low if hedges else difference.d_low)
        report.add("continuous", outcome, time, f"{prefix}_ci_high", difference.g_high if hedges else difference.d_high)
        report.add("continuous", outcome, time, "t", test.statistic)
        report.add("continuous", outcome, time, "p", test.pvalue)
    if len(times) >= 2:
        wide = frame.pivot_table(index=["participant", "arm"], columns="time", values=outcome).reset_index()
        for arm in arms:
            pair = wide.loc[wide["arm"] == arm, [times[0], times[-1]]].dropna()
            if len(pair) > 2:
                result = pre_post(pair[times[0]], pair[times[-1]])
                for key in ("n", "d_av", "d_z"):
                    report.add("within_arm", outcome, f"{times[0]}→{times[-1]}", key, result[key], arm)
        mixed_model(frame, outcome, times, report)


def mixed_model(frame: pd.DataFrame, outcome: str, times: list, report: Report) -> None:
    """``y ~ arm * time`` with a random intercept per participant (REML, ``stats.mixed``);
    the arm × time terms are the between-arm contrasts of change from the first timepoint."""
    data = frame[["participant", "arm", "time", outcome]].dropna()
    arms = arms_of(data)
    labels = [str(t) for t in times]
    time = data["time"].astype(str).to_numpy()
    treated = (data["arm"] == arms[-1]).to_numpy(dtype=float)
    columns = {"Intercept": np.ones(len(data)), f"C(arm)[T.{arms[-1]}]": treated}
    for label in labels[1:]:
        columns[f"time[T.{label}]"] = (time == label).astype(float)
    for label in labels[1:]:
        columns[f"C(arm)[T.{arms[-1]}]:time[T.{label}]"] = treated * (time == label)
    try:
        fit = random_intercept_reml(data[outcome].to_numpy(dtype=float), np.column_stack(list(columns.values())),
                                    data["participant"].to_numpy(), list(columns))
    except (np.linalg.LinAlgError, ValueError) as error:
        report.notes.append(f"{outcome}: mixed model did not fit ({error})")
        return
    confidence, pvalues = fit.conf_int(), fit.pvalues()
    for position, name in enumerate(fit.names):
        if ":" in name or name.startswith("C(arm)"):
            at = name.split("[T.")[-1].rstrip("]") if ":" in name else labels[0]
            label = "arm_x_time" if ":" in name else "arm"
            report.add("mixed_model", outcome, at, f"{label}_estimate", fit.params[position], arms[-1])
            report.add("mixed_model", outcome, at, f"{label}_ci_low", confidence[position, 0], arms[-1])
            report.add("mixed_model", outcome, at, f"{label}_ci_high", confidence[position, 1], arms[-1])
            report.add("mixed_model", outcome, at, f"{label}_p", pvalues[position], arms[-1])
    report.add("mixed_model", outcome, None, "participant_variance", fit.tau2)
    report.add("mixed_model", outcome, None, "residual_variance", fit.sigma2)


def binary_outcome(frame: pd.DataFrame, outcome: str, report: Report, covariates: list[str] | None = None) -> None:
    arms = arms_of(frame)
    times = list(pd.unique(frame["time"].dropna()))
    for time in times:
        at = frame[(frame["time"] == time) & frame[outcome].notna()]
        if at.empty:
            continue
        table = pd.crosstab(at["arm"], at[outcome].astype(int)).reindex(index=arms, columns=[0, 1], fill_value=0)
        counts = table.to_numpy(dtype=int)  # rows: arms; columns: outcome 0, 1
        for row, arm in enumerate(arms):
            total = int(counts[row].sum())
            report.add("binary", outcome, time, "n", total, arm)
            report.add("binary", outcome, time, "percent", 100 * int(counts[row, 1]) / total if total else None, arm)
        if len(arms) == 2 and table.values.sum() > 0 and (table.sum(axis=0) > 0).all():
            expected = stats.contingency.expected_freq(table.values)
            if (expected < 5).any():
                report.add("binary", outcome, time, "fisher_p", stats.fisher_exact(table.values)[1])
            else:
                chi2, p, _, _ = stats.chi2_contingency(table.values, correction=False)
                report.add("binary", outcome, time, "chi2", chi2)
                report.add("binary", outcome, time, "chi2_p", p)
    if len(times) >= 2 and len(arms) == 2:
        logistic_adjusted(frame, outcome, times[0], times[-1], arms, covariates or [], report)
        for arm in arms:
            mcnemar_within(frame[frame["arm"] == arm], outcome, times[0], times[-1], arm, report)


def logistic_adjusted(frame: pd.DataFrame, outcome: str, baseline, later, arms: list[str], covariates: list[str],
                      report: Report) -> None:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    wide = frame.pivot_table(index=["participant", "arm"], columns="time", values=outcome).reset_index()
    extra = frame[frame["time"] == baseline][["participant", *covariates]] if covariates else None
    data = wide[["participant", "arm", baseline, later]].dropna()
    if extra is not None:
        data = data.merge(extra, on="participant").dropna()
    if data[later].nunique() < 2 or len(data) < 10:
        report.notes.append(f"{outcome}: too little variation at {later} for a logistic regression")
        return
    design = pd.DataFrame({"const": 1.0, f"arm[{arms[1]}]": (data["arm"] == arms[1]).astype(float),
                           "baseline": data[baseline].astype(float)})
    for covariate in covariates:
        design[covariate] = pd.to_numeric(data[covariate], errors="coerce")
    try:
        fit = sm.Logit(data[later].astype(float), design).fit(disp=0)
    except (np.linalg.LinAlgError, PerfectSeparationError, ValueError) as error:  # singular design, separation
        report.notes.append(f"{outcome}: logistic regression did not fit ({type(error).__name__})")
        return
    name = f"arm[{arms[1]}]"
    low, high = fit.conf_int().loc[name]
    report.add("logistic", outcome, later, "odds_ratio", math.exp(fit.params[name]), f"{arms[1]} vs {arms[0]}")
    report.add("logistic", outcome, later, "or_ci_low", math.exp(low), f"{arms[1]} vs {arms[0]}")
    report.add("logistic", outcome, later, "or_ci_high", math.exp(high), f"{arms[1]} vs {arms[0]}")
    report.add("logistic", outcome, later, "p", fit.pvalues[name], f"{arms[1]} vs {arms[0]}")
    report.add("logistic", outcome, later, "n", len(data), f"{arms[1]} vs {arms[0]}")


def mcnemar_within(frame: pd.DataFrame, outcome: str, first, second, arm: str, report: Report) -> None:
    from statsmodels.stats.contingency_tables import mcnemar

    wide = frame.pivot_table(index="participant", columns="time", values=outcome)
    if first not in wide or second not in wide:
        return
    pair = wide[[first, second]].dropna().astype(int)
    if len(pair) == 0:
        return
    table = pd.crosstab(pair[first], pair[second]).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    result = mcnemar(table.values, exact=True)
    report.add("mcnemar", outcome, f"{first}→{second}", "p", result.pvalue, arm)
    report.add("mcnemar", outcome, f"{first}→{second}", "n", len(pair), arm)


def attendance(frame: pd.DataFrame, attended: str, offered: str, report: Report) -> None:
    per = frame.drop_duplicates("participant")[["arm", attended, offered]].dropna()
    for arm in arms_of(per):
        group = per[per["arm"] == arm]
        report.add("attendance", attended, None, "mean_percent", (100 * group[attended] / group[offered]).mean(), arm)
        report.add("attendance", attended, None, "n", len(group), arm)


RCI_CRITERION = 1.96  # Jacobson & Truax (1991) state the criterion as 1.96, so it is kept as published


def reliable_change(pre: pd.Series, post: pd.Series, reliability: float, lower_is_better: bool = True) -> pd.DataFrame:
    """Jacobson & Truax (1991) reliable change index per participant.

    RCI = (post − pre) / S_diff, S_diff = √2 · SE, SE = SD_pre · √(1 − r_xx), with SD_pre the
    sample SD of the pre scores; |RCI| > 1.96 is reliable change, improved when it goes the
    better way (down for symptom scales unless ``lower_is_better`` is False).
    """
    if not 0 < reliability < 1:
        raise ValueError("reliability must lie between 0 and 1")
    both = pd.DataFrame({"pre": pre, "post": post}).dropna()
    s_diff = math.sqrt(2) * pre.dropna().std(ddof=1) * math.sqrt(1 - reliability)
    both["rci"] = (both["post"] - both["pre"]) / s_diff
    better = -both["rci"] if lower_is_better else both["rci"]
    both["group"] = np.where(better > RCI_CRITERION, "improved",
                             np.where(better < -RCI_CRITERION, "worsened", "unchanged"))
    return both


def consort_flow(frame: pd.DataFrame, outcomes: list[str], status_columns: list[str], report: Report) -> None:
    """CONSORT flow per arm: randomised; per timepoint assessed (any outcome measured) and not
    assessed; and per status column the participants at each level (e.g. reasons for leaving)."""
    per_participant = frame.drop_duplicates("participant")
    for arm in arms_of(frame):
        members = frame[frame["arm"] == arm]
        randomised = members["participant"].nunique()
        report.add("flow", "participants", None, "randomised", randomised, arm)
        for time in frame["time"].cat.categories if hasattr(frame["time"], "cat") else pd.unique(frame["time"]):
            at = members[members["time"] == time]
            assessed = int(at[outcomes].notna().any(axis=1).sum()) if outcomes else len(at)
            report.add("flow", "participants", time, "assessed", assessed, arm)
            report.add("flow", "participants", time, "not_assessed", randomised - assessed, arm)
        for column in status_columns:
            levels = per_participant[per_participant["arm"] == arm][column].dropna().astype(str)
            for level, count in levels.value_counts().sort_index().items():
                report.add("flow", f"{column}={level}", None, "n", count, arm)


def scale_analysis(frame: pd.DataFrame, name: str, items: list[str], time, correlates: list[str],
                   report: Report) -> pd.Series:
    """Cronbach's alpha (Feldt CI) of ``items`` at ``time``, the scale score (item mean) by arm,
    its Pearson and Spearman correlations with ``correlates`` at the same time, and the absolute
    z-score extremity of the scale score by arm. Returns the scale scores by participant."""
    from thematica.quant.stats.scales import correlate, cronbach_alpha, extremity

    at = frame[frame["time"] == time] if time is not None else frame
    at = at.dropna(subset=items, how="all")
    alpha = cronbach_alpha(at[items])
    for statistic in ("alpha", "ci_low", "ci_high", "items", "n"):
        report.add("scale", name, time, statistic, getattr(alpha, statistic))
    scored = at.assign(**{name: at[items].mean(axis=1, skipna=False)})
    scored = scored.assign(**{f"{name}_extremity": extremity(scored[name])})
    for arm in arms_of(scored):
        values = scored.loc[scored["arm"] == arm, name].dropna()
        report.add("scale", name, time, "mean", values.mean() if len(values) else None, arm)
        report.add("scale", name, time, "sd", values.std(ddof=1) if len(values) > 1 else None, arm)
        report.add("scale", name, time, "n", len(values), arm)
        report.add("scale", f"{name}_extremity", time, "mean",
                   scored.loc[scored["arm"] == arm, f"{name}_extremity"].mean(), arm)
    for other in correlates:
        for method in ("pearson", "spearman"):
            result = correlate(scored, name, other, method)
            report.add("correlation", f"{name}~{other}", time, f"{method}_r", result.r)
            report.add("correlation", f"{name}~{other}", time, f"{method}_p", result.p)
            report.add("correlation", f"{name}~{other}", time, "n", result.n)
    return scored.set_index("participant")[name]
