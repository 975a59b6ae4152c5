"""Queries for exchange: GUIDs, memos, snapshots, and the codebook with frequencies per coder."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from thematica.store.models import (
    Case, CaseValue, Code, CodebookSnapshot, CodeGroup, CodeGroupMember, CodeLink, Coder, Document, Memo, Segment,
    Theme, ThemeCode, ThemeLink, Unit, utc_now,
)


def code_frequencies(session: Session) -> dict[tuple[int, str], int]:
    """``{(code id, coder name): segments}``."""
    rows = session.execute(select(Segment.code_id, Coder.name, func.count()).join(Coder, Coder.id == Segment.coder_id)
                           .group_by(Segment.code_id, Coder.name))
    return {(code_id, coder): count for code_id, coder, count in rows}


def themes_of_codes(session: Session) -> dict[int, list[str]]:
    rows = session.execute(select(ThemeCode.code_id, Theme.name).join(Theme, Theme.id == ThemeCode.theme_id)
                           .order_by(Theme.position, Theme.name))
    found: dict[int, list[str]] = {}
    for code_id, name in rows:
        found.setdefault(code_id, []).append(name)
    return found


def project_memos(session: Session) -> Sequence[Memo]:
    return session.scalars(select(Memo).order_by(Memo.id)).all()


def segments_with_coders(session: Session, document_id: int) -> list[tuple[Segment, str]]:
    rows = session.execute(select(Segment, Coder.name).join(Coder, Coder.id == Segment.coder_id)
                           .where(Segment.document_id == document_id).order_by(Segment.start, Segment.end, Segment.id))
    return [(segment, name) for segment, name in rows]


def code_by_guid(session: Session, guid: str) -> Code | None:
    return session.scalars(select(Code).where(Code.guid == guid)).first()


def snapshot(session: Session, label: str) -> CodebookSnapshot | None:
    return session.scalars(select(CodebookSnapshot).where(CodebookSnapshot.label == label)).first()


def add_snapshot(session: Session, label: str, content: str) -> None:
    session.add(CodebookSnapshot(label=label, content=content))


def add_memo(session: Session, title: str, text: str, guid: str | None, **attached: object) -> Memo:
    """A memo; ``attached`` names what it is about (document_id, code_id, theme_id, case_id, start, end,
    coder_id, created_at)."""
    memo = Memo(title=title, text=text, guid=guid, **attached)
    session.add(memo)
    return memo


def memo_exists(session: Session, title: str, text: str, **attached: object) -> bool:
    """An identical memo on the same object (and span) is already there (a file imported again)."""
    query = select(func.count()).select_from(Memo).where(Memo.title == title, Memo.text == text)
    for column in ("document_id", "code_id", "theme_id", "case_id", "start", "end"):
        value = attached.get(column)
        attribute = getattr(Memo, column)
        query = query.where(attribute.is_(None) if value is None else attribute == value)
    return (session.scalar(query) or 0) > 0


def memo_guid_exists(session: Session, guid: str) -> bool:
    return (session.scalar(select(func.count()).select_from(Memo).where(Memo.guid == guid)) or 0) > 0


def coder_by_guid(session: Session, guid: str) -> Coder | None:
    return session.scalars(select(Coder).where(Coder.guid == guid)).first()


def code_groups(session: Session) -> list[tuple[CodeGroup, list[int]]]:
    groups = session.scalars(select(CodeGroup).order_by(CodeGroup.name)).all()
    members: dict[int, list[int]] = {}
    for group_id, code_id in session.execute(select(CodeGroupMember.group_id, CodeGroupMember.code_id)
                                             .order_by(CodeGroupMember.code_id)):
        members.setdefault(group_id, []).append(code_id)
    return [(group, members.get(group.id, [])) for group in groups]


def get_or_create_code_group(session: Session, name: str, description: str, guid: str | None) -> CodeGroup:
    group = session.scalars(select(CodeGroup).where(CodeGroup.name == name)).first()
    if group is None:
        group = CodeGroup(name=name, description=description, guid=guid)
        session.add(group)
        session.flush()
    return group


def add_code_group_member(session: Session, group_id: int, code_id: int) -> None:
    if session.get(CodeGroupMember, (group_id, code_id)) is None:
        session.add(CodeGroupMember(group_id=group_id, code_id=code_id))


def code_links(session: Session) -> Sequence[CodeLink]:
    return session.scalars(select(CodeLink).order_by(CodeLink.id)).all()


def add_code_link_once(session: Session, source_id: int, target_id: int, label: str) -> bool:
    found = session.scalars(select(CodeLink).where(CodeLink.source_id == source_id, CodeLink.target_id == target_id,
                                                   CodeLink.label == label)).first()
    if found is not None:
        return False
    session.add(CodeLink(source_id=source_id, target_id=target_id, label=label))
    return True


def add_theme_link_once(session: Session, source_id: int, target_id: int, label: str) -> bool:
    found = session.scalars(select(ThemeLink).where(ThemeLink.source_id == source_id,
                                                    ThemeLink.target_id == target_id, ThemeLink.label == label)).first()
    if found is not None:
        return False
    session.add(ThemeLink(source_id=source_id, target_id=target_id, label=label))
    return True


def get_or_create_theme(session: Session, name: str, definition: str, position: int) -> Theme:
    theme = session.scalars(select(Theme).where(Theme.name == name)).first()
    if theme is None:
        theme = Theme(name=name, definition=definition, position=position)
        session.add(theme)
        session.flush()
    return theme


def rows_outside_the_standard(session: Session) -> dict[str, int]:
    """Rows of what REFI-QDA has no place for, counted for the export's data-loss warning (§7)."""
    from thematica.store.models import (CodebookSnapshot as Snapshot, ConsensusDecision, DocumentStatus, Exemplar,
                                        TrialParticipant)

    counts = {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in (
        ("exemplars", Exemplar), ("consensus decisions", ConsensusDecision), ("document status marks", DocumentStatus),
        ("trial participants", TrialParticipant), ("codebook snapshots", Snapshot))}
    counts["case memos"] = session.scalar(select(func.count()).select_from(Memo).where(Memo.case_id.is_not(None))) or 0
    return counts


