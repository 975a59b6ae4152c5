"""Trial analyses as the source papers report them, on a long DataFrame.

Columns: ``participant``, ``arm``, ``time`` (ordered timepoints), and one column per variable.
* baseline table by arm: n, % for binary / categorical, mean (sd) for continuous;
* continuous outcome per timepoint: mean (sd) per arm, difference, Cohen's d / Hedges' g with
  95% CI, Student's t-test; within-arm d by name; a linear mixed model over the measured timepoints
  (intention to treat on all available data, random intercept per participant; statsmodels
  REML, ``stats.mixed``) with the arm × time interaction terms as the between-arm contrasts per timepoint;
* binary outcome per timepoint: % by arm, chi-square (Fisher's exact test when an expected count
  is below 5), OR and RR; logistic regression of the outcome at a timepoint on arm, adjusted for its baseline
  value and chosen covariates (odds ratio, 95% CI, p); McNemar's test for change within an arm;
* attendance: mean percentage of sessions attended per arm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import SupportsFloat

import numpy as np
import pandas as pd
from scipy import stats

from thematica.quant.stats.effect_sizes import from_samples, within_d
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


@dataclass(frozen=True)
class Report:
    """The finished trial analysis: every number (full precision, for json and the tables), the
    notes on what could not be computed, and the choices the tables state (e.g. the within-group d).
    Built once by ``ReportBuilder.build``; renderers only read it."""

    results: tuple[Result, ...] = ()
    notes: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, object]:
        return {"results": [r.to_dict() for r in self.results], "notes": list(self.notes),
                "options": dict(self.options)}


@dataclass
class ReportBuilder:
    """Collects the results while the analyses run; ``build()`` gives the frozen ``Report``."""

    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    def add(self, analysis: str, outcome: str, timepoint: object, statistic: str, value: SupportsFloat | None,
            group: str | None = None) -> None:
        """Undefined numbers (None, NaN, ±infinity) are stored as None: "not computable", never a number."""
        number = None if value is None or not math.isfinite(float(value)) else float(value)
        self.results.append(Result(analysis, outcome, None if timepoint is None else str(timepoint), statistic,
                                   number, group))

    def build(self) -> Report:
        return Report(tuple(self.results), tuple(self.notes), MappingProxyType(dict(self.options)))


def arms_of(frame: pd.DataFrame) -> list[str]:
    """Arms in order of first appearance in the rows (the service orders the rows by the file's
    first appearance, or by ``--arms``). Every between-arm effect is first − second (d, g,
    difference, mixed-model contrast) or first vs second (OR, RR)."""
    return [str(arm) for arm in pd.unique(frame["arm"].dropna())]


def baseline_table(frame: pd.DataFrame, variables: dict[str, str], baseline, report: ReportBuilder) -> None:
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


def contrast_label(arms: list[str], ratio: bool = False) -> str:
    """The one direction of every between-arm effect: the first arm against the second."""
    return f"{arms[0]} vs {arms[1]}" if ratio else f"{arms[0]} − {arms[1]}"


def measured_times(frame: pd.DataFrame, outcome: str) -> list:
    """The timepoints (in order) at which ``outcome`` has at least one value."""
    present = set(frame.loc[frame[outcome].notna(), "time"])
    categories = frame["time"].cat.categories if hasattr(frame["time"], "cat") else pd.unique(frame["time"])
    return [t for t in categories if t in present]


def _comparisons(times: list, baseline, at: list | None) -> tuple[object, list]:
    """(baseline, later timepoints) among the timepoints where an outcome is measured."""
    base = baseline if baseline is not None else (times[0] if times else None)
    later = [t for t in (at if at else times[-1:]) if t != base]
    return base, later


def continuous_outcome(frame: pd.DataFrame, outcome: str, report: ReportBuilder, hedges: bool = False,
                       baseline=None, at: list | None = None) -> None:
    """Per timepoint: M (SD), n by arm; difference first − second with Student's t (df, 95% CI) and
    Cohen's d (or Hedges' g) on the pooled SD. Within each arm, baseline → each ``at`` timepoint
    (default: the last): every within-group d (``effect_sizes.within_d``). The mixed model over
    the timepoints where the outcome is measured, change from ``baseline``."""
    arms = arms_of(frame)
    times = measured_times(frame, outcome)
    if len(arms) != 2:
        report.notes.append(f"{outcome}: between-arm contrasts need exactly two arms (found {len(arms)}); "
                            "choose two with --arms")
        return
    base, later = _comparisons(times, baseline, at)
    for wanted in [t for t in [base, *later] if t is not None and t not in times]:
        report.notes.append(f"{outcome}: not measured at {wanted}")
    shown = times if not at else [t for t in dict.fromkeys([base, *later]) if t in times]
    label = contrast_label(arms)
    for time in shown:
        at_time = frame[frame["time"] == time]
        a = at_time.loc[at_time["arm"] == arms[0], outcome].dropna()
        b = at_time.loc[at_time["arm"] == arms[1], outcome].dropna()
        for arm, values in ((arms[0], a), (arms[1], b)):
            report.add("continuous", outcome, time, "n", len(values), arm)
            report.add("continuous", outcome, time, "mean", values.mean() if len(values) else None, arm)
            report.add("continuous", outcome, time, "sd", values.std(ddof=1) if len(values) > 1 else None, arm)
        if len(a) < 2 or len(b) < 2:
            continue
        difference = from_samples(a, b)
        test = stats.ttest_ind(a, b, equal_var=True)
        interval = test.confidence_interval()
        report.add("continuous", outcome, time, "difference", difference.difference, label)
        report.add("continuous", outcome, time, "difference_ci_low", interval.low, label)
        report.add("continuous", outcome, time, "difference_ci_high", interval.high, label)
        prefix = "g" if hedges else "d"
        report.add("continuous", outcome, time, prefix, difference.g if hedges else difference.d)
        report.add("continuous", outcome, time, f"{prefix}_ci_low", difference.g_low if hedges else difference.d_low)
        report.add("continuous", outcome, time, f"{prefix}_ci_high", difference.g_high if hedges else difference.d_high)
        report.add("continuous", outcome, time, "t", test.statistic)
        report.add("continuous", outcome, time, "df", test.df)
        report.add("continuous", outcome, time, "p", test.pvalue)
    if base in times:
        wide = frame.pivot_table(index=["participant", "arm"], columns="time", values=outcome,
                                 observed=True).reset_index()
        for time in [t for t in later if t in times]:
            for arm in arms:
                pair = wide.loc[wide["arm"] == arm, [base, time]].dropna()
                if len(pair) > 2:
                    result = within_d(pair[base], pair[time])
                    for key, value in result.to_dict().items():
                        report.add("within_arm", outcome, f"{base}→{time}", key, value, arm)
    if len(times) >= 2:
        mixed_model(frame, outcome, times, report, reference=base if base in times else times[0])


def mixed_model(frame: pd.DataFrame, outcome: str, times: list, report: ReportBuilder, reference=None) -> None:
    """``y ~ arm * time`` with a random intercept per participant (REML, ``stats.mixed``) on all
    available data (every participant with at least one value: intention to treat under MAR).
    The arm indicator is the first arm, so the arm × time terms are the difference in change
    from ``reference`` (default: the first timepoint), first arm − second arm."""
    data = frame.loc[frame["time"].isin(times), ["participant", "arm", "time", outcome]].dropna()
    arms = arms_of(data)
    if len(arms) != 2:
        return
    labels = [str(t) for t in times]
    reference_label = str(reference) if reference is not None else labels[0]
    others = [label for label in labels if label != reference_label]
    time = data["time"].astype(str).to_numpy()
    first = (data["arm"] == arms[0]).to_numpy(dtype=float)
    columns = {"Intercept": np.ones(len(data)), f"C(arm)[T.{arms[0]}]": first}
    for label in others:
        columns[f"time[T.{label}]"] = (time == label).astype(float)
    for label in others:
        columns[f"C(arm)[T.{arms[0]}]:time[T.{label}]"] = first * (time == label)
    try:
        fit = random_intercept_reml(data[outcome].to_numpy(dtype=float), np.column_stack(list(columns.values())),
                                    data["participant"].to_numpy(), list(columns))
    except (np.linalg.LinAlgError, ValueError) as error:
        report.notes.append(f"{outcome}: mixed model did not fit ({error})")
        return
    confidence, pvalues = fit.conf_int(), fit.pvalues()
    group = contrast_label(arms)
    for position, name in enumerate(fit.names):
        if ":" in name or name.startswith("C(arm)"):
            at = name.split("[T.")[-1].rstrip("]") if ":" in name else reference_label
            kind = "arm_x_time" if ":" in name else "arm"
            report.add("mixed_model", outcome, at, f"{kind}_estimate", fit.params[position], group)
            report.add("mixed_model", outcome, at, f"{kind}_ci_low", confidence[position, 0], group)
            report.add("mixed_model", outcome, at, f"{kind}_ci_high", confidence[position, 1], group)
            report.add("mixed_model", outcome, at, f"{kind}_p", pvalues[position], group)
    report.add("mixed_model", outcome, None, "participant_variance", fit.tau2)
    report.add("mixed_model", outcome, None, "residual_variance", fit.sigma2)
    report.add("mixed_model", outcome, None, "participants", data["participant"].nunique())
    report.add("mixed_model", outcome, None, "observations", len(data))


def binary_outcome(frame: pd.DataFrame, outcome: str, report: ReportBuilder, covariates: list[str] | None = None,
                   baseline=None, at: list | None = None) -> None:
    """Per timepoint where measured (one timepoint is a cross-sectional comparison): % by arm,
    χ² (Fisher's exact test when an expected count is below 5), odds ratio and risk ratio first vs
    second arm with 95% CI (statsmodels ``Table2x2``; Woolf and log-RR intervals). For each ``at``
    timepoint (default: the last) after ``baseline``: logistic regression adjusted for the
    baseline value (and covariates), McNemar within each arm."""
    arms = arms_of(frame)
    times = measured_times(frame, outcome)
    base, later = _comparisons(times, baseline, at)
    for wanted in [t for t in [base, *later] if t is not None and t not in times]:
        report.notes.append(f"{outcome}: not measured at {wanted}")
    shown = times if not at else [t for t in dict.fromkeys([base, *later]) if t in times]
    for time in shown:
        at_time = frame[(frame["time"] == time) & frame[outcome].notna()]
        table = pd.crosstab(at_time["arm"], at_time[outcome].astype(int)).reindex(index=arms, columns=[0, 1],
                                                                                  fill_value=0)
        counts = table.to_numpy()
        for position, arm in enumerate(arms):
            total, events = int(counts[position].sum()), int(counts[position, 1])
            report.add("binary", outcome, time, "n", total, arm)
            report.add("binary", outcome, time, "events", events, arm)
            report.add("binary", outcome, time, "percent", 100 * events / total if total else None, arm)
        if len(arms) == 2 and table.values.sum() > 0 and (table.sum(axis=0) > 0).all():
            two_by_two(table.loc[arms, [1, 0]].to_numpy(), report, "binary", outcome, time,
                       contrast_label(arms, ratio=True))
    if len(arms) != 2 or base not in times:
        return
    for time in [t for t in later if t in times]:
        logistic_adjusted(frame, outcome, base, time, arms, covariates or [], report)
        for arm in arms:
            mcnemar_within(frame[frame["arm"] == arm], outcome, base, time, arm, report)


def two_by_two(table: np.ndarray, report: ReportBuilder, analysis: str, outcome: str, time, label: str) -> None:
    """``table`` rows = first, second arm; columns = event, no event. χ² or Fisher, OR and RR with CI."""
    from statsmodels.stats.contingency_tables import Table2x2

    expected = stats.contingency.expected_freq(table)
    if (expected < 5).any():
        report.add(analysis, outcome, time, "fisher_p", stats.fisher_exact(table)[1])
    else:
        chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
        report.add(analysis, outcome, time, "chi2", chi2)
        report.add(analysis, outcome, time, "chi2_df", 1)
        report.add(analysis, outcome, time, "chi2_p", p)
    if (table == 0).any():
        report.notes.append(f"{outcome} at {time}: a zero cell; odds and risk ratio not estimated")
        return
    cells = Table2x2(table)
    low, high = cells.oddsratio_confint()
    report.add(analysis, outcome, time, "odds_ratio", cells.oddsratio, label)
    report.add(analysis, outcome, time, "or_ci_low", low, label)
    report.add(analysis, outcome, time, "or_ci_high", high, label)
    low, high = cells.riskratio_confint()
    report.add(analysis, outcome, time, "risk_ratio", cells.riskratio, label)
    report.add(analysis, outcome, time, "rr_ci_low", low, label)
    report.add(analysis, outcome, time, "rr_ci_high", high, label)


def logistic_adjusted(frame: pd.DataFrame, outcome: str, baseline, later, arms: list[str], covariates: list[str],
                      report: ReportBuilder) -> None:
    """Logit P(outcome at ``later``) = β₀ + β₁·[first arm] + β₂·outcome at ``baseline`` + covariates;
    OR = exp(β₁), first arm vs second. Covariates: each participant's first non-missing value."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    wide = frame.pivot_table(index=["participant", "arm"], columns="time", values=outcome,
                             observed=True).reset_index()
    if baseline not in wide or later not in wide:
        return
    data = wide[["participant", "arm", baseline, later]].dropna()
    if covariates:
        extra = frame.groupby("participant", sort=False)[covariates].first().reset_index()
        data = data.merge(extra, on="participant").dropna()
    label = contrast_label(arms, ratio=True)
    if data[later].nunique() < 2 or len(data) < 10:
        report.notes.append(f"{outcome}: too little variation at {later} for a logistic regression")
        return
    name = f"arm[{arms[0]}]"
    design = pd.DataFrame({"const": 1.0, name: (data["arm"] == arms[0]).astype(float),
                           "baseline": data[baseline].astype(float)})
    for covariate in covariates:
        design[covariate] = pd.to_numeric(data[covariate], errors="coerce")
    try:
        fit = sm.Logit(data[later].astype(float), design).fit(disp=0)
    except (np.linalg.LinAlgError, PerfectSeparationError, ValueError) as error:  # singular design, separation
        report.notes.append(f"{outcome}: logistic regression did not fit ({type(error).__name__})")
        return
    low, high = fit.conf_int().loc[name]
    where = f"{baseline}→{later}"
    report.add("logistic", outcome, where, "odds_ratio", math.exp(fit.params[name]), label)
    report.add("logistic", outcome, where, "or_ci_low", math.exp(low), label)
    report.add("logistic", outcome, where, "or_ci_high", math.exp(high), label)
    report.add("logistic", outcome, where, "p", fit.pvalues[name], label)
    report.add("logistic", outcome, where, "n", len(data), label)


