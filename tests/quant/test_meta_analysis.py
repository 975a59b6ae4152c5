"""Pairwise meta-analysis against a published worked example and statsmodels called directly.

The BCG vaccine trials (Colditz et al. 1994; metafor's dat.bcg): log risk ratios, random effects.
Published (Viechtbauer 2010, J Stat Softw 36(3), and the metafor documentation): REML τ² = 0.3132,
pooled log RR −0.7145 (RR 0.489); DL τ² = 0.3088, pooled log RR −0.7141; Q = 152.23 on 12 df.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from thematica.errors import ThematicaError
from thematica.quant.meta.effects import binary_effect, continuous_effect
from thematica.quant.meta.pooling import pool
from thematica.quant.meta_analysis import analyse

BCG = Path(__file__).resolve().parents[2] / "corpora" / "meta" / "bcg.csv"


def test_bcg_reml_and_dl_match_the_published_values():
    reml = analyse(BCG, "RR", "REML")
    assert reml.pooled.tau2 == pytest.approx(0.3132, abs=5e-4)
    assert reml.pooled.estimate == pytest.approx(-0.7145, abs=5e-4)
    assert reml.pooled.q == pytest.approx(152.23, abs=0.01) and reml.pooled.q_df == 12
    dl = analyse(BCG, "RR", "DL")
    assert dl.pooled.tau2 == pytest.approx(0.3088, abs=5e-4)
    assert dl.pooled.estimate == pytest.approx(-0.7141, abs=5e-4)
    assert dl.to_dict()["estimate"] == pytest.approx(math.exp(-0.7141), abs=5e-4)


def test_fixed_effect_dl_and_hartung_knapp_equal_statsmodels():
    data = analyse(BCG, "RR", "DL").effects.effects
    y, v = np.array([e.estimate for e in data]), np.array([e.variance for e in data])
    reference = combine_effects(y, v, method_re="chi2", use_t=False)
    fixed, dl = pool(y, v, "FE"), pool(y, v, "DL")
    assert fixed.estimate == pytest.approx(reference.mean_effect_fe) and dl.estimate == pytest.approx(reference.mean_effect_re)
    assert dl.tau2 == pytest.approx(reference.tau2)
    assert (dl.ci_low, dl.ci_high) == pytest.approx(tuple(reference.conf_int(use_t=False)[1]))
    hk = pool(y, v, "DL", hartung_knapp=True)
    assert (hk.ci_low, hk.ci_high) == pytest.approx(tuple(reference.conf_int(use_t=True)[3]))


def test_prediction_interval_formula():
    y, v = [0.1, 0.3, 0.5, 0.2], [0.04, 0.02, 0.05, 0.03]
    result = pool(y, v, "DL")
    from scipy import stats

    half = stats.t.ppf(0.975, 2) * math.sqrt(result.tau2 + result.se ** 2)
    assert (result.pi_low, result.pi_high) == pytest.approx((result.estimate - half, result.estimate + half))


def test_effect_sizes_by_hand():
    rr = binary_effect("RR", "s", 10, 100, 20, 100)
    assert rr.estimate == pytest.approx(math.log(0.5)) and rr.variance == pytest.approx(1 / 10 - 1 / 100 + 1 / 20 - 1 / 100)
    odds = binary_effect("OR", "s", 0, 50, 5, 50)  # zero cell: 0.5 added to every cell
    assert odds.corrected and odds.estimate == pytest.approx(math.log((0.5 * 45.5) / (50.5 * 5.5)))
    assert binary_effect("RR", "s", 0, 50, 0, 50) is None  # double zero carries no information
    g = continuous_effect("SMD", "s", 10, 2, 20, 9, 2, 20)
    assert g.estimate == pytest.approx((1 - 3 / (4 * 40 - 9)) * 0.5)


def test_subgroups_leave_one_out_and_egger():
    result = analyse(BCG, "RR", "REML", subgroup="allocation")
    assert set(result.subgroups) == {"alternate", "random", "systematic"}
    q, df, p = result.subgroup_q
    assert df == 2 and 0 <= p <= 1
    assert len(result.leave_one_out) == 13
    assert result.egger is not None and result.to_dict()["egger"]["p"] == pytest.approx(result.egger.p)


def test_json_contract_and_small_cases(tmp_path, run_cli):
    out = run_cli("meta", str(BCG), "--measure", "RR", "--format", "json", "--forest", str(tmp_path / "forest.png"))
    data = json.loads(out.stdout)
    assert {"k", "measure", "method", "estimate", "ci_low", "ci_high", "tau2", "i2", "q", "q_p", "pi_low",
            "pi_high"} <= set(data)
    assert (tmp_path / "forest.png").stat().st_size > 10_000
    two = tmp_path / "two.csv"
    two.write_text("study,events_t,n_t,events_c,n_c\nA,5,50,10,50\nB,0,40,4,40\n")
    result = analyse(two, "OR", "DL")
    assert result.pooled.k == 2 and result.pooled.pi_low is None
    assert any("k = 2" in note for note in result.notes) and any("continuity correction" in note for note in result.notes)
    one = tmp_path / "one.csv"
    one.write_text("study,estimate,se\nA,0.8,0.1\n")
    single = analyse(one, "RR", "REML")
    assert single.pooled.k == 1 and single.to_dict()["estimate"] == pytest.approx(0.8)


@pytest.mark.parametrize(("content", "reason"), [
    ("study,events_t,n_t\nA,1,10\n", "missing columns"),
    ("study,events_t,n_t,events_c,n_c\nA,-1,10,2,10\n", "row 2: events_t must be at least 0"),
    ("study,events_t,n_t,events_c,n_c\nA,12,10,2,10\n", "more events than participants"),
    ("study,events_t,n_t,events_c,n_c\nA,x,10,2,10\n", "not a number"),
    ("study,events_t,n_t,events_c,n_c\n", "no studies"),
])
def test_malformed_files_give_clear_errors(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ThematicaError, match=reason):
        analyse(path, "RR", "REML")