def row_counts(session: Session) -> dict[str, int]:
    """Rows per table an import writes to (for checks that a refused import changed nothing)."""
    tables = {"document": Document, "code": Code, "segment": Segment, "coder": Coder, "memo": Memo, "case": Case,
              "theme": Theme, "theme_code": ThemeCode, "theme_link": ThemeLink, "code_group": CodeGroup,
              "code_link": CodeLink}
    return {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in tables.items()}



# ------------------------------------------------------------------ bulk writes (survey import)
_CHUNK = 500  # bound parameters per IN (...) list, well under SQLite's limit


def case_ids(session: Session, labels: Sequence[str]) -> dict[str, int]:
    """``{label: case id}`` for the labels, creating the missing cases in one statement."""
    found: dict[str, int] = {}
    for index in range(0, len(labels), _CHUNK):
        chunk = labels[index:index + _CHUNK]
        found.update((label, id_) for label, id_ in session.execute(select(Case.label, Case.id)
                                                                    .where(Case.label.in_(chunk))))
    missing = [{"label": label, "created_at": utc_now()} for label in labels if label not in found]
    if missing:
        session.execute(insert(Case), missing)
        return case_ids(session, labels)
    return found


def replace_case_values(session: Session, attribute_ids: Sequence[int], values: list[tuple[int, int, str | None]]) -> None:
    """Set ``(case id, attribute id, value)`` for many cases at once (earlier values of those pairs replaced)."""
    case_list = sorted({case_id for case_id, _, _ in values})
    for index in range(0, len(case_list), _CHUNK):
        session.execute(delete(CaseValue).where(CaseValue.case_id.in_(case_list[index:index + _CHUNK]),
                                                CaseValue.attribute_id.in_(list(attribute_ids))))
    if values:
        session.execute(insert(CaseValue), [{"case_id": c, "attribute_id": a, "value": v} for c, a, v in values])


def document_digests(session: Session) -> dict[str, str]:
    """``{document name: sha256}`` of every document."""
    return {name: digest for name, digest in session.execute(select(Document.name, Document.sha256))}


def insert_documents(session: Session, rows: list[dict[str, object]],
                     units: dict[str, list[tuple[str, int, int, int, str | None]]]) -> dict[str, int]:
    """Insert documents (column dicts) and their ``(kind, ordinal, start, end, speaker)`` units in bulk."""
    if not rows:
        return {}
    start = (session.scalar(select(func.max(Document.position))) or 0) + 1
    for offset, row in enumerate(rows):
        row.setdefault("position", start + offset)
        row.setdefault("imported_at", utc_now())
    session.execute(insert(Document), rows)
    names = [str(row["name"]) for row in rows]
    ids: dict[str, int] = {}
    for index in range(0, len(names), _CHUNK):
        ids.update((name, id_) for name, id_ in session.execute(
            select(Document.name, Document.id).where(Document.name.in_(names[index:index + _CHUNK]))))
    unit_rows = [{"document_id": ids[name], "kind": kind, "ordinal": ordinal, "start": begin, "end": end,
                  "speaker": speaker}
                 for name, spans in units.items() for kind, ordinal, begin, end, speaker in spans]
    if unit_rows:
        session.execute(insert(Unit), unit_rows)
    return ids
