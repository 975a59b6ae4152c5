"""The services behind ``thematica meta`` (a pairwise meta-analysis as a result object with the stable
json contract) and ``thematica nma`` (a network file, arm- or contrast-level, read once and fitted).

json: {"k", "measure", "method", "estimate", "ci_low", "ci_high", "tau2", "i2", "q", "q_p", "pi_low",
"pi_high"} — ratio measures on the natural scale, I² in percent, full precision — plus "studies",
"subgroups", "leave_one_out", "egger" and "notes".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from thematica.errors import ThematicaError
from thematica.maths.normal import Z95
from thematica.quant.meta.effects import RATIO, EffectSet
from thematica.quant.meta.network import Arm, Contrast, NetworkResult, network_from_contrasts, network_meta_analysis
from thematica.quant.meta.pooling import Egger, Pooled, egger, pool, subgroup_test
from thematica.quant.meta_files import read_network, read_pairwise


@dataclass(frozen=True)
class MetaResult:
    measure: str
    effects: EffectSet
    pooled: Pooled
    subgroups: dict[str, Pooled] = field(default_factory=dict)
    subgroup_q: tuple[float, int, float] | None = None
    leave_one_out: dict[str, Pooled] = field(default_factory=dict)
    egger: Egger | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def natural(self) -> bool:
        return self.measure in RATIO

    def scale(self, value: float | None) -> float | None:
        return None if value is None else (math.exp(value) if self.natural else value)

    def summary(self, pooled: Pooled) -> dict:
        return {"k": pooled.k, "measure": self.measure, "method": pooled.method, "estimate": self.scale(pooled.estimate),
                "ci_low": self.scale(pooled.ci_low), "ci_high": self.scale(pooled.ci_high), "tau2": pooled.tau2,
                "i2": pooled.i2, "q": pooled.q, "q_p": None if math.isnan(pooled.q_p) else pooled.q_p,
                "pi_low": self.scale(pooled.pi_low), "pi_high": self.scale(pooled.pi_high)}

    def to_dict(self) -> dict:
        result = self.summary(self.pooled)
        result["hartung_knapp"] = self.pooled.hartung_knapp
        result["studies"] = [{"study": e.study, "estimate": self.scale(e.estimate),
                              "ci_low": self.scale(e.estimate - Z95 * e.se),
                              "ci_high": self.scale(e.estimate + Z95 * e.se),
                              "weight": w, "continuity_corrected": e.corrected}
                             for e, w in zip(self.effects.effects, self.weights())]
        if self.subgroups and self.subgroup_q is not None:
            q, df, p = self.subgroup_q
            result["subgroups"] = {name: self.summary(p_) for name, p_ in self.subgroups.items()}
            result["subgroup_difference"] = {"q": q, "df": df, "p": None if math.isnan(p) else p}
        result["leave_one_out"] = {study: self.summary(p_) for study, p_ in self.leave_one_out.items()}
        result["egger"] = self.egger.to_dict() if self.egger else None
        result["notes"] = self.notes
        return result

    def weights(self) -> list[float]:
        raw = [1 / (e.variance + self.pooled.tau2) for e in self.effects.effects]
        total = sum(raw)
        return [100 * w / total for w in raw]


def analyse(path: Path, measure: str, method: str = "REML", subgroup: str | None = None,
            hartung_knapp: bool = False) -> MetaResult:
    data = read_pairwise(path, measure, subgroup)
    effects = data.effects
    if not effects.effects:
        raise ThematicaError("no study left to pool (see the notes on excluded studies)", path=str(path))
    y = [e.estimate for e in effects.effects]
    v = [e.variance for e in effects.effects]
    pooled = pool(y, v, method, hartung_knapp)
    notes = list(effects.notes) + list(pooled.notes)
    if pooled.k == 2:
        notes.append("k = 2: tau² and the prediction interval rest on a single degree of freedom; "
                     "read them with great caution")
    subgroups: dict[str, Pooled] = {}
    subgroup_q = None
    if subgroup:
        groups: dict[str, list[int]] = {}
        for index, effect in enumerate(effects.effects):
            groups.setdefault(data.subgroups.get(effect.study, ""), []).append(index)
        subgroups = {name: pool([y[i] for i in idx], [v[i] for i in idx], method, hartung_knapp)
                     for name, idx in sorted(groups.items())}
        if len(subgroups) >= 2:
            subgroup_q = subgroup_test(subgroups)
        else:
            notes.append("only one subgroup: no test of subgroup differences")
    leave_one_out: dict[str, Pooled] = {}
    if pooled.k >= 3:
        for index, effect in enumerate(effects.effects):
            rest = [i for i in range(pooled.k) if i != index]
            leave_one_out[effect.study] = pool([y[i] for i in rest], [v[i] for i in rest], method, hartung_knapp)
    asymmetry = egger(y, v)
    if asymmetry is None:
        notes.append("Egger's test needs at least 3 studies")
    elif pooled.k < 10:
        notes.append("Egger's test with fewer than 10 studies has little power")
    return MetaResult(measure, effects, pooled, subgroups, subgroup_q, leave_one_out, asymmetry, notes)


def analyse_network(path: Path, measure: str, reference: str, random: bool = False,
                    larger_is_better: bool = True) -> NetworkResult:
    """Network meta-analysis of an arm-level or contrast-level file; a network the model cannot fit
    (unknown reference, disconnected, inconsistent multi-arm contrasts) is a user error naming the file."""
    if measure not in ("RR", "OR", "SMD", "MD"):
        raise ThematicaError("network meta-analysis supports RR, OR, SMD and MD")
    data = read_network(path, measure)
    try:
        contrasts = [row for row in data if isinstance(row, Contrast)]
        if contrasts:
            return network_from_contrasts(measure, contrasts, reference, random, larger_is_better)
        return network_meta_analysis(measure, [row for row in data if isinstance(row, Arm)], reference, random,
                                     larger_is_better)
    except ValueError as error:
        raise ThematicaError(str(error), path=str(path)) from None
