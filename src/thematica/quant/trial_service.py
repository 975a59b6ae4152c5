"""The trial module as a service: import, link to cases, analyse, plot, joint display with themes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thematica.errors import ThematicaError
from thematica.quant.stats import trial as analyses
from thematica.quant.stats.comparisons import TestResult
from thematica.quant.stats.derived import Derivation
from thematica.quant.stats.scales import Correlation
from thematica.quant.trial_data import read_trial
from thematica.quant.trial_frame import trial_frame, trial_rows
from thematica.quant.trial_labels import ValueLabels, save_labels
from thematica.store import audit, trial as trial_store
from thematica.store.project import Project


@dataclass(frozen=True)
class TrialImport:
    participants: int
    timepoints: list
    values: int
    kinds: dict[str, str]
    checks: list[str]
    linked: int


def import_trial(project: Project, path: Path, id_column: str, arm_column: str, time_column: str | None = None,
                 case_column: str | None = "case", ranges: dict[str, tuple[float, float]] | None = None,
                 actor: str = "system", time_order: list[str] | None = None, wide: list[str] | None = None,
                 replace: bool = False, labels: ValueLabels | None = None,
                 categorical: list[str] | None = None) -> TrialImport:
    """Import trial data; a project that already holds trial data is left alone unless ``replace``."""
    table = read_trial(Path(path), id_column, arm_column, time_column, case_column, ranges, time_order, wide,
                       categorical)
    labels = labels or ValueLabels()
    labels.check(table.kinds)
    with project.transaction() as session:
        participants, values = trial_store.trial_size(session)
        if participants and not replace:
            raise ThematicaError(f"the project already holds trial data ({participants} participants, {values} "
                                 "values): import with --replace to replace them", path=str(path))
        stored = trial_store.replace_trial(session, *trial_rows(table.frame, table.kinds, case_column),
                                           arms=table.arms, times=table.times)
        save_labels(session, labels)
        linked = len(trial_store.participants_by_case(session))
        audit.record(session, actor, "trial.import", "trial", None, file=str(path), values=stored,
                     replaced=participants)
    frame = table.frame
    return TrialImport(frame["participant"].nunique(), list(frame["time"].cat.categories), stored, table.kinds,
                       table.checks, linked)


def link_trial(project: Project, case_column: str = "case", actor: str = "system") -> int:
    """Link participants to the qualitative cases named in a column of the trial data."""
    with project.transaction() as session:
        frame, _ = trial_frame(trial_store.load_trial(session))
        if case_column not in frame and case_column != "case":
            raise ThematicaError(f"no column {case_column!r} in the trial data")
        column = frame[case_column] if case_column in frame else frame["case"]
        mapping = {p: str(c) for p, c in zip(frame["participant"], column) if isinstance(c, str) and c.strip()}
        linked = trial_store.link_cases(session, mapping)
        audit.record(session, actor, "trial.link", "trial", None, linked=linked)
        return linked


def stored_trial(project: Project) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """The project's trial data, or None if there is none: timepoints an ordered categorical in
    their stored order, rows ordered by arm (first appearance in the file), participant (file
    order) and time, so that ``analyses.arms_of`` gives the file's arm order."""
    with project.reading() as session:
        stored = trial_store.load_trial(session)
    frame, kinds = trial_frame(stored)
    arms, times = stored.arms, stored.times
    if frame.empty:
        return None
    present = list(pd.unique(frame["time"]))
    if times is None or set(present) - set(times):
        times = sorted(present, key=_time_key)  # data imported before the order was kept
    frame["time"] = pd.Categorical(frame["time"], categories=times, ordered=True)
    return order_arms(frame, arms or [str(a) for a in pd.unique(frame["arm"])]), kinds


def order_arms(frame: pd.DataFrame, arms: list[str]) -> pd.DataFrame:
    """Rows ordered by ``arms`` (others after them, in their order), then participant, then time."""
    rest = [a for a in pd.unique(frame["arm"]) if a not in arms]
    rank = {arm: i for i, arm in enumerate([*arms, *rest])}
    participants = {p: i for i, p in enumerate(pd.unique(frame["participant"]))}
    keys = pd.DataFrame({"arm": frame["arm"].map(rank), "participant": frame["participant"].map(participants),
                         "time": frame["time"].cat.codes})
    return frame.loc[keys.sort_values(["arm", "participant", "time"], kind="stable").index].reset_index(drop=True)


