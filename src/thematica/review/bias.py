"""Risk of bias judged by two reviewers independently: Cochrane RoB 1 (7 domains: low / unclear / high)
and RoB 2 (5 domains: low / some concerns / high, with the overall judgement), agreement per domain,
consensus, and the agreed table the traffic-light and summary figures draw.

RoB 2 overall (Sterne et al. 2019, BMJ 366:l4898, Table 2): *low* when every domain is low; *high* when
any domain is high; otherwise *some concerns*. The guidance lets reviewers raise "some concerns in
multiple domains" to *high*; that is a judgement, recorded as an explicit ``overall`` row, never guessed.

Agreement per domain is Cohen's kappa over the studies both reviewers judged (scikit-learn
``cohen_kappa_score``), linearly weighted for RoB 2's ordered judgements and unweighted for RoB 1,
whose *unclear* means "not reported" rather than a level between low and high.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.coding.visibility import is_blind
from thematica.corpus.cases import read_text_file
from thematica.errors import ThematicaError
from thematica.review.screening import current_meeting, reviewer_id_of
from thematica.review.terms import DOMAINS, JUDGEMENTS, ORDINAL
from thematica.vocabulary import BiasTool
from thematica.store import audit, review as review_store
from thematica.store.project import Project
from thematica.store.review_models import BiasJudgement

OVERALL = "overall"


@dataclass(frozen=True)
class DomainAgreement:
    domain: str
    studies: int
    agreed: int
    kappa: float | None
    note: str | None

    def to_dict(self) -> dict[str, object]:
        return {"domain": self.domain, "studies": self.studies, "agreed": self.agreed, "kappa": self.kappa,
                "note": self.note}


def _domain(tool: BiasTool, text: str) -> str | None:
    text = " ".join(text.strip().lower().split())
    if text == OVERALL and tool is BiasTool.ROB2:
        return OVERALL
    domains = DOMAINS[tool]
    if text.isdigit() and 1 <= int(text) <= len(domains):
        return domains[int(text) - 1]
    return text if text in domains else None


def import_judgements(project: Project, path: Path, tool: BiasTool, *, reviewer: str) -> int:
    """``study,domain,judgement[,support]`` rows of one reviewer; domains by name or number (1–7 / 1–5)."""
    reader = csv.DictReader(io.StringIO(read_text_file(Path(path)).lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    for column in ("study", "domain", "judgement"):
        if column not in header:
            raise ThematicaError(f"missing column {column!r} (need study,domain,judgement[,support])", path=str(path))
    judgements = []
    with project.transaction() as session:
        reviewer_id = reviewer_id_of(session, reviewer)
        for number, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            domain = _domain(tool, row["domain"])
            if not row["study"]:
                raise ThematicaError("empty study", path=str(path), row=number)
            if domain is None:
                raise ThematicaError(f"domain {row['domain']!r} is not a {tool.value} domain", path=str(path), row=number)
            judgement = " ".join(row["judgement"].lower().split())
            if judgement not in JUDGEMENTS[tool]:
                raise ThematicaError(f"judgement {row['judgement']!r} is not one of {', '.join(JUDGEMENTS[tool])}",
                                     path=str(path), row=number)
            judgements.append(BiasJudgement(tool=tool.value, reviewer_id=reviewer_id, study=row["study"],
                                            domain=domain, judgement=judgement, support=row.get("support", "")))
        if not judgements:
            raise ThematicaError("no judgements in the file", path=str(path))
        review_store.add_bias(session, judgements)
        audit.record(session, reviewer, "review.bias.import", "review", None, tool=tool.value,
                     file=Path(path).name, judgements=len(judgements))
    return len(judgements)


def _grid(rows: Sequence[BiasJudgement], reviewer_id: int | None) -> dict[tuple[str, str], str]:
    return {(r.study, r.domain): r.judgement for r in rows if r.reviewer_id == reviewer_id}


def _check_meeting(session, tool: BiasTool, viewer: str, reviewers: Sequence[int]) -> None:
    viewer_id = reviewer_id_of(session, viewer)
    if not is_blind(session):
        return
    meeting = current_meeting(session, tool.value)
    if meeting is None or viewer_id not in meeting.members or not set(reviewers) <= set(meeting.reviewers):
        raise ThematicaError(f"{viewer!r} may not see both reviewers' judgements: open a meeting first "
                             f"('thematica review meet P --topic {tool.value}')")


def domain_agreement(project: Project, tool: BiasTool, first: str, second: str) -> list[DomainAgreement]:
    """Kappa per domain (counts and kappa only, so no single judgement is revealed)."""
    from sklearn.metrics import cohen_kappa_score

    with project.reading() as session:
        a, b = reviewer_id_of(session, first), reviewer_id_of(session, second)
        rows = review_store.current_bias(session, tool.value, [a, b])
    grid_a, grid_b = _grid(rows, a), _grid(rows, b)
    results = []
    for domain in DOMAINS[tool]:
        studies = sorted(s for s, d in grid_a if d == domain and (s, d) in grid_b)
        x = [grid_a[(s, domain)] for s in studies]
        y = [grid_b[(s, domain)] for s in studies]
        agreed = sum(1 for p, q in zip(x, y) if p == q)
        kappa: float | None = None
        note = None
        if not studies:
            note = "no study judged by both"
        elif len(set(x) | set(y)) == 1:
            note = "both reviewers gave every study the same judgement: kappa undefined"
        else:
            value = float(cohen_kappa_score(x, y, labels=list(JUDGEMENTS[tool]),
                                            weights="linear" if ORDINAL[tool] else None))
            kappa = value
        results.append(DomainAgreement(domain, len(studies), agreed, kappa, note))
    return results


def agree(project: Project, tool: BiasTool, first: str, second: str, *, actor: str) -> tuple[int, list[tuple[str, str]]]:
    """Copy the judgements both reviewers share into the agreed table; returns (copied, differing cells)."""
    with project.transaction() as session:
        a, b = reviewer_id_of(session, first), reviewer_id_of(session, second)
        _check_meeting(session, tool, actor, [a, b])
        rows = review_store.current_bias(session, tool.value, [a, b, None])
        grid_a, grid_b, agreed = _grid(rows, a), _grid(rows, b), _grid(rows, None)
        new = [BiasJudgement(tool=tool.value, reviewer_id=None, study=s, domain=d, judgement=j,
                             support=f"agreed by {first} and {second}")
               for (s, d), j in sorted(grid_a.items()) if grid_b.get((s, d)) == j and (s, d) not in agreed]
        review_store.add_bias(session, new)
        differing = sorted(k for k in set(grid_a) | set(grid_b) if grid_a.get(k) != grid_b.get(k))
        audit.record(session, actor, "review.bias.agree", "review", None, tool=tool.value, copied=len(new),
                     differing=len(differing))
    return len(new), differing


def resolve(project: Project, tool: BiasTool, study: str, domain: str, judgement: str, *, decider: str,
            rationale: str) -> None:
    if not rationale.strip():
        raise ThematicaError("a resolution needs a rationale (--rationale)")
    named = _domain(tool, domain)
    if named is None:
        raise ThematicaError(f"domain {domain!r} is not a {tool.value} domain")
    if judgement not in JUDGEMENTS[tool]:
        raise ThematicaError(f"judgement {judgement!r} is not one of {', '.join(JUDGEMENTS[tool])}")
    with project.transaction() as session:
        decider_id = reviewer_id_of(session, decider)
        meeting = current_meeting(session, tool.value)
        if meeting is None or decider_id not in meeting.members:
            raise ThematicaError(f"{decider!r} is not a member of an open {tool.value} meeting")
        review_store.add_bias(session, [BiasJudgement(tool=tool.value, reviewer_id=None, study=study, domain=named,
                                                      judgement=judgement, support=rationale.strip())])
        audit.record(session, decider, "review.bias.resolve", "review", None, tool=tool.value, study=study,
                     domain=named, judgement=judgement, rationale=rationale.strip())


def rob2_overall(domains: dict[str, str]) -> str | None:
    """Sterne et al. (2019): high if any domain is high, low if all five are low, else some concerns."""
    if any(domains.get(d) is None for d in DOMAINS[BiasTool.ROB2]):
        return None
    values = [domains[d] for d in DOMAINS[BiasTool.ROB2]]
    if "high" in values:
        return "high"
    if all(v == "low" for v in values):
        return "low"
    return "some concerns"


def natural_key(text: str) -> list[object]:
    """'Studie 2' before 'Studie 10'."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


