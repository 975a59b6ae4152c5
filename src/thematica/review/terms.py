"""Risk-of-bias domains and judgements per tool (the review's stages, decisions and tools are in
``thematica.vocabulary``)."""

from __future__ import annotations

from thematica.vocabulary import BiasTool

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
DOMAINS = {BiasTool.ROB1: ROB1_DOMAINS, BiasTool.ROB2: ROB2_DOMAINS}
JUDGEMENTS = {BiasTool.ROB1: ("low", "unclear", "high"), BiasTool.ROB2: ("low", "some concerns", "high")}
# RoB 2's judgements are ordered (low < some concerns < high): agreement uses linearly weighted kappa.
# RoB 1's 'unclear' is not between 'low' and 'high' (it means 'not reported'): nominal kappa.
ORDINAL = {BiasTool.ROB1: False, BiasTool.ROB2: True}