def choose_arms(frame: pd.DataFrame, arms: list[str] | None) -> pd.DataFrame:
    """``--arms A,B``: only these arms, in this order (the first is put first in every contrast)."""
    if not arms:
        return frame
    known = [str(a) for a in pd.unique(frame["arm"])]
    unknown = [a for a in arms if a not in known]
    if unknown:
        raise ThematicaError(f"--arms: unknown arm {unknown[0]!r} (arms: {', '.join(known)})")
    if len(set(arms)) != len(arms):
        raise ThematicaError(f"--arms names an arm twice: {', '.join(arms)}")
    return order_arms(frame[frame["arm"].isin(arms)], arms)


def load(project: Project) -> tuple[pd.DataFrame, dict[str, str]]:
    """Like ``stored_trial``, for analyses that need trial data: none is a user error."""
    stored = stored_trial(project)
    if stored is None:
        raise ThematicaError("no trial data in this project (import it with 'thematica trial import')")
    return stored


def _time_key(value):
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, str(value))


def time_varying(frame: pd.DataFrame, kinds: dict[str, str]) -> list[str]:
    """Continuous or binary variables measured at two or more timepoints and changing within some
    participant: the outcomes (a per-participant constant repeated on every row is not one)."""
    numeric = [name for name, kind in kinds.items() if kind in ("continuous", "binary")]
    measured = frame.groupby("time", observed=True)[numeric].count()
    varying = frame.groupby("participant")[numeric].nunique()
    return [name for name in numeric if (measured[name] > 0).sum() >= 2 and (varying[name] > 1).any()]


@dataclass(frozen=True)
class Scale:
    name: str
    items: list[str]
    time: str | None = None


