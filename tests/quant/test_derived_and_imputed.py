"""Derived outcomes with ITT and completers' denominators, and multiple imputation pooled by
Rubin's rules: against statsmodels' Table2x2, direct counts and the pooling formulas."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table2x2

from thematica.errors import ThematicaError
from thematica.quant.stats.derived import parse_derivation
from thematica.quant.stats.effect_sizes import from_samples
from thematica.quant.stats.imputation import rubin
from thematica.quant.trial_service import analyze, import_trial

TRIAL = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "trial.csv"


def _values(report, analysis, outcome, time):
    return {(r.statistic, r.group): r.value for r in report.results
            if (r.analysis, r.outcome, r.timepoint) == (analysis, outcome, time)}


@pytest.fixture
def demo(project):
    import_trial(project, TRIAL, "participant", "arm", "time")
    return project


def test_derivations_parse_or_say_why():
    derivation = parse_derivation("remission = caps5 < 20 @ 12")
    assert (derivation.name, derivation.variable, derivation.op, derivation.threshold, derivation.time) == (
        "remission", "caps5", "<", 20.0, "12")
    assert parse_derivation("herstel=scl90<=0,5").threshold == 0.5
    for bad in ("remission caps5 < 20", "remission = caps5 ~ 20", "= caps5 < 20", "remission = caps5 < twintig"):
        with pytest.raises(ValueError, match="NAME = VARIABLE OP NUMBER"):
            parse_derivation(bad)


def test_remission_with_itt_and_completers_denominators(demo):
    report = analyze(demo, ["scl90"], derive=["remission = scl90 < 0.5 @ 24"])
    frame = pd.read_csv(TRIAL)
    at = frame[frame.time == 24]
    for denominator in ("itt", "completers"):
        values = _values(report, f"derived_{denominator}", "remission", "24")
        cells = []
        for arm in ("training", "booster"):
            measured = at[at.arm == arm].scl90.dropna()
            events = int((measured < 0.5).sum())
            total = 64 if denominator == "itt" else len(measured)
            assert (values[("events", arm)], values[("n", arm)]) == (events, total)
            cells.append([events, total - events])
        table = Table2x2(np.array(cells))
        assert values[("odds_ratio", "training vs booster")] == pytest.approx(table.oddsratio)
        assert (values[("or_ci_low", "training vs booster")], values[("or_ci_high", "training vs booster")]) == \
            pytest.approx(table.oddsratio_confint())
        assert values[("chi2_p", None)] == pytest.approx(stats.chi2_contingency(np.array(cells), correction=False)[1])
        (e1, f1), (e2, f2) = cells
        difference = e1 / (e1 + f1) - e2 / (e2 + f2)
        assert values[("risk_difference", "training − booster")] == pytest.approx(difference)
        assert values[("nnt", "training − booster")] == pytest.approx(1 / difference)


def test_bad_derivations_are_user_errors(demo):
    for expression, message in (("remission = caps5 < 20", "unknown variable 'caps5'"),
                                ("remission = scl90 < 0.5 @ 36", "--derive: no timepoint '36'"),
                                ("remission = sex < 1", "categorical"), ("scl90 = scl90 < 1", "taken"),
                                ("remissie scl90 < 1", "NAME = VARIABLE OP NUMBER")):
        with pytest.raises(ThematicaError, match=message):
            analyze(demo, ["scl90"], derive=[expression])


def test_rubins_rules():
    estimates, variances = [0.31, 0.27, 0.35, 0.22, 0.30], [0.010, 0.012, 0.011, 0.009, 0.010]
    pooled = rubin(estimates, variances, complete_df=98)
    m, within, between = 5, np.mean(variances), np.var(estimates, ddof=1)
    total = within + (1 + 1 / m) * between
    gamma = (1 + 1 / m) * between / total
    old = (m - 1) / gamma ** 2
    observed = 99 / 101 * 98 * (1 - gamma)
    df = 1 / (1 / old + 1 / observed)
    assert (pooled.estimate, pooled.total, pooled.df, pooled.fmi) == pytest.approx((np.mean(estimates), total, df, gamma))
    assert pooled.ci_high - pooled.estimate == pytest.approx(stats.t.ppf(0.975, df) * math.sqrt(total))
    same = rubin([0.3] * 20, [0.01] * 20, complete_df=50)  # no between-imputation variance: ν_obs at γ = 0
    assert (same.df, same.ci_low) == pytest.approx((51 / 53 * 50, 0.3 - stats.t.ppf(0.975, 51 / 53 * 50) * 0.1))


def test_mice_pools_d_and_difference_and_is_seeded(demo):
    report = analyze(demo, ["scl90"], impute="mice", seed=5)
    frame = pd.read_csv(TRIAL)
    at = frame[frame.time == 0]  # nobody missing at baseline: every imputation gives the observed d
    a, b = at[at.arm == "training"].scl90, at[at.arm == "booster"].scl90
    values = _values(report, "imputed", "scl90", "0")
    assert values[("d", "training − booster")] == pytest.approx(from_samples(a, b).d)
    assert values[("difference", "training − booster")] == pytest.approx(a.mean() - b.mean())
    assert values[("d_fmi", "training − booster")] == pytest.approx(0, abs=1e-12)
    later = _values(report, "imputed", "scl90", "24")
    assert later[("d_fmi", "training − booster")] > 0
    assert abs(later[("d", "training − booster")] - 0.10) < 0.15  # near the observed-data d at 24 months
    again = analyze(demo, ["scl90"], impute="mice", seed=5)
    assert _values(again, "imputed", "scl90", "24") == later
    with pytest.raises(ThematicaError, match="at least 20"):
        analyze(demo, ["scl90"], impute="mice", imputations=5)
