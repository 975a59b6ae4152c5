"""More than two coders: Fleiss' kappa (statsmodels) on a units × categories count table.

Fleiss (1971): P̄ = mean over units of Σ_j n_ij(n_ij − 1) / (n(n − 1)), P̄_e = Σ_j p_j²,
κ = (P̄ − P̄_e) / (1 − P̄_e). Requires the same number of ratings per unit.
"""

from __future__ import annotations

import math

import numpy as np


def fleiss_kappa(counts) -> tuple[float | None, str | None]:
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    table = np.asarray(counts, dtype=float)
    if table.size == 0:
        return None, "no units"
    if len(set(table.sum(axis=1))) != 1:
        return None, "units have different numbers of ratings"
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(statsmodels_fleiss(table, method="fleiss"))
    if math.isnan(value):
        return None, "no variation: expected agreement is 1"
    return value, None


def presence_counts(presence) -> np.ndarray:
    """coders × units boolean presence -> units × [absent, present] counts for Fleiss' kappa."""
    matrix = np.asarray(presence, dtype=bool)
    present = matrix.sum(axis=0)
    return np.column_stack([matrix.shape[0] - present, present])