def analyze(project: Project, outcomes: list[str] | None = None, covariates: list[str] | None = None,
            hedges: bool = False, status: list[str] | None = None, attendance: tuple[str, str] | None = None,
            scales: list[Scale] | None = None, correlates: list[str] | None = None, arms: list[str] | None = None,
            baseline: str | None = None, at: list[str] | None = None, within: str = "d_av",
            derive: list[str] | None = None, impute: str | None = None, imputations: int = 20,
            seed: int = 1) -> analyses.Report:
    """Table 1, CONSORT flow, outcomes (default: every variable measured at two or more
    timepoints), attendance and scales; see ``quant.stats.trial`` for each analysis. ``arms``
    chooses and orders the arms (default: first appearance in the file); ``baseline`` and ``at``
    the timepoints of the within-group d, the adjusted OR and McNemar (default: first → last)."""
    from thematica.quant.stats.effect_sizes import WITHIN_FORMULAS

    frame, kinds = load(project)
    frame = choose_arms(frame, arms)
    derived = [_derive(frame, kinds, expression) for expression in derive or []]
    if within not in WITHIN_FORMULAS:
        raise ThematicaError(f"--d: unknown formula {within!r} (choose {', '.join(WITHIN_FORMULAS)})")
    report = analyses.ReportBuilder(options={"within_d": within})
    scale_items = [item for scale in scales or [] for item in scale.items]
    wanted = (outcomes or []) + (covariates or []) + (status or []) + list(attendance or ()) + scale_items
    unknown = [name for name in wanted + (correlates or []) if name not in kinds]
    if unknown:
        raise ThematicaError(f"unknown trial variable(s): {', '.join(unknown)} (known: {', '.join(kinds)})")
    numeric = ("continuous", "binary")
    wrong = [f"{name} ({kinds[name]})" for name in (outcomes or []) + scale_items + list(attendance or ())
             + (correlates or []) if kinds[name] not in numeric]
    if wrong:
        raise ThematicaError(f"these variables are not numeric and cannot be analysed so: {', '.join(wrong)}")
    for covariate in covariates or []:
        if kinds[covariate] not in numeric:
            levels = sorted({str(v) for v in frame[covariate].dropna()})
            raise ThematicaError(f"--covariate {covariate!r} is categorical (levels {', '.join(levels[:6])}): a "
                                 "covariate must be a number or binary; recode it as 0/1 columns")
    base = _timepoint(frame, baseline, "--baseline") if baseline is not None else None
    later = [_timepoint(frame, label, "--at") for label in at] if at else None
    status = status if status is not None else [n for n in kinds if n.lower().startswith("status")]
    chosen = outcomes or [n for n in time_varying(frame, kinds) if n not in {d.name for d in derived}]
    first_time = base if base is not None else frame["time"].cat.categories[0]
    at_baseline = frame[frame["time"] == first_time]
    described = {n: kinds[n] for n in kinds if n not in set(status) | set(attendance or ()) | set(scale_items)
                 and at_baseline[n].notna().any()}
    analyses.baseline_table(frame, described, first_time, report)
    analyses.consort_flow(frame, chosen, status, report)
    for outcome in chosen:
        if kinds[outcome] == "continuous":
            analyses.continuous_outcome(frame, outcome, report, hedges, base, later)
        elif kinds[outcome] == "binary":
            analyses.binary_outcome(frame, outcome, report, covariates, base, later)
    for derivation in derived:
        from thematica.quant.stats.derived import itt_comparison

        measured = analyses.measured_times(frame, derivation.name)
        times = ([_timepoint(frame, derivation.time)] if derivation.time else
                 [t for t in (later or measured[-1:]) if t in measured])
        report.notes.append(f"derived: {derivation.text()} (1 where it holds; ITT counts a missing value as 0)")
        for time in times:
            itt_comparison(frame, derivation.name, time, report)
    if impute is not None:
        from thematica.quant.stats.imputation import impute_and_pool

        if impute != "mice":
            raise ThematicaError(f"--impute: {impute!r} is not a method (mice)")
        if imputations < 20:
            raise ThematicaError("--imputations: use at least 20 imputations")
        for outcome in [o for o in chosen if kinds.get(o) in ("continuous", "binary")]:
            impute_and_pool(frame, outcome, kinds[outcome], [c for c in (covariates or [])], report, imputations,
                            seed, base, later)
    if attendance:
        analyses.attendance(frame, attendance[0], attendance[1], report)
    for scale in scales or []:
        time = _timepoint(frame, scale.time) if scale.time is not None else _first_measured(frame, scale.items)
        analyses.scale_analysis(frame, scale.name, scale.items, time, correlates or [], report)
    return report.build()


def _derive(frame: pd.DataFrame, kinds: dict[str, str], expression: str) -> Derivation:
    """Add the derived binary column to ``frame`` and ``kinds`` (values only at its @ timepoint, if given)."""
    from thematica.quant.stats.derived import parse_derivation

    try:
        derivation = parse_derivation(expression)
    except ValueError as error:
        raise ThematicaError(f"--derive: {error}") from None
    if derivation.variable not in kinds:
        raise ThematicaError(f"--derive {expression!r}: unknown variable {derivation.variable!r} "
                             f"(known: {', '.join(kinds)})")
    if kinds[derivation.variable] not in ("continuous", "binary"):
        raise ThematicaError(f"--derive {expression!r}: {derivation.variable!r} is {kinds[derivation.variable]}, "
                             "not a number")
    if derivation.name in kinds or derivation.name in ("participant", "arm", "time", "case"):
        raise ThematicaError(f"--derive {expression!r}: the name {derivation.name!r} is taken")
    values = derivation.apply(frame[derivation.variable])
    if derivation.time is not None:
        time = _timepoint(frame, derivation.time, "--derive")
        values = values.where(frame["time"] == time)
    frame[derivation.name] = values
    kinds[derivation.name] = "binary"
    return derivation


