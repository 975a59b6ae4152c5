"""Storing trial data in the project (long format) and reading it back as a DataFrame.

Participants are stored in the file's order (their ids give it back); the order of the arms (first
appearance) and of the timepoints (numeric, or the user's ``--time-order``) are project settings
``trial.arms`` and ``trial.timepoints`` (json lists), so every analysis sees the file's order.
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from thematica.names import clean_name
from thematica.store.models import Case, ProjectSetting, TrialParticipant, TrialValue, TrialVariable

_ARMS, _TIMES = "trial.arms", "trial.timepoints"


def trial_size(session: Session) -> tuple[int, int]:
    """(participants, values) of the project's trial data; (0, 0) when it has none."""
    participants = session.scalar(select(func.count()).select_from(TrialParticipant)) or 0
    values = session.scalar(select(func.count()).select_from(TrialValue)) or 0
    return int(participants), int(values)


def trial_order(session: Session) -> tuple[list[str] | None, list[str] | None]:
    """The stored order of the arms and of the timepoints (None for data imported before they were kept)."""
    found = {row.key: json.loads(row.value) for row in session.scalars(
        select(ProjectSetting).where(ProjectSetting.key.in_([_ARMS, _TIMES]))).all()}
    return found.get(_ARMS), found.get(_TIMES)


def replace_trial(session: Session, frame: pd.DataFrame, kinds: dict[str, str], case_column: str | None,
                  arms: list[str] | None = None, times: list[str] | None = None) -> int:
    """Replace the project's trial data by ``frame`` (participant, arm, time, variables...), keeping
    the participants in frame order and the arm and timepoint order as settings."""
    session.execute(delete(TrialValue))
    session.execute(delete(TrialVariable))
    session.execute(delete(TrialParticipant))
    cases = {case.label: case.id for case in session.scalars(select(Case)).all()}
    participants = {}
    for key, order in ((_ARMS, arms), (_TIMES, times)):
        setting = session.get(ProjectSetting, key)
        if order is None:
            if setting is not None:
                session.delete(setting)
        elif setting is None:
            session.add(ProjectSetting(key=key, value=json.dumps([str(o) for o in order], ensure_ascii=False)))
        else:
            setting.value = json.dumps([str(o) for o in order], ensure_ascii=False)
    for participant, group in frame.groupby("participant", sort=False):
        label = None
        if case_column and case_column in group:
            labels = [str(v) for v in group[case_column].dropna() if str(v).strip() and str(v) != "nan"]
            label = labels[0] if labels else None
        row = TrialParticipant(participant=clean_name(str(participant), "participant"),
                               arm=clean_name(str(group["arm"].iloc[0]), "group"),
                               case_id=cases.get(label) if label else None)
        session.add(row)
        participants[participant] = row
    variables = {}
    for position, (name, kind) in enumerate(kinds.items()):
        levels = sorted({str(v) for v in frame[name].dropna()}) if kind == "categorical" else []
        variables[name] = TrialVariable(name=clean_name(str(name), "variable"), kind=kind, levels=json.dumps(levels, ensure_ascii=False),
                                        position=position)
        session.add(variables[name])
    session.flush()
    values = []
    for record in frame.to_dict("records"):
        for name, kind in kinds.items():
            value = record.get(name)
            if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("", "nan"):
                continue
            number = float(value) if kind != "categorical" else None
            values.append({"participant_id": participants[record["participant"]].id, "timepoint": str(record["time"]),
                           "variable_id": variables[name].id, "number": number,
                           "text": None if kind != "categorical" else str(value)})
    if values:
        session.connection().execute(insert(TrialValue), values)
    return len(values)


def load_trial(session: Session) -> tuple[pd.DataFrame, dict[str, str]]:
    variables = {v.id: v for v in session.scalars(select(TrialVariable).order_by(TrialVariable.position)).all()}
    participants = {p.id: p for p in session.scalars(select(TrialParticipant).order_by(TrialParticipant.id)).all()}
    labels = {case.id: case.label for case in session.scalars(select(Case)).all()}
    rows = session.execute(select(TrialValue.participant_id, TrialValue.timepoint, TrialValue.variable_id,
                                  TrialValue.number, TrialValue.text).order_by(TrialValue.participant_id)).all()
    records: dict[tuple[int, str], dict] = {}
    for participant_id, time, variable_id, number, text in rows:
        record = records.setdefault((participant_id, time), {"participant": participants[participant_id].participant,
                                                             "arm": participants[participant_id].arm, "time": time,
                                                             "case": _label(labels, participants[participant_id].case_id)})
        record[variables[variable_id].name] = number if text is None else text
    if participants:  # a randomised participant without any value still counts (intention to treat)
        _, times = trial_order(session)
        first = times[0] if times else min((time for _, time in records), default="0")
        seen = {participant_id for participant_id, _ in records}
        for participant_id, participant in participants.items():
            if participant_id not in seen:
                records[(participant_id, first)] = {"participant": participant.participant, "arm": participant.arm,
                                                    "time": first, "case": _label(labels, participant.case_id)}
    ordered = sorted(records.items(), key=lambda item: item[0][0])  # participants in file order
    frame = pd.DataFrame([record for _, record in ordered], columns=["participant", "arm", "time", "case",
                                                                     *[v.name for v in variables.values()]])
    return frame, {v.name: v.kind for v in variables.values()}


def _label(labels: dict[int, str], case_id: int | None) -> str | None:
    return labels.get(case_id) if case_id is not None else None


def link_cases(session: Session, mapping: dict[str, str]) -> int:
    """Link participants to cases: ``{participant id: case label}``; returns how many were linked."""
    cases = {case.label: case.id for case in session.scalars(select(Case)).all()}
    linked = 0
    for participant in session.scalars(select(TrialParticipant)).all():
        label = mapping.get(participant.participant)
        if label in cases:
            participant.case_id = cases[label]
            linked += 1
    return linked


def participants_by_case(session: Session) -> dict[str, tuple[str, str]]:
    """``{case label: (participant, arm)}`` for linked participants."""
    labels = {case.id: case.label for case in session.scalars(select(Case)).all()}
    return {labels[p.case_id]: (p.participant, p.arm) for p in session.scalars(select(TrialParticipant)).all()
            if p.case_id in labels}
