"""Between the store's trial rows and the long DataFrame the trial analyses use.

``trial_rows`` turns an imported table (participant, arm, time, variables...) into the rows
``store.trial.replace_trial`` keeps; ``trial_frame`` turns the stored rows back into the table:
one row per participant × timepoint with a value, participants in file order, and a participant
randomised but never measured still present at the first timepoint (intention to treat).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from thematica.store.trial import ParticipantRow, StoredTrial, ValueRow, VariableRow


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and bool(pd.isna(value))) or str(value) in ("", "nan")


def trial_rows(frame: pd.DataFrame, kinds: dict[str, str],
               case_column: str | None) -> tuple[list[ParticipantRow], list[VariableRow], list[ValueRow]]:
    """Participants (frame order; arm and case label from their first row that has one), variables
    (``kinds`` order; the sorted levels of a categorical one) and every non-missing value."""
    participants = []
    for participant, group in frame.groupby("participant", sort=False):
        label = None
        if case_column and case_column in group:
            labels = [str(v) for v in group[case_column].dropna() if str(v).strip() and str(v) != "nan"]
            label = labels[0] if labels else None
        participants.append(ParticipantRow(str(participant), str(group["arm"].iloc[0]), label))
    variables = [VariableRow(str(name), kind,
                             tuple(sorted({str(v) for v in frame[name].dropna()})) if kind == "categorical" else ())
                 for name, kind in kinds.items()]
    values = []
    for record in frame.to_dict("records"):
        for name, kind in kinds.items():
            value = record.get(name)
            if value is None or _missing(value):  # None first: it tells mypy the value is present
                continue
            categorical = kind == "categorical"
            values.append(ValueRow(str(record["participant"]), str(record["time"]), str(name),
                                   None if categorical else float(value), str(value) if categorical else None))
    return participants, variables, values


def trial_frame(stored: StoredTrial) -> tuple[pd.DataFrame, dict[str, str]]:
    """The stored rows as a long table (participant, arm, time, case, variables...) and the kinds;
    time is left as the stored text (``quant.trial_service.stored_trial`` orders it)."""
    position = {row.participant: index for index, row in enumerate(stored.participants)}
    by_name = {row.participant: row for row in stored.participants}
    records: dict[tuple[int, str], dict[str, Any]] = {}
    for value in stored.values:
        participant = by_name[value.participant]
        record = records.setdefault((position[value.participant], value.time),
                                    {"participant": participant.participant, "arm": participant.arm,
                                     "time": value.time, "case": participant.case})
        record[value.variable] = value.number if value.text is None else value.text
    if stored.participants:
        first = stored.times[0] if stored.times else min((time for _, time in records), default="0")
        seen = {index for index, _ in records}
        for index, participant in enumerate(stored.participants):
            if index not in seen:
                records[(index, first)] = {"participant": participant.participant, "arm": participant.arm,
                                           "time": first, "case": participant.case}
    ordered = sorted(records.items(), key=lambda item: item[0][0])  # participants in file order
    columns = ["participant", "arm", "time", "case", *[variable.name for variable in stored.variables]]
    frame = pd.DataFrame([record for _, record in ordered], columns=columns)
    return frame, {variable.name: variable.kind for variable in stored.variables}
