"""The bottom layer's 2×2 statistics against scikit-learn and krippendorff, and its thresholds and quantiles."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score

from thematica.coding.consensus.passages import Passage
from thematica.coding.consensus.summary import code_summaries
from thematica.maths.normal import Z95, z_two_sided
from thematica.maths.thresholds import RELIABLE, TENTATIVE, Reliability, reliability
from thematica.maths.two_by_two import TwoByTwo, table_from_presence
from thematica.vocabulary import DisagreementKind

pairs = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=60)


@settings(max_examples=150, deadline=None)
@given(pairs)
def test_kappa_and_alpha_equal_the_libraries(values):
    a, b = [x for x, _ in values], [y for _, y in values]
    table = table_from_presence(a, b)
    assert table.n == len(values)
    kappa, _ = table.kappa()
    if kappa is None:
        assert len(set(a)) == 1 and set(a) == set(b)  # undefined only when both coders are the same constant
    else:
        assert kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    closed, _ = table.binary_alpha()
    if closed is not None:
        expected = krippendorff.alpha(reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal")
        assert closed == pytest.approx(expected, abs=1e-12)


def test_thresholds_and_quantiles():
    assert (TENTATIVE, RELIABLE) == (0.667, 0.800)
    assert [reliability(v) for v in (0.5, 0.667, 0.79, 0.8)] == [Reliability.LOW, Reliability.TENTATIVE,
                                                                 Reliability.TENTATIVE, Reliability.RELIABLE]
    assert Z95 == pytest.approx(1.959963984540054, abs=1e-12)
    assert z_two_sided(0.90) == pytest.approx(norm.ppf(0.95))


def test_consensus_summary_uses_the_same_table_as_scikit_learn():
    rng = np.random.default_rng(7)
    passages = [Passage("R1", 10 * i, 10 * i + 5, None,
                        tuple(c for c in ("Groep", "Steun") if rng.random() < 0.5),
                        tuple(c for c in ("Groep", "Steun", "Ë") if rng.random() < 0.4), DisagreementKind.BOUNDARY)
                for i in range(40)]
    summaries = {row.code: row for row in code_summaries(passages)}
    for code, row in summaries.items():
        a = [code in p.codes_a for p in passages]
        b = [code in p.codes_b for p in passages]
        assert (row.both, row.a_only, row.b_only, row.neither) == (
            sum(x and y for x, y in zip(a, b)), sum(x and not y for x, y in zip(a, b)),
            sum(y and not x for x, y in zip(a, b)), sum(not x and not y for x, y in zip(a, b)))
        if len(set(a)) > 1 or len(set(b)) > 1:
            assert row.kappa == pytest.approx(cohen_kappa_score(a, b))
    ordered = [row.code for row in code_summaries(passages)]
    kappas = [summaries[c].kappa for c in ordered]
    assert kappas == sorted(kappas, key=lambda k: -math.inf if k is None else k)
