"""The case pane's line of trial values: a fixed variable once, whole numbers without decimals."""

from __future__ import annotations

from thematica.reports.case_values import case_value_line
from thematica.tui.widgets.info_panes import trial_line


def test_a_value_that_never_changes_is_shown_once_and_whole_numbers_bare():
    assert case_value_line("age", [("0", 25.0), ("3", 25.0), ("12", 25.0)]) == "age 25"
    assert case_value_line("paid_work", [("0", 1.0), ("24", 0.0)]) == "paid_work t0 1 → t24 0"
    assert case_value_line("scl90", [("0", 1.2), ("3", 1.0), ("12", 0.5)]) == "scl90 t0 1.20 → t3 1.00 → t12 0.50"
    assert case_value_line("bmi", [("0", 22.5), ("3", 22.5)]) == "bmi 22.50"


def test_a_single_measurement_keeps_its_timepoint_and_signs_are_true_minus():
    assert case_value_line("wai1", [("3", 4.0)]) == "wai1 t3 4"
    assert case_value_line("change", [("pre", -0.5), ("post", -0.001)]) == "change pre \u22120.50 → post 0.00"
    assert case_value_line("delta", [(0.0, -2.0), (3.0, 1.0)]) == "delta t0 \u22122 → t3 1"
    assert case_value_line("x", []) == "x"


def test_the_case_pane_uses_it():
    assert trial_line("age", [("0", 25.0), ("3", 25.0)]) == "age 25"