def mcnemar_within(frame: pd.DataFrame, outcome: str, first, second, arm: str, report: ReportBuilder) -> None:
    from statsmodels.stats.contingency_tables import mcnemar

    wide = frame.pivot_table(index="participant", columns="time", values=outcome, observed=True)
    if first not in wide or second not in wide:
        return
    pair = wide[[first, second]].dropna().astype(int)
    if len(pair) == 0:
        return
    table = pd.crosstab(pair[first], pair[second]).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    result = mcnemar(table.values, exact=True)
    report.add("mcnemar", outcome, f"{first}→{second}", "p", result.pvalue, arm)
    report.add("mcnemar", outcome, f"{first}→{second}", "n", len(pair), arm)


def attendance(frame: pd.DataFrame, attended: str, offered: str, report: ReportBuilder) -> None:
    per = frame.drop_duplicates("participant")[["arm", attended, offered]].dropna()
    for arm in arms_of(per):
        group = per[per["arm"] == arm]
        share = 100 * group[attended].astype(float) / group[offered].astype(float)
        report.add("attendance", attended, None, "mean_percent", float(share.mean()), arm)
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


def consort_flow(frame: pd.DataFrame, outcomes: list[str], status_columns: list[str], report: ReportBuilder) -> None:
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
                   report: ReportBuilder) -> pd.Series:
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
