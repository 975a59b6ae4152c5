"""Merging one code into another or deleting a code, and taking either back, each in a handful of statements.

A merge re-points the source's segments, children, memos, theme and group memberships and
consensus decisions to the target, drops the source's segments that the target already has
exactly (same document, coder and span), and deletes the source. ``MergedCode`` keeps all that
changed, so ``unmerge_code`` can put the source back: a new id (ids are never reused), the same
name, parent, colour, definitions and position, its memos and memberships, every segment of
every coder — the re-pointed ones keep their ids, the dropped duplicates are inserted again in
one bulk statement (new ids, returned so an undo stack can follow them). No statement is issued
per segment; lists of ids are sent in chunks (SQLite and PostgreSQL limit bound parameters).

Deleting a code (``remove_code``) keeps, in ``RemovedCode``, its row and every row that named it
and goes with it — everyone's segments and their exemplar marks, its memos, theme and group
memberships and links — so that ``put_back_code`` restores all of them (new ids).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from thematica.errors import ThematicaError
from thematica.store.models import Code, CodeGroupMember, CodeLink, ConsensusDecisionCode, Exemplar, Memo, Segment
from thematica.store.models import ThemeCode

CHUNK = 5000
"""Ids per ``IN (…)`` list: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters."""

Row = Mapping[str, Any]


@dataclass(frozen=True)
class MergedCode:
    """What merging ``source`` into ``target_id`` changed (ids as they were at the merge)."""

    source: Row  # the source code's row, every column
    target_id: int
    moved: tuple[int, ...]  # segment ids re-pointed to the target (they keep their ids)
    dropped: tuple[Row, ...]  # the source's segments the target already had exactly: deleted, every column
    children: tuple[int, ...]
    memos: tuple[int, ...]  # memos on the source, now on the target
    themes: tuple[int, ...]  # the source's themes ...
    themes_added: tuple[int, ...]  # ... and those of them the target was given by the merge
    groups: tuple[int, ...]
    groups_added: tuple[int, ...]
    links: tuple[Row, ...]  # code links of the source (deleted with it)
    exemplars: tuple[Row, ...]  # exemplar marks of the dropped duplicates (deleted with them)
    decisions: tuple[tuple[int, str], ...]  # (decision id, side) naming the source ...
    decisions_added: tuple[tuple[int, str], ...]  # ... and those the target was given

    @property
    def source_id(self) -> int:
        return int(self.source["id"])

    def renumbered(self, segments: Mapping[int, int], codes: Mapping[int, int]) -> MergedCode:
        """The same merge naming the ids rows have now (rows restored by an undo get new ids)."""
        def code(value: Any) -> Any:
            return codes.get(value, value) if isinstance(value, int) else value

        source = {**self.source, "id": code(self.source["id"]), "parent_id": code(self.source["parent_id"])}
        return replace(
            self, source=source, target_id=code(self.target_id),
            moved=tuple(segments.get(i, i) for i in self.moved),
            dropped=tuple({**row, "id": segments.get(row["id"], row["id"])} for row in self.dropped),
            children=tuple(code(i) for i in self.children),
            links=tuple({**row, "source_id": code(row["source_id"]), "target_id": code(row["target_id"])}
                        for row in self.links),
            exemplars=tuple({**row, "segment_id": segments.get(row["segment_id"], row["segment_id"])}
                            for row in self.exemplars))

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source["name"], "source_id": self.source_id, "target_id": self.target_id,
                "segments_moved": len(self.moved), "duplicates_dropped": len(self.dropped),
                "children": list(self.children), "memos": list(self.memos), "themes": list(self.themes),
                "groups": list(self.groups), "links": len(self.links), "decisions": len(self.decisions)}


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


def _ids(rows: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(row[0]) for row in rows)


def merge_code(session: Session, source_id: int, target_id: int) -> MergedCode:
    """Merge inside the caller's transaction: about a dozen statements whatever the number of segments."""
    source = session.execute(select(Code.__table__).where(Code.id == source_id)).mappings().first()
    if source is None:
        raise ThematicaError(f"no code with id {source_id}")
    own, theirs = Segment.__table__.alias("own"), Segment.__table__.alias("theirs")
    same_span = and_(theirs.c.code_id == target_id, theirs.c.document_id == own.c.document_id,
                     theirs.c.coder_id == own.c.coder_id, theirs.c.start == own.c.start, theirs.c.end == own.c.end)
    dropped = tuple(dict(row) for row in session.execute(
        select(own).join(theirs, same_span).where(own.c.code_id == source_id).order_by(own.c.id)).mappings())
    exemplars = _exemplars_of(session, [int(row["id"]) for row in dropped])
    for chunk in _chunks([int(row["id"]) for row in dropped]):
        session.execute(delete(Segment).where(Segment.id.in_(chunk)))
    moved = _ids(session.execute(update(Segment).where(Segment.code_id == source_id)
                                 .values(code_id=target_id).returning(Segment.id)))
    children = _ids(session.execute(update(Code).where(Code.parent_id == source_id)
                                    .values(parent_id=target_id).returning(Code.id)))
    memos = _ids(session.execute(update(Memo).where(Memo.code_id == source_id)
                                 .values(code_id=target_id).returning(Memo.id)))
    themes, themes_added = _join_members(session, ThemeCode, ThemeCode.theme_id, source_id, target_id)
    groups, groups_added = _join_members(session, CodeGroupMember, CodeGroupMember.group_id, source_id, target_id)
    links = _links_of(session, source_id)
    decided = session.execute(select(ConsensusDecisionCode.decision_id, ConsensusDecisionCode.side,
                                     ConsensusDecisionCode.code_id)
                              .where(ConsensusDecisionCode.code_id.in_([source_id, target_id]))).all()
    decisions = tuple(sorted((int(d), str(s)) for d, s, c in decided if c == source_id))
    target_has = {(int(d), str(s)) for d, s, c in decided if c == target_id}
    decisions_added = tuple(key for key in decisions if key not in target_has)
    if decisions_added:
        session.execute(insert(ConsensusDecisionCode),
                        [{"decision_id": d, "side": s, "code_id": target_id} for d, s in decisions_added])
    if decisions:
        session.execute(delete(ConsensusDecisionCode).where(ConsensusDecisionCode.code_id == source_id))
    # the source's links, memberships (cascade) and the code itself
    session.execute(delete(Code).where(Code.id == source_id))
    session.expire_all()  # the ORM's identity map must not hand out the deleted code
    return MergedCode(dict(source), target_id, moved, dropped, children, memos, themes, themes_added, groups,
                      groups_added, links, exemplars, decisions, decisions_added)