def _timepoint(frame: pd.DataFrame, label: str, option: str = "timepoint"):
    """The stored timepoint named ``label`` ('12' also finds 12.0); an unknown one is a user error."""
    for time in frame["time"].cat.categories:
        if str(time) == str(label).strip() or (_number(time) is not None and _number(time) == _number(label)):
            return time
    raise ThematicaError(f"{option}: no timepoint {label!r} in the data "
                         f"(timepoints: {', '.join(map(str, frame['time'].cat.categories))})")


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _first_measured(frame: pd.DataFrame, items: list[str]):
    measured = frame.dropna(subset=items, how="all")
    if measured.empty:
        raise ThematicaError(f"the items {', '.join(items)} hold no values")
    return measured["time"].min()


@dataclass(frozen=True)
class OutcomeGroups:
    by: str
    groups: dict[str, str]  # case -> group
    values: dict[str, str]  # case -> the outcome value behind the group, for the joint display (not by reliable change)
    # case -> (first, last, RCI) when grouped by reliable change: numbers, which the display formats
    change: dict[str, tuple[float, float, float]] = field(default_factory=dict)


def outcome_groups(project: Project, by: str, reliability: float | None = None,
                   higher_is_better: bool = False) -> OutcomeGroups:
    """Cases grouped by arm, by the last non-missing value of a trial variable, or, with
    ``reliability``, by reliable change (improved / unchanged / worsened) in a continuous
    outcome from the first to the last timepoint (Jacobson & Truax)."""
    frame, kinds = load(project)
    return _groups(frame, kinds, by, reliability, higher_is_better)


def _groups(frame: pd.DataFrame, kinds: dict[str, str], by: str, reliability: float | None = None,
            higher_is_better: bool = False) -> OutcomeGroups:
    linked = frame.dropna(subset=["case"])
    linked = linked[linked["case"].astype(str).str.strip() != ""]
    if by == "arm":
        groups = dict(zip(linked["case"], linked["arm"]))
        return OutcomeGroups(by, groups, {case: "" for case in groups})
    if by not in kinds:
        raise ThematicaError(f"unknown trial variable {by!r} for grouping")
    if reliability is not None:
        if kinds[by] != "continuous":
            raise ThematicaError(f"reliable change needs a continuous outcome; {by!r} is {kinds[by]}")
        times = frame["time"].cat.categories
        wide = frame.pivot_table(index="participant", columns="time", values=by, observed=False)
        try:
            change = analyses.reliable_change(wide[times[0]], wide[times[-1]], reliability, not higher_is_better)
        except ValueError as error:
            raise ThematicaError(str(error)) from None
        case_of = linked.drop_duplicates("participant").set_index("participant")["case"].to_dict()
        groups, numbers = {}, {}
        for participant, row in change.iterrows():
            if participant in case_of:
                case = case_of[participant]
                groups[case] = row["group"]
                numbers[case] = (float(row["pre"]), float(row["post"]), float(row["rci"]))
        return OutcomeGroups(f"reliable change in {by}", groups, {}, numbers)
    groups, values = {}, {}
    for label, group in linked.groupby("case"):
        present = group[by].dropna()
        if len(present):
            case, last = str(label), present.iloc[-1]  # a case label is text
            groups[case] = f"{last:g}" if isinstance(last, float) else str(last)
            values[case] = f"{by} = {groups[case]} at {group.loc[present.index[-1], 'time']}"
    return OutcomeGroups(by, groups, values)


@dataclass(frozen=True)
class CaseOutcomes:
    participant: str
    arm: str
    series: list[tuple[str, list[tuple[str, float]]]]  # (variable, [(time, value)])


def case_outcomes(project: Project, case: str) -> CaseOutcomes | None:
    """The trial values of the participant linked to ``case``, for the workbench's case pane;
    None when the project has no trial data or the case is not linked."""
    stored = stored_trial(project)
    if stored is None:
        return None
    frame, kinds = stored
    rows = frame[frame["case"].astype(str) == str(case)].sort_values("time")
    if rows.empty:
        return None
    series = []
    for variable, kind in kinds.items():
        if kind not in ("continuous", "binary"):
            continue
        values = [(str(t), float(v)) for t, v in zip(rows["time"], rows[variable]) if pd.notna(v)]
        if values:
            series.append((variable, values))
    return CaseOutcomes(str(rows["participant"].iloc[0]), str(rows["arm"].iloc[0]), series)


