"""Storing trial data in the project (long format) and reading it back as a DataFrame."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thematica.names import clean_name
from thematica.store.models import Case, TrialParticipant, TrialValue, TrialVariable


def replace_trial(session: Session, frame: pd.DataFrame, kinds: dict[str, str], case_column: str | None) -> int:
    """Replace the project's trial data by ``frame`` (participant, arm, time, variables...)."""
    session.execute(delete(TrialValue))
    session.execute(delete(TrialVariable))
    session.execute(delete(TrialParticipant))
    cases = {case.label: case.id for case in session.scalars(select(Case)).all()}
    participants = {}
    for participant, group in frame.groupby("participant", sort=True):
        label = None
        if case_column and case_column in group:
            labels = [str(v) for v in group[case_column].dropna() if str(v).strip() and str(v) != "nan"]
            label = labels[0] if labels else None
        row = TrialParticipant(participant=clean_name(str(participant), "participant"),
                               arm=clean_name(str(group["arm"].iloc[0]), "group"), case_id=cases.get(label))
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
        session.connection().execute(TrialValue.__table__.insert(), values)
    return len(values)


def load_trial(session: Session) -> tuple[pd.DataFrame, dict[str, str]]:
    variables = {v.id: v for v in session.scalars(select(TrialVariable).order_by(TrialVariable.position)).all()}
    participants = {p.id: p for p in session.scalars(select(TrialParticipant)).all()}
    labels = {case.id: case.label for case in session.scalars(select(Case)).all()}
    rows = session.execute(select(TrialValue.participant_id, TrialValue.timepoint, TrialValue.variable_id,
                                  TrialValue.number, TrialValue.text)).all()
    records: dict[tuple[int, str], dict] = {}
    for participant_id, time, variable_id, number, text in rows:
        record = records.setdefault((participant_id, time), {"participant": participants[participant_id].participant,
                                                             "arm": participants[participant_id].arm, "time": time,
                                                             "case": labels.get(participants[participant_id].case_id)})
        record[variables[variable_id].name] = number if text is None else text
    frame = pd.DataFrame(list(records.values()))
    return frame, {v.name: v.kind for v in variables.values()}


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
