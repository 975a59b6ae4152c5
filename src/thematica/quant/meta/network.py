"""Frequentist network meta-analysis, contrast-based (multivariate), multi-arm trials included.

Arm-level data become, per study, the contrasts of every arm against the study's first arm, with
their covariance: arms share the baseline, so Cov(y_k, y_l) = var(baseline arm). The consistency
model y = Xβ + ε (β = each treatment against the reference) is fitted by generalised least squares,
β̂ = (XᵀWX)⁻¹XᵀWy with W the inverse of the block-diagonal covariance. Random effects add τ²·P to
each study block, P = ½(I + J) (equal heterogeneity on every contrast), and τ² is the
method-of-moments (generalised DerSimonian–Laird) estimate of Jackson, White & Riley (2012):
τ² = max(0, (Q − df)/tr(MP)), M = W − WX(XᵀWX)⁻¹XᵀW, which reduces to DL for a single comparison —
the same estimator R's netmeta uses. Q splits into within-design heterogeneity (each design fitted
on its own) and between-design inconsistency (the design-by-treatment decomposition).
Ranking by P-scores (Rücker & Schwarzer 2015): Pᵢ = mean over j ≠ i of Φ((θ̂ᵢ − θ̂ⱼ)/se) for
'larger is better', with the sign flipped when smaller is better.

Arm-level variances: log odds v = 1/e + 1/(n − e); log risk v = 1/e − 1/n (0.5 added to the
events and 1 to n of every arm of a study with a zero arm); mean v = sd²/n. SMD contrasts use the
study's pooled SD (Hedges' g) and the baseline's 1/n as covariance (an approximation, stated).
Contrast-level data (netmeta's study, treat1, treat2, TE, seTE) enter the same model through
``study_from_contrasts``. Checked against netmeta on Senn et al. (2013) and the smoking-cessation
network (tests/quant/test_network.py): estimates, standard errors, τ², Q and its design
decomposition, and P-scores agree to 10 decimals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace

import networkx as nx
import numpy as np
from scipy import stats

from thematica.maths.normal import Z95, z_two_sided


@dataclass(frozen=True)
class Arm:
    study: str
    treatment: str
    events: float | None = None
    n: float | None = None
    mean: float | None = None
    sd: float | None = None

    def count(self, field: str) -> float:
        """The field the measure needs (the file reader has checked that it is given)."""
        value = getattr(self, field)
        if value is None:
            raise ValueError(f"{self.study}, {self.treatment}: no {field}")
        return float(value)


@dataclass(frozen=True)
class Contrast:
    """One row of contrast-level data: ``first`` versus ``second`` on the analysis scale (log for OR/RR)."""

    study: str
    first: str
    second: str
    estimate: float
    se: float


@dataclass
class StudyContrasts:
    study: str
    treatments: list[str]
    y: np.ndarray
    covariance: np.ndarray


@dataclass(frozen=True)
class NetworkResult:
    measure: str
    reference: str
    treatments: list[str]
    random: bool
    estimates: dict[str, float]
    se: dict[str, float]
    covariance: np.ndarray
    tau2: float
    q_total: float
    df_total: int
    q_within: float
    df_within: int
    q_between: float
    df_between: int
    p_scores: dict[str, float]
    comparisons: dict[frozenset, int]
    notes: list[str] = field(default_factory=list)
    studies: list[StudyContrasts] = field(default_factory=list)  # the data behind the fit, for node-splitting

    def contrast(self, first: str, second: str) -> tuple[float, float]:
        """Estimate and se of ``first`` versus ``second``."""
        index = {t: i for i, t in enumerate(self.treatments)}
        vector = np.zeros(len(self.treatments))
        vector[index[first]] += 1
        vector[index[second]] -= 1
        return float(vector @ self.full_estimates), float(math.sqrt(max(0.0, vector @ self.full_covariance @ vector)))

    @property
    def full_estimates(self) -> np.ndarray:
        return np.array([self.estimates.get(t, 0.0) for t in self.treatments])

    @property
    def full_covariance(self) -> np.ndarray:
        others = [t for t in self.treatments if t != self.reference]
        size = len(self.treatments)
        full = np.zeros((size, size))
        index = [self.treatments.index(t) for t in others]
        full[np.ix_(index, index)] = self.covariance
        return full

    @property
    def i2(self) -> float | None:
        """I² in percent, 100·(Q − df)/Q floored at 0 (netmeta's I², there as a fraction); none without df."""
        if self.df_total <= 0 or self.q_total <= 0:
            return None
        return max(0.0, 100 * (self.q_total - self.df_total) / self.q_total)

    def to_dict(self, natural: bool) -> dict:
        transform = math.exp if natural else (lambda x: x)
        z = Z95
        rows = []
        for treatment in self.treatments:
            estimate, se = self.contrast(treatment, self.reference)
            rows.append({"treatment": treatment, "estimate": transform(estimate),
                         "ci_low": transform(estimate - z * se) if treatment != self.reference else None,
                         "ci_high": transform(estimate + z * se) if treatment != self.reference else None,
                         "log_estimate": estimate if natural else None, "se": se, "p_score": self.p_scores[treatment]})
        return {"measure": self.measure, "reference": self.reference, "model": "random" if self.random else "fixed",
                "treatments": rows, "tau2": self.tau2,
                "heterogeneity": {"q_total": self.q_total, "df_total": self.df_total,
                                  "p_total": _p(self.q_total, self.df_total), "i2": self.i2,
                                  "q_within_designs": self.q_within, "df_within_designs": self.df_within,
                                  "p_within_designs": _p(self.q_within, self.df_within),
                                  "q_between_designs": self.q_between, "df_between_designs": self.df_between,
                                  "p_between_designs": _p(self.q_between, self.df_between)},
                "notes": self.notes}


def _p(q: float, df: int) -> float | None:
    return float(stats.chi2.sf(q, df)) if df > 0 else None


def _need(value: float | None, what: str, arm: Arm) -> float:
    """An arm's number the measure needs (the file readers check presence; this keeps the types honest)."""
    if value is None:
        raise ValueError(f"study {arm.study!r}, {arm.treatment!r}: no {what}")
    return float(value)


def arm_value(measure: str, arm: Arm, correct: bool) -> tuple[float, float]:
    n = arm.count("n")
    if measure in ("OR", "RR"):
        events, n = _need(arm.events, "events", arm), _need(arm.n, "n", arm)
        if correct:
            events, n = events + 0.5, n + 1
        if measure == "OR":
            return math.log(events / (n - events)), 1 / events + 1 / (n - events)
        return math.log(events / n), 1 / events - 1 / n
    return _need(arm.mean, "mean", arm), _need(arm.sd, "sd", arm) ** 2 / _need(arm.n, "n", arm)


def study_contrasts(measure: str, arms: list[Arm]) -> StudyContrasts:
    study = arms[0].study
    if measure == "SMD":
        n = [_need(a.n, "n", a) for a in arms]
        sd = [_need(a.sd, "sd", a) for a in arms]
        mean = [_need(a.mean, "mean", a) for a in arms]
        n_total = sum(n)
        pooled = math.sqrt(sum((ni - 1) * si ** 2 for ni, si in zip(n, sd)) / (n_total - len(arms)))
        correction = 1 - 3 / (4 * (n_total - len(arms)) - 1)
        y = np.array([correction * (m - mean[0]) / pooled for m in mean[1:]])
        variances = np.array([1 / ni + 1 / n[0] + g ** 2 / (2 * (ni + n[0])) for ni, g in zip(n[1:], y)])
        covariance = np.full((len(y), len(y)), 1 / n[0])
        np.fill_diagonal(covariance, variances)
        return StudyContrasts(study, [a.treatment for a in arms], y, covariance)
    correct = measure in ("OR", "RR") and any(a.events == 0 or (measure == "OR" and a.events == a.n) for a in arms)
    values = [arm_value(measure, arm, correct) for arm in arms]
    base_value, base_variance = values[0]
    y = np.array([value - base_value for value, _ in values[1:]])
    covariance = np.full((len(y), len(y)), base_variance)
    for index, (_, variance) in enumerate(values[1:]):
        covariance[index, index] = variance + base_variance
    return StudyContrasts(study, [a.treatment for a in arms], y, covariance)


def _fit(contrasts: list[StudyContrasts], others: list[str], tau2: float):
    index = {t: i for i, t in enumerate(others)}
    rows: list[np.ndarray] = []
    ys: list[float] = []
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    for study in contrasts:
        base = study.treatments[0]
        for treatment in study.treatments[1:]:
            row = np.zeros(len(others))
            if treatment in index:
                row[index[treatment]] += 1
            if base in index:
                row[index[base]] -= 1
            rows.append(row)
        ys.extend(study.y)
        size = len(study.y)
        structure = (np.eye(size) + np.ones((size, size))) / 2
        blocks.append((study.covariance + tau2 * structure, structure))
    X, y = np.array(rows), np.array(ys)
    total = sum(b[0].shape[0] for b in blocks)
    W, P = np.zeros((total, total)), np.zeros((total, total))
    position = 0
    for covariance, structure in blocks:
        size = covariance.shape[0]
        W[position:position + size, position:position + size] = np.linalg.inv(covariance)
        P[position:position + size, position:position + size] = structure
        position += size
    information = X.T @ W @ X
    covariance_beta = np.linalg.inv(information)
    beta = covariance_beta @ X.T @ W @ y
    residual = y - X @ beta
    q = float(residual @ W @ residual)
    return beta, covariance_beta, q, len(y) - len(others), W, X, P


def network_meta_analysis(measure: str, arms: list[Arm], reference: str, random: bool = False,
                          larger_is_better: bool = True) -> NetworkResult:
    """Network meta-analysis of arm-level data (each study's arms in file order; the first is its baseline)."""
    by_study: dict[str, list[Arm]] = defaultdict(list)
    for arm in arms:
        by_study[arm.study].append(arm)
    contrasts = [study_contrasts(measure, study_arms) for study_arms in by_study.values()]
    result = fit_network(measure, contrasts, reference, random, larger_is_better)
    if measure == "SMD" and any(len(s.treatments) > 2 for s in contrasts):
        result.notes.append("SMD in multi-arm trials: covariance of contrasts approximated by 1/n of the baseline arm")
    return result


def network_from_contrasts(measure: str, rows: list[Contrast], reference: str, random: bool = False,
                           larger_is_better: bool = True) -> NetworkResult:
    """Network meta-analysis of contrast-level data (R netmeta's input: study, treat1, treat2, TE, seTE)."""
    by_study: dict[str, list[Contrast]] = defaultdict(list)
    for row in rows:
        by_study[row.study].append(row)
    contrasts = [study_from_contrasts(study_rows) for study_rows in by_study.values()]
    return fit_network(measure, contrasts, reference, random, larger_is_better)


def fit_network(measure: str, contrasts: list[StudyContrasts], reference: str, random: bool,
                larger_is_better: bool) -> NetworkResult:
    """The consistency model on the studies' contrasts, τ² when random, Q split by design, P-scores."""
    treatments = sorted({t for study in contrasts for t in study.treatments})
    if reference not in treatments:
        raise ValueError(f"reference {reference!r} is not among the treatments")
    _check_connected(contrasts, treatments)
    others = [t for t in treatments if t != reference]
    beta, covariance, q, df, W, X, P = _fit(contrasts, others, 0.0)
    tau2 = 0.0
    if random:
        M = W - W @ X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
        denominator = float(np.trace(M @ P))
        tau2 = max(0.0, (q - df) / denominator) if denominator > 0 else 0.0
        beta, covariance, _, _, _, _, _ = _fit(contrasts, others, tau2)
    designs: dict[tuple[str, ...], list[StudyContrasts]] = defaultdict(list)
    for study in contrasts:
        designs[tuple(sorted(study.treatments))].append(study)
    q_within, df_within = 0.0, 0
    for design, studies in designs.items():
        if len(studies) < 2:
            continue
        local = [t for t in design if t != design[0]]
        aligned = [_align(study, design[0]) for study in studies]
        _, _, q_design, df_design, _, _, _ = _fit(aligned, local, 0.0)
        q_within += q_design
        df_within += df_design
    comparisons: dict[frozenset, int] = defaultdict(int)
    for study in contrasts:
        for i, first in enumerate(study.treatments):
            for second in study.treatments[i + 1:]:
                comparisons[frozenset((first, second))] += 1
    result = NetworkResult(measure, reference, treatments, random, dict(zip(others, beta.tolist())),
                           dict(zip(others, np.sqrt(np.diag(covariance)).tolist())), covariance, tau2, q, df,
                           q_within, df_within, q - q_within, df - df_within, {}, dict(comparisons), [],
                           list(contrasts))
    return replace(result, p_scores=p_scores(result, larger_is_better))


def _check_connected(contrasts: list[StudyContrasts], treatments: list[str]) -> None:
    """A disconnected network has no estimate between its parts; say which treatments are cut off."""
    graph = nx.Graph()
    graph.add_nodes_from(treatments)
    for study in contrasts:
        graph.add_edges_from((study.treatments[0], t) for t in study.treatments[1:])
    parts = list(nx.connected_components(graph))
    if len(parts) > 1:
        listed = "; ".join(", ".join(sorted(part)) for part in parts)
        raise ValueError(f"the network is not connected: {listed}")


def study_from_contrasts(rows: list[Contrast], tolerance: float = 1e-3) -> StudyContrasts:
    """One study's pairwise contrasts → contrasts against its first treatment, with their covariance.

    A two-arm study is its single contrast. A multi-arm study must give every pair of its k arms
    (k(k−1)/2 rows, as netmeta requires). Its arm variances σ²ᵢ are solved from Var(i − j) = σ²ᵢ + σ²ⱼ
    (exactly for three arms, by least squares for more), which is what netmeta's reweighting of
    multi-arm studies (Rücker 2012) amounts to; the contrasts against the baseline then have
    variance σ²₀ + σ²ₖ and covariance σ²₀. The estimates must be consistent within the study
    (yᵢⱼ = yᵢ₀ − yⱼ₀) up to ``tolerance``, netmeta's default for rounding in published tables.
    """
    study = rows[0].study
    order: list[str] = []
    for row in rows:
        if row.first == row.second:
            raise ValueError(f"study {study!r} compares {row.first!r} with itself")
        for treatment in (row.first, row.second):
            if treatment not in order:
                order.append(treatment)
    pairs = {frozenset((r.first, r.second)) for r in rows}
    if len(pairs) != len(rows):
        raise ValueError(f"study {study!r} gives the same comparison twice")
    k = len(order)
    if len(rows) != k * (k - 1) // 2:
        raise ValueError(f"study {study!r} has {k} treatments but {len(rows)} contrasts; a multi-arm study "
                         f"needs all {k * (k - 1) // 2} pairwise contrasts")
    index = {t: i for i, t in enumerate(order)}
    design = np.zeros((len(rows), k))
    for r, row in enumerate(rows):
        design[r, index[row.first]] = design[r, index[row.second]] = 1.0
    arm_variance = np.linalg.lstsq(design, np.array([row.se ** 2 for row in rows]), rcond=None)[0]
    if k > 2 and arm_variance.min() <= 0:
        raise ValueError(f"study {study!r}: the standard errors of its contrasts do not fit one variance per arm "
                         "(Var(i − j) = σ²ᵢ + σ²ⱼ has a non-positive solution)")
    difference = np.zeros((len(rows), k - 1))
    for r, row in enumerate(rows):
        if index[row.first]:
            difference[r, index[row.first] - 1] += 1
        if index[row.second]:
            difference[r, index[row.second] - 1] -= 1
    estimates = np.array([row.estimate for row in rows])
    y = np.linalg.lstsq(difference, estimates, rcond=None)[0]
    worst = float(np.max(np.abs(difference @ y - estimates)))
    if worst > tolerance:
        raise ValueError(f"study {study!r}: its contrasts are not consistent (they disagree by {worst:.4g}; "
                         "each pair must equal the difference of the arms' contrasts)")
    if k == 2:
        covariance = np.array([[rows[0].se ** 2]])
    else:
        covariance = np.full((k - 1, k - 1), arm_variance[0])
        covariance[np.diag_indices(k - 1)] = arm_variance[0] + arm_variance[1:]
    return StudyContrasts(study, order, y, covariance)


def _align(study: StudyContrasts, baseline: str) -> StudyContrasts:
    """Re-express a study's contrasts against ``baseline`` (one of its arms)."""
    if study.treatments[0] == baseline:
        return study
    size = len(study.treatments)
    full_y = np.concatenate([[0.0], study.y])
    # covariance of arm-level deviations is not needed: a linear transform of the contrasts suffices
    transform = np.zeros((size - 1, size - 1))
    b = study.treatments.index(baseline)
    order = [t for t in study.treatments if t != baseline]
    for row, treatment in enumerate(order):
        k = study.treatments.index(treatment)
        if k > 0:
            transform[row, k - 1] += 1
        if b > 0:
            transform[row, b - 1] -= 1
    y = np.array([full_y[study.treatments.index(t)] - full_y[b] for t in order])
    return StudyContrasts(study.study, [baseline, *order], y, transform @ study.covariance @ transform.T)


def p_scores(result: NetworkResult, larger_is_better: bool = True) -> dict[str, float]:
    scores = {}
    for first in result.treatments:
        values = []
        for second in result.treatments:
            if first == second:
                continue
            estimate, se = result.contrast(first, second)
            z = estimate / se if se > 0 else 0.0
            values.append(stats.norm.cdf(z if larger_is_better else -z))
        scores[first] = float(np.mean(values)) if values else 1.0
    return scores


def league_order(result: NetworkResult) -> list[str]:
    """The treatments by P-score, best first: the rows and columns of the league table."""
    return sorted(result.treatments, key=lambda t: -result.p_scores[t])


def league_interval(result: NetworkResult, first: str, second: str, natural: bool) -> tuple[float, float, float]:
    """``first`` versus ``second``: estimate and 95% CI θ̂ ± z·se, back on the ratio scale when ``natural``."""
    transform = math.exp if natural else (lambda x: x)
    estimate, se = result.contrast(first, second)
    return transform(estimate), transform(estimate - Z95 * se), transform(estimate + Z95 * se)


@dataclass(frozen=True)
class LeagueCell:
    """``first`` versus ``second``: estimate and 95% CI, on the ratio scale when the table is ``natural``."""

    first: str
    second: str
    estimate: float
    ci_low: float
    ci_high: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LeagueTable:
    """Every treatment against every other, rows and columns in P-score order (best first).

    ``cells[i][j]`` is ``treatments[i]`` versus ``treatments[j]``; ``None`` on the diagonal.
    """

    treatments: tuple[str, ...]
    natural: bool
    cells: tuple[tuple[LeagueCell | None, ...], ...]

    def cell(self, first: str, second: str) -> LeagueCell | None:
        return self.cells[self.treatments.index(first)][self.treatments.index(second)]

    def to_dict(self) -> dict:
        return {"treatments": list(self.treatments), "scale": "natural" if self.natural else "analysis",
                "cells": [[None if cell is None else cell.to_dict() for cell in row] for row in self.cells]}


def league_table(result: NetworkResult, natural: bool) -> LeagueTable:
    """Rows and columns in P-score order; cell (i, j) = treatment i versus j with its 95% CI (``league_interval``)."""
    order = tuple(league_order(result))
    cells = tuple(tuple(None if first == second
                        else LeagueCell(first, second, *league_interval(result, first, second, natural))
                        for second in order)
                  for first in order)
    return LeagueTable(order, natural, cells)


@dataclass(frozen=True)
class ComparisonInterval:
    """``first`` versus ``second`` on the analysis scale (log for OR/RR): estimate, 95% CI and the
    prediction interval (where the effect of a new study of this comparison is expected to lie)."""

    first: str
    second: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None
    pi_df: int | None

    def to_dict(self) -> dict:
        return asdict(self)


def prediction_intervals(fit: NetworkResult, level: float = 0.95) -> tuple[ComparisonInterval, ...]:
    """Every pair of treatments (in ``fit.treatments`` order, first listed first) with its CI and PI.

    PI (Higgins, Thompson & Spiegelhalter 2009, as netmeta computes it for networks):
    θ̂ ± t_{df}·√(se² + τ²) with df the degrees of freedom of Q (studies' independent contrasts
    minus treatments plus one). Only for the random-effects model and df ≥ 1; otherwise None.
    """
    z = z_two_sided(level)
    df = fit.df_total if fit.random and fit.df_total >= 1 else None
    quantile = stats.t.ppf(0.5 + level / 2, df) if df is not None else None
    rows = []
    for i, first in enumerate(fit.treatments):
        for second in fit.treatments[i + 1:]:
            estimate, se = fit.contrast(first, second)
            half = None if quantile is None else float(quantile * math.sqrt(se ** 2 + fit.tau2))
            rows.append(ComparisonInterval(first, second, estimate, se, float(estimate - z * se),
                                           float(estimate + z * se),
                                           None if half is None else estimate - half,
                                           None if half is None else estimate + half, df))
    return tuple(rows)


@dataclass(frozen=True)
class RankProbabilities:
    """Rank probabilities from the multivariate normal of the network estimates.

    ``probabilities[i][r]`` = P(treatment i has rank r + 1), rank 1 the best. SUCRA (Salanti, Ades &
    Ioannidis 2011) = Σ_{r<a} cumulative P(rank ≤ r)/(a − 1); mean rank = 1 + (a − 1)(1 − SUCRA);
    P(best) = P(rank 1). In expectation SUCRA equals the P-score (Rücker & Schwarzer 2015).
    """

    treatments: tuple[str, ...]
    probabilities: tuple[tuple[float, ...], ...]
    sucra: tuple[float, ...]
    p_best: tuple[float, ...]
    mean_rank: tuple[float, ...]
    smaller_is_better: bool
    draws: int
    seed: int

    def to_dict(self) -> dict:
        return {"smaller_is_better": self.smaller_is_better, "draws": self.draws, "seed": self.seed,
                "treatments": [{"treatment": t, "rank_probabilities": list(p), "sucra": s, "p_best": b, "mean_rank": m}
                               for t, p, s, b, m in zip(self.treatments, self.probabilities, self.sucra, self.p_best,
                                                        self.mean_rank)]}


def rank_probabilities(fit: NetworkResult, *, smaller_is_better: bool, draws: int = 10000,
                       seed: int = 1) -> RankProbabilities:
    """Draw the effects of every treatment against the reference from N(θ̂, Cov(θ̂)) (numpy's
    ``default_rng(seed)``; the reference is 0 in every draw), rank each draw (rank 1 = the largest
    effect, or the smallest with ``smaller_is_better``) and count."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    rng = np.random.default_rng(seed)
    others = [t for t in fit.treatments if t != fit.reference]
    sample = rng.multivariate_normal(np.array([fit.estimates[t] for t in others]), fit.covariance, size=draws,
                                     method="eigh")
    effects = np.zeros((draws, len(fit.treatments)))
    for column, treatment in enumerate(others):
        effects[:, fit.treatments.index(treatment)] = sample[:, column]
    keys = effects if smaller_is_better else -effects
    ranks = np.argsort(np.argsort(keys, axis=1, kind="stable"), axis=1)  # 0 = best
    size = len(fit.treatments)
    probabilities = np.stack([np.bincount(ranks[:, i], minlength=size) / draws for i in range(size)])
    cumulative = np.cumsum(probabilities, axis=1)
    sucra = cumulative[:, :-1].sum(axis=1) / (size - 1) if size > 1 else np.ones(size)
    mean_rank = probabilities @ np.arange(1, size + 1)
    return RankProbabilities(tuple(fit.treatments), tuple(tuple(float(x) for x in row) for row in probabilities),
                             tuple(float(x) for x in sucra), tuple(float(x) for x in probabilities[:, 0]),
                             tuple(float(x) for x in mean_rank), smaller_is_better, draws, seed)


@dataclass(frozen=True)
class NodeSplit:
    """Direct versus indirect evidence on ``first`` versus ``second`` (analysis scale)."""

    first: str
    second: str
    studies: int
    network: float
    direct: float
    direct_se: float
    indirect: float
    indirect_se: float
    difference: float
    difference_se: float
    z: float
    p: float

    def to_dict(self) -> dict:
        return asdict(self)


def node_split(fit: NetworkResult) -> tuple[NodeSplit, ...]:
    """Local inconsistency by back-calculation (Dias et al. 2010; netmeta's ``netsplit`` default).

    Direct: the inverse-variance pool (weights 1/(vᵢ + τ²), τ² of the network) of the ``first`` −
    ``second`` contrasts of the studies holding both. Indirect: what the network adds to it,
    1/v_ind = 1/v_net − 1/v_dir, θ_ind = v_ind·(θ_net/v_net − θ_dir/v_dir). Difference θ_dir − θ_ind
    with se √(v_dir + v_ind), z-test. Comparisons without direct or without indirect evidence are
    left out. Exact for networks of two-arm studies; with multi-arm studies an approximation, as in netmeta.
    """
    splits = []
    for i, first in enumerate(fit.treatments):
        for second in fit.treatments[i + 1:]:
            holding = [s for s in fit.studies if first in s.treatments and second in s.treatments]
            if not holding:
                continue
            weights, values = [], []
            for study in holding:
                aligned = _align(study, second)
                position = aligned.treatments.index(first) - 1
                weights.append(1 / (aligned.covariance[position, position] + fit.tau2))
                values.append(aligned.y[position])
            v_direct = 1 / sum(weights)
            direct = v_direct * sum(w * y for w, y in zip(weights, values))
            network, se = fit.contrast(first, second)
            precision = 1 / se ** 2 - 1 / v_direct
            if precision <= 1e-10 / v_direct:
                continue
            v_indirect = 1 / precision
            indirect = v_indirect * (network / se ** 2 - direct / v_direct)
            difference, difference_se = direct - indirect, math.sqrt(v_direct + v_indirect)
            z = difference / difference_se
            splits.append(NodeSplit(first, second, len(holding), network, float(direct), math.sqrt(v_direct),
                                    float(indirect), math.sqrt(v_indirect), float(difference), difference_se,
                                    float(z), float(2 * stats.norm.sf(abs(z)))))
    return tuple(splits)