def workbench_groups(project: Project) -> dict[str, list[str]]:
    """Groups of cases to filter the workbench's documents by: each arm, and each value of each
    binary outcome at its last measurement ("paid_work = 1"). ``{label: [case, ...]}``."""
    stored = stored_trial(project)
    if stored is None:
        return {}
    frame, kinds = stored
    groups: dict[str, list[str]] = {}
    for case, arm in _groups(frame, kinds, "arm").groups.items():
        groups.setdefault(f"arm = {arm}", []).append(case)
    for variable in time_varying(frame, kinds):
        if kinds[variable] == "binary":
            for case, value in _groups(frame, kinds, variable).groups.items():
                groups.setdefault(f"{variable} = {value} (last measured)", []).append(case)
    return {label: sorted(cases) for label, cases in groups.items()}


TESTS = ("paired", "one-sample", "student", "welch", "anova", "welch-anova", "chi2", "fisher", "mann-whitney",
         "wilcoxon")


@dataclass(frozen=True)
class Comparison:
    """One test on one outcome, for one group of participants (paired / one-sample tests) or
    between the groups of ``by`` (``groups`` in the order the effect is taken: first − second)."""

    test: str
    outcome: str
    by: str
    group: str | None
    groups: tuple[str, ...]
    timepoints: tuple[str, ...]
    result: TestResult

    def to_dict(self) -> dict:
        return {"test": self.test, "outcome": self.outcome, "by": self.by, "group": self.group,
                "groups": list(self.groups), "timepoints": list(self.timepoints), **self.result.to_dict()}


def _grouping(frame: pd.DataFrame, kinds: dict[str, str], by: str) -> pd.Series:
    """Each participant's group: the arm, or the first non-missing value of variable ``by``."""
    if by == "arm":
        return frame.groupby("participant", sort=False)["arm"].first().astype(str)
    if by not in kinds:
        raise ThematicaError(f"--by: unknown trial variable {by!r} (known: arm, {', '.join(kinds)})")
    values = frame.groupby("participant", sort=False)[by].first().dropna()
    return values.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v))