def _links_of(session: Session, code_id: int) -> tuple[Row, ...]:
    """The code links from or to the code, every column (they go with it by cascade)."""
    return tuple(dict(row) for row in session.execute(
        select(CodeLink.__table__).where(or_(CodeLink.source_id == code_id, CodeLink.target_id == code_id))
        .order_by(CodeLink.id)).mappings())


def _exemplars_of(session: Session, segment_ids: Sequence[int]) -> tuple[Row, ...]:
    found: list[Row] = []
    for chunk in _chunks(segment_ids):
        found += [dict(row) for row in session.execute(select(Exemplar.__table__).where(Exemplar.segment_id.in_(chunk))
                                                       .order_by(Exemplar.id)).mappings()]
    return tuple(found)


def _insert_exemplars(session: Session, exemplars: Sequence[Row], renumbered: Mapping[int, int]) -> None:
    if exemplars:
        session.execute(insert(Exemplar), [{**{k: v for k, v in row.items() if k != "id"},
                                            "segment_id": renumbered.get(row["segment_id"], row["segment_id"])}
                                           for row in exemplars])


def _join_members(session: Session, table: Any, key: Any, source_id: int, target_id: int
                  ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The source's memberships (theme or group ids) and those the target is given now (it keeps its own)."""
    rows = session.execute(select(key, table.code_id).where(table.code_id.in_([source_id, target_id]))).all()
    source = tuple(sorted(int(k) for k, c in rows if c == source_id))
    target = {int(k) for k, c in rows if c == target_id}
    added = tuple(k for k in source if k not in target)
    if added:
        session.execute(insert(table), [{key.key: k, "code_id": target_id} for k in added])
    return source, added


def unmerge_code(session: Session, merged: MergedCode, *, parent_id: int | None, target_id: int
                 ) -> tuple[int, dict[int, int]]:
    """Take a merge back inside the caller's transaction: the source's new id and ``{old segment id:
    new id}`` of the dropped duplicates inserted again. ``parent_id`` and ``target_id`` are the ids
    those codes have now (they may have been restored under new ids since)."""
    if session.get(Code, target_id) is None:
        raise ThematicaError("the code it was merged into no longer exists")
    values = {k: v for k, v in merged.source.items() if k != "id"}
    values["parent_id"] = parent_id
    new_id = int(session.execute(insert(Code).values(**values).returning(Code.id)).scalar_one())
    for chunk in _chunks(merged.moved):
        session.execute(update(Segment).where(Segment.id.in_(chunk), Segment.code_id == target_id)
                        .values(code_id=new_id))
    renumbered: dict[int, int] = {}
    if merged.dropped:
        rows = [{**{k: v for k, v in row.items() if k != "id"}, "code_id": new_id} for row in merged.dropped]
        inserted = session.execute(insert(Segment).returning(Segment.id, sort_by_parameter_order=True), rows)
        renumbered = {int(old["id"]): int(new) for old, new in zip(merged.dropped, inserted.scalars(), strict=True)}
    _insert_exemplars(session, merged.exemplars, renumbered)
    for chunk in _chunks(merged.children):
        session.execute(update(Code).where(Code.id.in_(chunk)).values(parent_id=new_id))
    for chunk in _chunks(merged.memos):
        session.execute(update(Memo).where(Memo.id.in_(chunk), Memo.code_id == target_id).values(code_id=new_id))
    _restore_members(session, ThemeCode, ThemeCode.theme_id, merged.themes, merged.themes_added, new_id, target_id)
    _restore_members(session, CodeGroupMember, CodeGroupMember.group_id, merged.groups, merged.groups_added,
                     new_id, target_id)
    if merged.links:
        source_id = merged.source_id
        session.execute(insert(CodeLink), [
            {"source_id": new_id if row["source_id"] == source_id else row["source_id"],
             "target_id": new_id if row["target_id"] == source_id else row["target_id"], "label": row["label"]}
            for row in merged.links])
    if merged.decisions:
        session.execute(insert(ConsensusDecisionCode),
                        [{"decision_id": d, "side": s, "code_id": new_id} for d, s in merged.decisions])
    for decision_id, side in merged.decisions_added:
        session.execute(delete(ConsensusDecisionCode).where(
            ConsensusDecisionCode.decision_id == decision_id, ConsensusDecisionCode.side == side,
            ConsensusDecisionCode.code_id == target_id))
    session.expire_all()
    return new_id, renumbered


@dataclass(frozen=True)
class RemovedCode:
    """A code deleted with every row that named it (ids as they were, kept current by ``renumbered``)."""

    code: Row
    segments: tuple[Row, ...]
    exemplars: tuple[Row, ...]
    memos: tuple[Row, ...]
    themes: tuple[int, ...]
    groups: tuple[int, ...]
    links: tuple[Row, ...]

    @property
    def code_id(self) -> int:
        return int(self.code["id"])

    def renumbered(self, segments: Mapping[int, int], codes: Mapping[int, int]) -> RemovedCode:
        def code(value: Any) -> Any:
            return codes.get(value, value) if isinstance(value, int) else value

        return replace(
            self, code={**self.code, "id": code(self.code["id"]), "parent_id": code(self.code["parent_id"])},
            segments=tuple({**row, "id": segments.get(row["id"], row["id"]), "code_id": code(row["code_id"])}
                           for row in self.segments),
            exemplars=tuple({**row, "segment_id": segments.get(row["segment_id"], row["segment_id"])}
                            for row in self.exemplars),
            links=tuple({**row, "source_id": code(row["source_id"]), "target_id": code(row["target_id"])}
                        for row in self.links))

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code["name"], "code_id": self.code_id, "segments": len(self.segments),
                "exemplars": len(self.exemplars), "memos": len(self.memos), "themes": list(self.themes),
                "groups": list(self.groups), "links": len(self.links)}


