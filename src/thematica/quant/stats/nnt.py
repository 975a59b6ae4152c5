"""Number needed to treat from a risk difference and its confidence interval (Altman 1998).

NNT = 1/RD, RD = p₁ − p₂ (first arm − second arm). Its confidence interval inverts and exchanges
the RD's bounds: [1/RD_high, 1/RD_low] when the RD's interval excludes 0. When that interval
includes 0 the NNT's interval is not the numbers between those two reciprocals but runs through
infinity, and is reported as "NNTB 1/RD_high to ∞ to NNTH 1/|RD_low|": the benefit bound (one more
event in the first arm per that many treated) and the harm bound (one fewer). Altman, D. G.
(1998). Confidence intervals for the number needed to treat. BMJ, 317, 1309–1312.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class NumberNeededToTreat:
    """NNT of one risk difference with its 95% CI.

    ``ci_low``/``ci_high``: the sorted reciprocals of the RD's bounds, both non-zero (``None`` when a
    bound is 0: that end of the interval is infinite). ``benefit_bound``/``harm_bound``: NNTB and NNTH
    when the RD's interval includes 0, else ``None``. ``nnt`` is ``None`` when RD = 0.
    """

    risk_difference: float
    rd_ci_low: float
    rd_ci_high: float
    nnt: float | None
    ci_low: float | None
    ci_high: float | None
    benefit_bound: float | None
    harm_bound: float | None

    @property
    def through_infinity(self) -> bool:
        """The RD's interval includes 0, so the NNT's runs from NNTB through ∞ to NNTH."""
        return self.benefit_bound is not None

    def to_dict(self) -> dict:
        return {**asdict(self), "through_infinity": self.through_infinity}


def number_needed_to_treat(risk_difference: float, rd_ci_low: float, rd_ci_high: float) -> NumberNeededToTreat:
    """NNT = 1/RD with Altman's (1998) interval from the RD's interval [``rd_ci_low``, ``rd_ci_high``]."""
    if rd_ci_low > rd_ci_high:
        raise ValueError(f"the risk difference's interval is reversed ({rd_ci_low} > {rd_ci_high})")
    nnt = 1 / risk_difference if risk_difference != 0 else None
    reciprocals = sorted(1 / bound for bound in (rd_ci_low, rd_ci_high) if bound != 0)
    ci_low, ci_high = (reciprocals[0], reciprocals[1]) if len(reciprocals) == 2 else (None, None)
    spans = rd_ci_low < 0 < rd_ci_high
    return NumberNeededToTreat(risk_difference, rd_ci_low, rd_ci_high, nnt, ci_low, ci_high,
                               1 / rd_ci_high if spans else None, -1 / rd_ci_low if spans else None)