def compare(project: Project, test: str, outcome: str, by: str = "arm", at: str | None = None,
            baseline: str | None = None, mu: float | None = None, arms: list[str] | None = None,
            order: list[str] | None = None, versus: str | None = None) -> list[Comparison]:
    """Run ``test`` (one of ``TESTS``; ``quant.stats.comparisons``) on ``outcome``.

    Paired tests (paired, wilcoxon) compare ``baseline`` (default: the first timepoint) with ``at``
    (default: the last) within each group of ``by`` and in everyone — or, with ``versus``, the
    outcome with another variable of the same participants at ``at`` (e.g. the alliance with the
    therapist versus with the team); one-sample compares ``at``
    with ``mu`` per group; the others compare the groups of ``by`` at ``at`` (default: the first
    timepoint at which the outcome is measured). Groups keep their order of first appearance
    (arms: the file's, or ``arms``), or ``order``.
    """
    from thematica.quant.stats import comparisons as tests

    if test not in TESTS:
        raise ThematicaError(f"--test: unknown test {test!r} (choose {', '.join(TESTS)})")
    frame, kinds = load(project)
    frame = choose_arms(frame, arms)
    if outcome not in kinds:
        raise ThematicaError(f"unknown trial variable {outcome!r} (known: {', '.join(kinds)})")
    categorical_test = test in ("chi2", "fisher")
    if not categorical_test and kinds[outcome] not in ("continuous", "binary"):
        raise ThematicaError(f"{outcome!r} is {kinds[outcome]}: the {test} test needs a numeric outcome")
    groups_of = _grouping(frame, kinds, by)
    levels = [str(g) for g in pd.unique(groups_of)]
    if order:
        unknown = [g for g in order if g not in levels]
        if unknown:
            raise ThematicaError(f"--groups: {by} has no level {unknown[0]!r} (levels: {', '.join(levels)})")
        levels = order
    measured = analyses.measured_times(frame, outcome)
    if not measured:
        raise ThematicaError(f"{outcome!r} holds no values")
    wide = frame.pivot_table(index="participant", columns="time", values=outcome, observed=True,
                             aggfunc="first") if not categorical_test else pd.DataFrame()
    if versus is not None and test not in ("paired", "wilcoxon"):
        raise ThematicaError("--versus is for the paired tests (paired, wilcoxon)")
    if versus is not None:
        if versus not in kinds or kinds[versus] not in ("continuous", "binary"):
            raise ThematicaError(f"--versus: {versus!r} is not a numeric trial variable")
        both = frame.dropna(subset=[outcome, versus])
        if both.empty:
            raise ThematicaError(f"{outcome!r} and {versus!r} are never measured together")
        time = _timepoint(frame, at, "--at") if at is not None else both["time"].min()
        rows = frame[frame["time"] == time].set_index("participant")[[outcome, versus]]
        run = tests.paired_t if test == "paired" else tests.wilcoxon
        found = []
        for level in [None, *levels]:
            members = groups_of.index if level is None else groups_of.index[groups_of == level]
            pairs = rows.reindex(members).dropna()
            if len(pairs) >= 3:
                found.append(Comparison(test, f"{outcome} − {versus}", by, level, tuple(levels), (str(time),),
                                        run(pairs[outcome], pairs[versus])))
        return found
    if test in ("paired", "wilcoxon"):
        first = _timepoint(frame, baseline, "--baseline") if baseline is not None else measured[0]
        second = _timepoint(frame, at, "--at") if at is not None else measured[-1]
        for time, option in ((first, "--baseline"), (second, "--at")):
            if time not in measured:
                raise ThematicaError(f"{option}: {outcome!r} is not measured at {time}")
        if first == second:
            raise ThematicaError("a paired test needs two different timepoints (--baseline and --at)")
        run = tests.paired_t if test == "paired" else tests.wilcoxon
        found = []
        for level in [None, *levels]:
            members = groups_of.index if level is None else groups_of.index[groups_of == level]
            pairs = wide.reindex(members)[[first, second]].dropna()
            if len(pairs) < 3:
                continue
            found.append(Comparison(test, outcome, by, level, tuple(levels), (str(first), str(second)),
                                    run(pairs[first], pairs[second])))
        return found
    time = _timepoint(frame, at, "--at") if at is not None else measured[0]
    if time not in measured:
        raise ThematicaError(f"--at: {outcome!r} is not measured at {time}")
    if test == "one-sample":
        if mu is None:
            raise ThematicaError("the one-sample test needs the norm value: --mu X")
        values = wide[time]
        found = []
        for level in [None, *levels]:
            members = groups_of.index if level is None else groups_of.index[groups_of == level]
            present = values.reindex(members).dropna()
            if len(present) >= 2:
                found.append(Comparison(test, outcome, by, level, tuple(levels), (str(time),),
                                        tests.one_sample_t(present, mu)))
        return found
    if len(levels) < 2:
        raise ThematicaError(f"--by {by}: only one group ({', '.join(levels)}); a comparison needs two or more")
    two_only = test in ("student", "welch", "mann-whitney", "fisher")
    if two_only and len(levels) != 2:
        hint = "anova or welch-anova" if test != "fisher" else "chi2"
        raise ThematicaError(f"--by {by} has {len(levels)} groups ({', '.join(levels)}): the {test} test compares "
                             f"two (choose them with --groups A,B, or use {hint})")
    at_time = frame[frame["time"] == time].set_index("participant")[outcome]
    samples = [at_time.reindex(groups_of.index[groups_of == level]).dropna() for level in levels]
    if categorical_test:
        labels = pd.concat(samples).map(lambda v: f"{v:g}" if isinstance(v, float) else str(v)).to_numpy()
        observed = pd.crosstab(pd.Categorical(
            [level for level, sample in zip(levels, samples) for _ in range(len(sample))], categories=levels),
            labels, dropna=False)
        if set(observed.columns) == {"0", "1"}:
            observed = observed[["1", "0"]]  # Fisher's odds ratio: the odds of 1 in the first group vs the second
        if observed.shape[1] < 2:
            raise ThematicaError(f"{outcome!r} takes a single value at {time}: nothing to test")
        if test == "fisher" and observed.shape != (2, 2):
            raise ThematicaError(f"Fisher's exact test needs a 2 × 2 table; {outcome!r} has {observed.shape[1]} "
                                 "levels (use chi2)")
        result = tests.fisher_exact(observed.to_numpy()) if test == "fisher" else tests.chi_square(observed.to_numpy())
    else:
        small = [level for level, sample in zip(levels, samples) if len(sample) < 2]
        if small:
            raise ThematicaError(f"group {small[0]!r} of {by} has fewer than 2 values of {outcome!r} at {time}")
        if test in ("student", "welch"):
            result = tests.two_sample_t(samples[0], samples[1], equal_var=test == "student")
        elif test == "mann-whitney":
            result = tests.mann_whitney(samples[0], samples[1])
        else:
            result = tests.anova(samples, welch=test == "welch-anova")
    return [Comparison(test, outcome, by, None, tuple(levels), (str(time),), result)]