def remove_code(session: Session, code_id: int) -> RemovedCode:
    """Delete a code without children, with everyone's segments, inside the caller's transaction
    (about nine statements at any size); refused while a consensus decision names it (the
    meeting's record must keep showing it)."""
    code = session.execute(select(Code.__table__).where(Code.id == code_id)).mappings().first()
    if code is None:
        raise ThematicaError(f"no code with id {code_id}")
    if session.execute(select(Code.id).where(Code.parent_id == code_id).limit(1)).first() is not None:
        raise ThematicaError(f"code {code['name']!r} has child codes: move or delete those first")
    if session.execute(select(ConsensusDecisionCode.decision_id).where(ConsensusDecisionCode.code_id == code_id)
                       .limit(1)).first() is not None:
        raise ThematicaError(f"a consensus decision names {code['name']!r}: merge it into another code instead")
    segment_ids = [int(i) for i in session.scalars(select(Segment.id).where(Segment.code_id == code_id))]
    exemplars = _exemplars_of(session, segment_ids)
    segments = tuple(dict(row) for row in session.execute(
        delete(Segment).where(Segment.code_id == code_id).returning(*Segment.__table__.columns)).mappings())
    memos = tuple(dict(row) for row in session.execute(
        select(Memo.__table__).where(Memo.code_id == code_id).order_by(Memo.id)).mappings())
    themes = _ids(session.execute(select(ThemeCode.theme_id).where(ThemeCode.code_id == code_id)
                                  .order_by(ThemeCode.theme_id)))
    groups = _ids(session.execute(select(CodeGroupMember.group_id).where(CodeGroupMember.code_id == code_id)
                                  .order_by(CodeGroupMember.group_id)))
    links = _links_of(session, code_id)
    session.execute(delete(Code).where(Code.id == code_id))  # memos, memberships and links go by cascade
    session.expire_all()
    return RemovedCode(dict(code), tuple(sorted(segments, key=lambda row: int(row["id"]))), exemplars, memos,
                       themes, groups, links)


