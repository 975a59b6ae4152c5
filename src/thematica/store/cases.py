"""Cases (participants) and their typed attributes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from thematica.names import clean_name
from thematica.store.models import Attribute, Case, CaseValue


def case_by_label(session: Session, label: str) -> Case | None:
    return session.scalars(select(Case).where(Case.label == label)).first()


def get_or_create_case(session: Session, label: str) -> Case:
    label = clean_name(label, "case")
    case = case_by_label(session, label)
    if case is None:
        case = Case(label=label)
        session.add(case)
        session.flush()
    return case


def all_cases(session: Session) -> Sequence[Case]:
    return session.scalars(select(Case).options(selectinload(Case.values)).order_by(Case.label)).all()


def case_labels(session: Session) -> dict[int, str]:
    """``{case id: label}`` in one light query (no attribute values loaded)."""
    return {case_id: label for case_id, label in session.execute(select(Case.id, Case.label))}


def attributes(session: Session) -> Sequence[Attribute]:
    return session.scalars(select(Attribute).order_by(Attribute.position, Attribute.name)).all()


def get_or_create_attribute(session: Session, name: str, type_: str) -> Attribute:
    name = clean_name(name, "variable")
    attribute = session.scalars(select(Attribute).where(Attribute.name == name)).first()
    if attribute is None:
        position = len(attributes(session))
        attribute = Attribute(name=name, type=type_, position=position)
        session.add(attribute)
        session.flush()
    return attribute


def set_case_value(session: Session, case: Case, attribute: Attribute, value: str | None) -> None:
    row = session.get(CaseValue, (case.id, attribute.id))
    if row is None:
        session.add(CaseValue(case_id=case.id, attribute_id=attribute.id, value=value))
    else:
        row.value = value


def case_values(session: Session, case_id: int) -> list[tuple[Attribute, str | None]]:
    rows = session.execute(
        select(Attribute, CaseValue.value)
        .join(CaseValue, CaseValue.attribute_id == Attribute.id)
        .where(CaseValue.case_id == case_id)
        .order_by(Attribute.position, Attribute.name)
    ).all()
    return [(attribute, value) for attribute, value in rows]
