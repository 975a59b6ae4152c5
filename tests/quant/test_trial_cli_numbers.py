"""The trial CLI tables print their numbers through ``reports.numbers`` (true minus, APA p), and the
figures agree with scipy's t-test from summary statistics."""

from __future__ import annotations

from scipy import stats

from thematica.reports import numbers


def test_summary_t_table_prints_scipys_t_and_p_with_a_true_minus(run_cli):
    result = run_cli("trial", "summary-t", "--group", "1.28,0.57,64", "--group", "1.50,0.60,60", columns=220)
    assert result.returncode == 0, result.stderr
    student = stats.ttest_ind_from_stats(1.28, 0.57, 64, 1.50, 0.60, 60, equal_var=True)
    welch = stats.ttest_ind_from_stats(1.28, 0.57, 64, 1.50, 0.60, 60, equal_var=False)
    assert student.statistic < 0
    assert f"= {numbers.number(float(student.statistic))} (122)" in result.stdout
    assert numbers.number(float(welch.statistic)) in result.stdout
    assert numbers.p_value(float(student.pvalue)) in result.stdout
    assert "-0." not in result.stdout
