"""NNT = 1/RD with Altman's (1998, BMJ 317:1309–12) interval, on the published worked examples."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import norm

from thematica.quant.stats.derived import itt_comparison
from thematica.quant.stats.nnt import number_needed_to_treat
from thematica.quant.stats.trial import ReportBuilder
from thematica.quant.trial_labels import ValueLabels
from thematica.reports.trial_tables import TrialContext, derived_table

Z = float(norm.ppf(0.975))


def test_altman_1998_arr_interval_spanning_zero_gives_nntb_to_infinity_to_nnth():
    """Altman (1998), figures 1–2: ARR 10% (95% CI −5% to 25%) → NNT 10, NNTB 4 to ∞ to NNTH 20."""
    nnt = number_needed_to_treat(0.10, -0.05, 0.25)
    assert nnt.nnt == pytest.approx(10)
    assert nnt.through_infinity
    assert (nnt.benefit_bound, nnt.harm_bound) == (pytest.approx(4), pytest.approx(20))
    # the two reciprocals, kept for json, are not an interval around the NNT
    assert (nnt.ci_low, nnt.ci_high) == (pytest.approx(-20), pytest.approx(4))


def test_an_interval_excluding_zero_inverts_and_exchanges_the_bounds():
    """Barrowman (2002, CMAJ 166:1676) applying Altman: ARR 16.6% (0.9% to 32.2%) → NNT 6 (3.1 to 111.1)."""
    nnt = number_needed_to_treat(0.166, 0.009, 0.322)
    assert round(nnt.nnt) == 6 and not nnt.through_infinity
    assert (round(nnt.ci_low, 1), round(nnt.ci_high, 1)) == (3.1, 111.1)
    assert nnt.benefit_bound is None and nnt.harm_bound is None
    harm = number_needed_to_treat(-0.10, -0.25, -0.05)  # every bound on the harm side: NNT −10 (−20 to −4)
    assert (harm.nnt, harm.ci_low, harm.ci_high) == (pytest.approx(-10), pytest.approx(-20), pytest.approx(-4))
    assert not harm.through_infinity


def test_no_difference_and_a_zero_bound_have_no_finite_number():
    none = number_needed_to_treat(0.0, -0.1, 0.1)
    assert none.nnt is None and none.through_infinity and none.to_dict()["through_infinity"] is True
    edge = number_needed_to_treat(0.1, 0.0, 0.2)  # the interval touches 0: that end is infinite
    assert edge.nnt == pytest.approx(10) and edge.ci_low is None and not edge.through_infinity
    with pytest.raises(ValueError, match="reversed"):
        number_needed_to_treat(0.1, 0.2, 0.0)


def _context(events_first: int, events_second: int, n: int = 100) -> TrialContext:
    rows = [{"participant": f"{arm}{i}", "arm": arm, "time": 12, "remission": float(i < events)}
            for arm, events in (("training", events_first), ("booster", events_second)) for i in range(n)]
    report = ReportBuilder()
    for arm in ("training", "booster"):
        report.add("flow", "", None, "randomised", n, arm)
    itt_comparison(pd.DataFrame(rows), "remission", 12, report)
    return TrialContext(report.build(), ValueLabels(), "en")


def test_the_derived_table_formats_the_nnt_quant_computes():
    """60/100 vs 30/100: RD 0.30, Wald CI 0.30 ± 1.96·√(.6·.4/100 + .3·.7/100) → NNT 3.3 [2.3, 5.9]."""
    table = derived_table(_context(60, 30), "remission")
    itt = table.rows[1].cells[-1]
    half = Z * ((0.6 * 0.4 + 0.3 * 0.7) / 100) ** 0.5
    assert itt == f"3.3\u00a0[{1 / (0.3 + half):.1f},\u00a0{1 / (0.3 - half):.1f}]" == "3.3\u00a0[2.3,\u00a05.9]"
    spanning = derived_table(_context(35, 30), "remission").rows[1].cells[-1]
    nnt = number_needed_to_treat(0.05, 0.05 - Z * ((0.35 * 0.65 + 0.3 * 0.7) / 100) ** 0.5,
                                 0.05 + Z * ((0.35 * 0.65 + 0.3 * 0.7) / 100) ** 0.5)
    assert spanning == (f"20.0 [NNTB\u00a0{nnt.benefit_bound:.1f}\u00a0to\u00a0∞\u00a0to\u00a0NNTH\u00a0"
                        f"{nnt.harm_bound:.1f}]")
