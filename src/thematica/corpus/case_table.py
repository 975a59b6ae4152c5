"""The respondents' attributes as one table (the qualitative study's Table 1): a row per case, a
column per attribute in import order, with each attribute's type."""

from __future__ import annotations

from dataclasses import dataclass

from thematica.store import cases as case_store
from thematica.store.project import Project


@dataclass(frozen=True)
class CaseTable:
    attributes: tuple[tuple[str, str], ...]             # (name, type)
    cases: tuple[tuple[str, tuple[str | None, ...]], ...]  # (label, values in attribute order)

    def to_dict(self) -> dict:
        return {"attributes": [{"name": n, "type": t} for n, t in self.attributes],
                "cases": [{"case": label, **{n: v for (n, _), v in zip(self.attributes, values)}}
                          for label, values in self.cases]}


def case_table(project: Project) -> CaseTable:
    with project.reading() as session:
        attributes = tuple((a.name, a.type) for a in case_store.attributes(session))
        rows = []
        for case in case_store.all_cases(session):
            values = {attribute.name: value for attribute, value in case_store.case_values(session, case.id)}
            rows.append((case.label, tuple(values.get(name) for name, _ in attributes)))
    return CaseTable(attributes, tuple(rows))