def put_back_code(session: Session, removed: RemovedCode) -> tuple[int, dict[int, int]]:
    """Insert a removed code again with all it held, inside the caller's transaction: its new id and
    ``{old segment id: new id}``. Its parent (``removed.code["parent_id"]``, as it is now) must exist."""
    parent_id = removed.code["parent_id"]
    if parent_id is not None and session.get(Code, parent_id) is None:
        raise ThematicaError("its parent code no longer exists")
    new_id = int(session.execute(insert(Code).values(**{k: v for k, v in removed.code.items() if k != "id"})
                                 .returning(Code.id)).scalar_one())
    renumbered: dict[int, int] = {}
    if removed.segments:
        rows = [{**{k: v for k, v in row.items() if k != "id"}, "code_id": new_id} for row in removed.segments]
        inserted = session.execute(insert(Segment).returning(Segment.id, sort_by_parameter_order=True), rows)
        renumbered = {int(old["id"]): int(new) for old, new in zip(removed.segments, inserted.scalars(), strict=True)}
    _insert_exemplars(session, removed.exemplars, renumbered)
    if removed.memos:
        session.execute(insert(Memo), [{**{k: v for k, v in row.items() if k != "id"}, "code_id": new_id}
                                       for row in removed.memos])
    _restore_members(session, ThemeCode, ThemeCode.theme_id, removed.themes, (), new_id, new_id)
    _restore_members(session, CodeGroupMember, CodeGroupMember.group_id, removed.groups, (), new_id, new_id)
    if removed.links:
        old = removed.code_id
        session.execute(insert(CodeLink), [
            {"source_id": new_id if row["source_id"] == old else row["source_id"],
             "target_id": new_id if row["target_id"] == old else row["target_id"], "label": row["label"]}
            for row in removed.links])
    session.expire_all()
    return new_id, renumbered


def _restore_members(session: Session, table: Any, key: Any, members: Sequence[int], added: Sequence[int],
                     new_id: int, target_id: int) -> None:
    if members:
        session.execute(insert(table), [{key.key: k, "code_id": new_id} for k in members])
    if added:
        session.execute(delete(table).where(table.code_id == target_id, key.in_(list(added))))
