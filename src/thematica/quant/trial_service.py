"""The trial module as a service: import, link to cases, analyse, plot, joint display with themes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from thematica.errors import ThematicaError
from thematica.quant.stats import trial as analyses
from thematica.quant.trial_data import read_trial
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
                 replace: bool = False) -> TrialImport:
    """Import trial data; a project that already holds trial data is left alone unless ``replace``."""
    table = read_trial(Path(path), id_column, arm_column, time_column, case_column, ranges, time_order, wide)
    with project.transaction() as session:
        participants, values = trial_store.trial_size(session)
        if participants and not replace:
            raise ThematicaError(f"the project already holds trial data ({participants} participants, {values} "
                                 "values): import with --replace to replace them", path=str(path))
        stored = trial_store.replace_trial(session, table.frame, table.kinds, case_column, table.arms, table.times)
        linked = len(trial_store.participants_by_case(session))
        audit.record(session, actor, "trial.import", "trial", None, file=str(path), values=stored,
                     replaced=participants)
    frame = table.frame
    return TrialImport(frame["participant"].nunique(), list(frame["time"].cat.categories), stored, table.kinds,
                       table.checks, linked)


def link_trial(project: Project, case_column: str = "case", actor: str = "system") -> int:
    """Link participants to the qualitative cases named in a column of the trial data."""
    with project.transaction() as session:
        frame, kinds = trial_store.load_trial(session)
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
        frame, kinds = trial_store.load_trial(session)
        arms, times = trial_store.trial_order(session)
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
            baseline: str | None = None, at: list[str] | None = None, within: str = "d_av") -> analyses.Report:
    """Table 1, CONSORT flow, outcomes (default: every variable measured at two or more
    timepoints), attendance and scales; see ``quant.stats.trial`` for each analysis. ``arms``
    chooses and orders the arms (default: first appearance in the file); ``baseline`` and ``at``
    the timepoints of the within-group d, the adjusted OR and McNemar (default: first → last)."""
    from thematica.quant.stats.effect_sizes import WITHIN_FORMULAS

    frame, kinds = load(project)
    frame = choose_arms(frame, arms)
    if within not in WITHIN_FORMULAS:
        raise ThematicaError(f"--d: unknown formula {within!r} (choose {', '.join(WITHIN_FORMULAS)})")
    report = analyses.Report(options={"within_d": within})
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
    chosen = outcomes or time_varying(frame, kinds)
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
    if attendance:
        analyses.attendance(frame, attendance[0], attendance[1], report)
    for scale in scales or []:
        time = _timepoint(frame, scale.time) if scale.time is not None else _first_measured(frame, scale.items)
        analyses.scale_analysis(frame, scale.name, scale.items, time, correlates or [], report)
    return report


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
    values: dict[str, str]  # case -> the outcome values behind the group, for the joint display


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
        case_of = linked.drop_duplicates("participant").set_index("participant")["case"]
        groups, values = {}, {}
        for participant, row in change.iterrows():
            if participant in case_of.index:
                case = case_of[participant]
                groups[case] = row["group"]
                values[case] = f"{by} {row['pre']:.2f}→{row['post']:.2f}, RCI {row['rci']:.2f}"
        return OutcomeGroups(f"reliable change in {by}", groups, values)
    groups, values = {}, {}
    for case, group in linked.groupby("case"):
        present = group[by].dropna()
        if len(present):
            last = present.iloc[-1]
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
