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
                 actor: str = "system") -> TrialImport:
    table = read_trial(Path(path), id_column, arm_column, time_column, case_column, ranges)
    with project.transaction() as session:
        stored = trial_store.replace_trial(session, table.frame, table.kinds, case_column)
        linked = len(trial_store.participants_by_case(session))
        audit.record(session, actor, "trial.import", "trial", None, file=str(path), values=stored)
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


def load(project: Project) -> tuple[pd.DataFrame, dict[str, str]]:
    with project.reading() as session:
        frame, kinds = trial_store.load_trial(session)
    if frame.empty:
        raise ThematicaError("no trial data in this project (import it with 'thematica trial import')")
    times = sorted(frame["time"].unique(), key=_time_key)
    frame["time"] = pd.Categorical(frame["time"], categories=times, ordered=True)
    return frame.sort_values(["participant", "time"]).reset_index(drop=True), kinds


def _time_key(value):
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, str(value))


def analyze(project: Project, outcomes: list[str] | None = None, covariates: list[str] | None = None,
            hedges: bool = False) -> analyses.Report:
    frame, kinds = load(project)
    report = analyses.Report()
    unknown = [name for name in (outcomes or []) + (covariates or []) if name not in kinds]
    if unknown:
        raise ThematicaError(f"unknown trial variable(s): {', '.join(unknown)} (known: {', '.join(kinds)})")
    chosen = outcomes or [name for name, kind in kinds.items() if kind in ("continuous", "binary")]
    baseline = frame["time"].cat.categories[0]
    analyses.baseline_table(frame, {n: kinds[n] for n in kinds}, baseline, report)
    for outcome in chosen:
        if kinds[outcome] == "continuous":
            analyses.continuous_outcome(frame, outcome, report, hedges)
        elif kinds[outcome] == "binary":
            analyses.binary_outcome(frame, outcome, report, covariates)
    return report


def outcome_groups(project: Project, by: str) -> dict[str, str]:
    """``{case label: group}`` — by arm, or by the first non-missing value of a trial variable."""
    frame, kinds = load(project)
    linked = frame.dropna(subset=["case"])
    if by == "arm":
        return dict(zip(linked["case"], linked["arm"]))
    if by not in kinds:
        raise ThematicaError(f"unknown trial variable {by!r} for grouping")
    groups = {}
    for case, group in linked.groupby("case"):
        values = group[by].dropna()
        if len(values):
            groups[case] = str(values.iloc[-1])
    return groups
