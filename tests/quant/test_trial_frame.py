"""The store keeps trial data as rows; quant/trial_frame turns them into the analyses' table and back."""

from __future__ import annotations

import math

from thematica.quant.trial_frame import trial_frame, trial_rows
from thematica.quant.trial_data import read_trial
from thematica.store import trial as trial_store
from thematica.store.trial import ParticipantRow, ValueRow, VariableRow


def test_rows_round_trip_through_the_store_keep_order_kinds_levels_and_the_unmeasured(project, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("id,arm,t,case,x,groep,werk\nZ2,ctl,pre,,1.5,hoog,ja\nZ2,ctl,post,,,laag,\n"
                   "B1,int,pre,R9,2,,nee\nC3,int,post,,,,\nD4,ctl,pre,,,,\n", encoding="utf-8")
    table = read_trial(csv, "id", "arm", "t", time_order=["pre", "post"])
    participants, variables, values = trial_rows(table.frame, table.kinds, "case")
    assert participants == [ParticipantRow("Z2", "ctl"), ParticipantRow("B1", "int", "R9"),
                            ParticipantRow("C3", "int"), ParticipantRow("D4", "ctl")]
    assert variables == [VariableRow("x", "continuous"), VariableRow("groep", "categorical", ("hoog", "laag")),
                         VariableRow("werk", "binary")]
    assert ValueRow("Z2", "post", "groep", None, "laag") in values and len(values) == 6
    with project.transaction() as session:
        assert trial_store.replace_trial(session, participants, variables, values, table.arms, table.times) == 6
    with project.reading() as session:
        stored = trial_store.load_trial(session)
    assert (stored.arms, stored.times) == (["ctl", "int"], ["pre", "post"])
    assert stored.variables == variables and stored.values == values
    assert [p.participant for p in stored.participants] == ["Z2", "B1", "C3", "D4"]
    frame, kinds = trial_frame(stored)
    assert kinds == table.kinds
    # C3 was measured only at 'post' (no values at all) and D4 never: both are kept (intention to treat)
    assert list(zip(frame.participant, frame.time)) == [("Z2", "pre"), ("Z2", "post"), ("B1", "pre"),
                                                        ("C3", "pre"), ("D4", "pre")]
    assert frame.x.iloc[0] == 1.5 and math.isnan(frame.x.iloc[1]) and frame.groep.iloc[1] == "laag"
    assert frame.werk.iloc[0] == 1.0 and frame.werk.iloc[2] == 0.0 and math.isnan(frame.werk.iloc[1])
