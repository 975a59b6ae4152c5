"""Whether a project holds trial data, asked without pandas: the workbench asks it for every
opened document's case and loads the trial analysis code (pandas, SciPy: about a second to
import) only when the answer is yes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.store.models import TrialParticipant


def has_trial_data(session: Session) -> bool:
    """True when at least one trial participant is stored (one indexed ``SELECT … LIMIT 1``)."""
    return session.scalar(select(TrialParticipant.id).limit(1)) is not None
