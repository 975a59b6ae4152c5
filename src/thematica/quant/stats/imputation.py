"""Multiple imputation by chained equations for the between-arm effects, pooled by Rubin's rules.

Imputation model (statsmodels ``MICEData``: predictive mean matching, so a binary outcome stays
0/1): per participant the outcome at every timepoint it is measured at, the arm (first arm = 1)
and the chosen numeric covariates; ``rng = default_rng(seed)``, 10 burn-in cycles, then one
completed data set every 5 cycles, m ≥ 20 of them.

In each completed data set, at each timepoint: the mean difference first − second (variance
s_p²(1/n₁ + 1/n₂)) and Cohen's d (Hedges & Olkin variance) for a continuous outcome, the log odds
ratio first vs second (Woolf variance) for a binary one. Rubin (1987): Q̄ = mean of the estimates,
W̄ = mean within variance, B = between variance, T = W̄ + (1 + 1/m)B; df by Barnard & Rubin (1999)
with complete-data df n − 2; CI Q̄ ± t_df·√T; fraction of missing information γ = (1 + 1/m)B/T.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from thematica.quant.stats.trial import ReportBuilder, arms_of, contrast_label


@dataclass(frozen=True)
class Pooled:
    estimate: float
    within: float
    between: float
    total: float
    df: float
    ci_low: float
    ci_high: float
    fmi: float
    m: int

    def to_dict(self) -> dict:
        return asdict(self)


def rubin(estimates, variances, complete_df: float) -> Pooled:
    """Pool m estimates with their variances (Rubin 1987; Barnard & Rubin 1999 df)."""
    q, u = np.asarray(estimates, dtype=float), np.asarray(variances, dtype=float)
    m = len(q)
    mean, within = float(q.mean()), float(u.mean())
    between = float(q.var(ddof=1)) if m > 1 else 0.0
    total = within + (1 + 1 / m) * between
    gamma = (1 + 1 / m) * between / total if total > 0 else 0.0
    observed = (complete_df + 1) / (complete_df + 3) * complete_df * (1 - gamma)
    df = observed if gamma <= 1e-12 else 1 / (gamma ** 2 / (m - 1) + 1 / observed)
    half = float(stats.t.ppf(0.975, df)) * math.sqrt(total)
    return Pooled(mean, within, between, total, float(df), mean - half, mean + half, float(gamma), m)


def completed_data(wide: pd.DataFrame, imputations: int, seed: int) -> list[pd.DataFrame]:
    """``imputations`` completed copies of ``wide`` (numeric columns) by chained equations."""
    from statsmodels.imputation.mice import MICEData

    names = {column: f"x{i}" for i, column in enumerate(wide.columns)}
    data = MICEData(wide.rename(columns=names).reset_index(drop=True).astype(float),
                    rng=np.random.default_rng(seed))
    data.update_all(10)
    completed = []
    for _ in range(imputations):
        data.update_all(5)
        copy = data.data.copy()
        copy.columns = list(wide.columns)
        copy.index = wide.index
        completed.append(copy)
    return completed


def impute_and_pool(frame: pd.DataFrame, outcome: str, kind: str, covariates: list[str], report: ReportBuilder,
                    imputations: int = 20, seed: int = 1, baseline=None, at: list | None = None) -> None:
    from thematica.quant.stats.effect_sizes import from_samples
    from thematica.quant.stats.trial import measured_times

    arms = arms_of(frame)
    times = measured_times(frame, outcome)
    if len(arms) != 2 or not times:
        return
    wide = frame.pivot_table(index="participant", columns="time", values=outcome, observed=True, aggfunc="first")
    wide = wide[times].reindex(pd.unique(frame["participant"]))  # everyone randomised, measured or not
    wide.columns = [f"t{time}" for time in times]
    per = frame.groupby("participant", sort=False)
    wide["arm"] = (per["arm"].first() == arms[0]).astype(float).reindex(wide.index)
    for covariate in covariates:
        wide[covariate] = pd.to_numeric(per[covariate].first(), errors="coerce").reindex(wide.index)
    missing = int(wide[[f"t{t}" for t in times]].isna().sum().sum())
    shown = times if not at else [t for t in dict.fromkeys([baseline, *at]) if t in times]
    completed = completed_data(wide, imputations, seed)
    label, ratio = contrast_label(arms), contrast_label(arms, ratio=True)
    n = len(wide)
    for time in shown:
        column = f"t{time}"
        if kind == "continuous":
            pieces: dict[str, tuple[list[float], list[float]]] = {"difference": ([], []), "d": ([], [])}
            for data in completed:
                a, b = data.loc[data["arm"] == 1, column], data.loc[data["arm"] == 0, column]
                result = from_samples(a, b)
                pooled_sd2 = ((len(a) - 1) * a.var() + (len(b) - 1) * b.var()) / (len(a) + len(b) - 2)
                pieces["difference"][0].append(result.difference)
                pieces["difference"][1].append(pooled_sd2 * (1 / len(a) + 1 / len(b)))
                pieces["d"][0].append(result.d)
                pieces["d"][1].append((len(a) + len(b)) / (len(a) * len(b)) + result.d ** 2 / (2 * (len(a) + len(b))))
            for name, (estimates, variances) in pieces.items():
                pooled = rubin(estimates, variances, n - 2)
                report.add("imputed", outcome, time, name, pooled.estimate, label)
                report.add("imputed", outcome, time, f"{name}_ci_low", pooled.ci_low, label)
                report.add("imputed", outcome, time, f"{name}_ci_high", pooled.ci_high, label)
                report.add("imputed", outcome, time, f"{name}_fmi", pooled.fmi, label)
        else:
            estimates, variances = [], []
            for data in completed:
                values = data[column].round().clip(0, 1)
                cells = np.array([[((data["arm"] == g) & (values == e)).sum() for e in (1, 0)] for g in (1, 0)],
                                 dtype=float)
                if (cells == 0).any():
                    cells += 0.5
                estimates.append(math.log(cells[0, 0] * cells[1, 1] / (cells[0, 1] * cells[1, 0])))
                variances.append(float((1 / cells).sum()))
            pooled = rubin(estimates, variances, n - 2)
            report.add("imputed", outcome, time, "odds_ratio", math.exp(pooled.estimate), ratio)
            report.add("imputed", outcome, time, "or_ci_low", math.exp(pooled.ci_low), ratio)
            report.add("imputed", outcome, time, "or_ci_high", math.exp(pooled.ci_high), ratio)
            report.add("imputed", outcome, time, "log_or_fmi", pooled.fmi, ratio)
        report.add("imputed", outcome, time, "n", n)
    report.notes.append(f"{outcome}: multiple imputation by chained equations (statsmodels MICEData, predictive "
                        f"mean matching; m = {imputations}, seed {seed}; {missing} missing values of {n} participants × "
                        f"{len(times)} timepoints imputed from the outcome at the other timepoints, arm"
                        f"{', ' + ', '.join(covariates) if covariates else ''}), pooled by Rubin's rules")
