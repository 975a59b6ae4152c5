"""Storing trial data in the project (long format) and reading it back as rows.

The store takes and gives plain rows (participants, variables, observations); ``quant/trial_frame``
turns them into the DataFrame the analyses need. Participants are stored in the order given (their
ids give it back); the order of the arms (first appearance) and of the timepoints (numeric, or the
user's ``--time-order``) are project settings ``trial.arms`` and ``trial.timepoints`` (json lists),
so every analysis sees the file's order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from thematica.names import clean_name
from thematica.store.models import Case, ProjectSetting, TrialParticipant, TrialValue, TrialVariable

_ARMS, _TIMES = "trial.arms", "trial.timepoints"


@dataclass(frozen=True)
class ParticipantRow:
    """A participant: id and arm as in the file, and the label of the qualitative case (or None)."""

    participant: str
    arm: str
    case: str | None = None


@dataclass(frozen=True)
class VariableRow:
    """A trial variable: continuous, binary or categorical (with its levels)."""

    name: str
    kind: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueRow:
    """One observation: a number (continuous, binary) or a text (categorical)."""

    participant: str
    time: str
    variable: str
    number: float | None
    text: str | None


@dataclass(frozen=True)
class StoredTrial:
    """The project's trial data as stored: participants in file order, variables in file order,
    observations by participant; arm and timepoint order as kept at import (None before they were)."""

    participants: list[ParticipantRow]
    variables: list[VariableRow]
    values: list[ValueRow]
    arms: list[str] | None
    times: list[str] | None


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


def _keep_order(session: Session, key: str, order: Sequence[str] | None) -> None:
    setting = session.get(ProjectSetting, key)
    if order is None:
        if setting is not None:
            session.delete(setting)
    elif setting is None:
        session.add(ProjectSetting(key=key, value=json.dumps([str(o) for o in order], ensure_ascii=False)))
    else:
        setting.value = json.dumps([str(o) for o in order], ensure_ascii=False)


def replace_trial(session: Session, participants: Sequence[ParticipantRow], variables: Sequence[VariableRow],
                  values: Sequence[ValueRow], arms: Sequence[str] | None = None,
                  times: Sequence[str] | None = None) -> int:
    """Replace the project's trial data by these rows (participants in the given order, each value
    naming its participant and variable); the arm and timepoint order are kept as settings.
    Returns the number of values stored."""
    session.execute(delete(TrialValue))
    session.execute(delete(TrialVariable))
    session.execute(delete(TrialParticipant))
    cases = {case.label: case.id for case in session.scalars(select(Case)).all()}
    _keep_order(session, _ARMS, arms)
    _keep_order(session, _TIMES, times)
    stored_participants: dict[str, TrialParticipant] = {}
    for participant in participants:
        row = TrialParticipant(participant=clean_name(participant.participant, "participant"),
                               arm=clean_name(participant.arm, "group"),
                               case_id=cases.get(participant.case) if participant.case else None)
        session.add(row)
        stored_participants[participant.participant] = row
    stored_variables: dict[str, TrialVariable] = {}
    for position, variable in enumerate(variables):
        stored_variables[variable.name] = TrialVariable(
            name=clean_name(variable.name, "variable"), kind=variable.kind,
            levels=json.dumps(list(variable.levels), ensure_ascii=False), position=position)
        session.add(stored_variables[variable.name])
    session.flush()
    rows = [{"participant_id": stored_participants[value.participant].id, "timepoint": value.time,
             "variable_id": stored_variables[value.variable].id, "number": value.number, "text": value.text}
            for value in values]
    if rows:
        session.connection().execute(insert(TrialValue), rows)
    return len(rows)


def load_trial(session: Session) -> StoredTrial:
    """The stored trial data as rows (observations ordered by participant, then as stored)."""
    variables = {v.id: v for v in session.scalars(select(TrialVariable).order_by(TrialVariable.position)).all()}
    participants = {p.id: p for p in session.scalars(select(TrialParticipant).order_by(TrialParticipant.id)).all()}
    labels = {case.id: case.label for case in session.scalars(select(Case)).all()}
    rows = session.execute(select(TrialValue.participant_id, TrialValue.timepoint, TrialValue.variable_id,
                                  TrialValue.number, TrialValue.text)
                           .order_by(TrialValue.participant_id, TrialValue.id)).all()
    arms, times = trial_order(session)
    return StoredTrial(
        participants=[ParticipantRow(p.participant, p.arm, _label(labels, p.case_id)) for p in participants.values()],
        variables=[VariableRow(v.name, v.kind, tuple(json.loads(v.levels or "[]"))) for v in variables.values()],
        values=[ValueRow(participants[participant_id].participant, time, variables[variable_id].name, number, text)
                for participant_id, time, variable_id, number, text in rows],
        arms=arms, times=times)


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