@dataclass(frozen=True)
class AgreedBias:
    tool: BiasTool
    studies: tuple[str, ...]
    domains: tuple[str, ...]
    cells: dict[tuple[str, str], str]

    @property
    def missing(self) -> list[tuple[str, str]]:
        """Study × domain cells without an agreed judgement (the figures refuse to draw an incomplete table)."""
        return [(s, d) for s in self.studies for d in self.domains if d != OVERALL and (s, d) not in self.cells]

    def to_dict(self) -> dict[str, object]:
        return {"tool": self.tool.value, "studies": [
            {"study": s, **{d: self.cells.get((s, d)) for d in self.domains}} for s in self.studies]}


def agreed_table(project: Project, tool: BiasTool) -> AgreedBias:
    """The agreed judgements per study and domain; for RoB 2 the overall column is added by the algorithm
    unless the reviewers recorded an overall judgement themselves."""
    with project.reading() as session:
        rows = review_store.current_bias(session, tool.value, [None])
    cells = _grid(rows, None)
    studies = tuple(sorted({s for s, _ in cells}, key=natural_key))
    domains = DOMAINS[tool]
    if tool is BiasTool.ROB2:
        for study in studies:
            if (study, OVERALL) not in cells:
                overall = rob2_overall({d: cells[(study, d)] for d in domains if (study, d) in cells})
                if overall is not None:
                    cells[(study, OVERALL)] = overall
        domains = domains + (OVERALL,)
    return AgreedBias(tool, studies, domains, cells)