def correlations(project: Project, variables: list[str], at: str | None = None, method: str = "pearson",
                 extremity: bool = False, scales: list[Scale] | None = None, arms: list[str] | None = None,
                 by: str | None = None, extreme: list[str] | None = None) -> list[tuple[str | None, Correlation]]:
    """Every pair of ``variables`` (trial variables or ``scales``: item means) at timepoint ``at``
    (default: the first at which all are measured), Pearson or Spearman with n and the 95% CI.
    ``extremity``: each variable first standardised in the sample, z = (x − M)/SD, and its
    absolute value correlated (the working-alliance study's |z| extremity); ``extreme``: only these
    variables so (the study correlates attachment anxiety with the alliance's |z|). With ``by``: in
    each group as well (``[(group or None, correlation)]``, z within the group analysed)."""
    from thematica.quant.stats.scales import correlate, extremity as absolute_z

    if method not in ("pearson", "spearman"):
        raise ThematicaError(f"--method: {method!r} is not pearson or spearman")
    frame, kinds = load(project)
    frame = choose_arms(frame, arms)
    named = {scale.name: scale for scale in scales or []}
    for scale in named.values():
        unknown = [item for item in scale.items if item not in kinds]
        if unknown:
            raise ThematicaError(f"--scale {scale.name}: unknown item(s) {', '.join(unknown)}")
        frame[scale.name] = frame[scale.items].mean(axis=1, skipna=False)
    if len(variables) < 2:
        raise ThematicaError("a correlation needs two or more variables (--var A --var B)")
    stray = [name for name in extreme or [] if name not in variables]
    if stray:
        raise ThematicaError(f"--extreme {stray[0]!r} is not one of the --var variables")
    for name in variables:
        if name not in kinds and name not in named:
            raise ThematicaError(f"unknown trial variable {name!r} (known: {', '.join(kinds)})")
        if name in kinds and kinds[name] not in ("continuous", "binary"):
            raise ThematicaError(f"{name!r} is {kinds[name]}: a correlation needs numbers")
    if at is not None:
        time = _timepoint(frame, at, "--at")
    else:
        complete = frame.dropna(subset=variables)
        if complete.empty:
            raise ThematicaError(f"{', '.join(variables)} are never measured at the same timepoint (give --at)")
        time = complete["time"].min()
    rows = frame[frame["time"] == time].copy()
    groups: list[str | None] = [None]
    if by is not None:
        membership = _grouping(frame, kinds, by)
        rows["_group"] = rows["participant"].map(membership)
        groups += [str(g) for g in pd.unique(membership)]
    found: list[tuple[str | None, Correlation]] = []
    for group in groups:
        subset = rows if group is None else rows[rows["_group"] == group]
        data = subset[variables].astype(float)
        for name in variables:
            if extremity or name in (extreme or []):
                data[name] = absolute_z(data[name])
        for i, first in enumerate(variables):
            for second in variables[i + 1:]:
                if data[[first, second]].dropna().shape[0] >= 3:
                    found.append((group, correlate(data, first, second, method)))
    if not found:
        raise ThematicaError(f"fewer than 3 participants have {', '.join(variables)} at {time}")
    return found
