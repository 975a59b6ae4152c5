"""The review's vocabulary: screening stages and decisions, risk-of-bias tools, domains and judgements."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Title/abstract screening, then full-text eligibility (PRISMA 2020 'screened' and 'assessed')."""

    title_abstract = "title"
    fulltext = "fulltext"


class Decision(StrEnum):
    include = "include"
    exclude = "exclude"
    maybe = "maybe"


class BiasTool(StrEnum):
    rob1 = "rob1"
    rob2 = "rob2"


ROB1_DOMAINS = (
    "random sequence generation",
    "allocation concealment",
    "blinding of participants and personnel",
    "blinding of outcome assessment",
    "incomplete outcome data",
    "selective reporting",
    "other bias",
)
ROB2_DOMAINS = (
    "randomisation process",
    "deviations from intended interventions",
    "missing outcome data",
    "measurement of the outcome",
    "selection of the reported result",
)
DOMAINS = {BiasTool.rob1: ROB1_DOMAINS, BiasTool.rob2: ROB2_DOMAINS}
JUDGEMENTS = {BiasTool.rob1: ("low", "unclear", "high"), BiasTool.rob2: ("low", "some concerns", "high")}
# RoB 2's judgements are ordered (low < some concerns < high): agreement uses linearly weighted kappa.
# RoB 1's 'unclear' is not between 'low' and 'high' (it means 'not reported'): nominal kappa.
ORDINAL = {BiasTool.rob1: False, BiasTool.rob2: True}
