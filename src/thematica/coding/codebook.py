"""Codebook actions: create codes by path, rename, re-parent, merge, edit definitions.

Each public function is one user action: it opens its own transaction and writes an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence

from thematica.coding.views import CodeInfo, code_info, codes_in_tree_order
from thematica.errors import ThematicaError
from thematica.names import clean_code_path, clean_name, shown
from thematica.store import audit
from thematica.store import code_merge
from thematica.store import codes as code_store
from thematica.store.code_merge import MergedCode, RemovedCode
from thematica.store.models import Code
from thematica.store.project import Project

PATH_SEPARATOR = code_store.PATH_SEPARATOR
EDITABLE_FIELDS = ("color", "definition", "inclusion", "exclusion", "example")

# A qualitative palette that reads on dark and light terminals (Okabe–Ito plus Tableau tones).
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#8C564B", "#17BECF", "#BCBD22", "#9467BD", "#FF9896",
)



def split_path(path: str) -> list[str]:
    """A code path's names, each NFC, trimmed and checked; at most 10 levels (``thematica.names``)."""
    return clean_code_path(path)


def code_infos(session) -> list[CodeInfo]:
    """All codes in tree order (parents before children, siblings by position then name)."""
    return codes_in_tree_order(code_store.code_rows(session))


def find_code(session, path: str) -> Code | None:
    parent_id: int | None = None
    code: Code | None = None
    for part in split_path(path):
        code = code_store.child_by_name(session, parent_id, part)
        if code is None:
            return None
        parent_id = code.id
    return code


def require_code(session, path: str) -> Code:
    code = find_code(session, path)
    if code is None:
        raise ThematicaError(f"no code {path!r} in the codebook")
    return code


def ensure_code_path(session, path: str, actor: str, **fields: str) -> Code:
    """Find the code at ``path``, creating it and any missing parents (inside the caller's transaction)."""
    parent_id: int | None = None
    code: Code | None = None
    parts = split_path(path)
    locked = False
    for depth, part in enumerate(parts):
        code = code_store.child_by_name(session, parent_id, part)
        if code is None and not locked:
            code_store.lock_codebook(session)
            locked = True
            code = code_store.child_by_name(session, parent_id, part)
        if code is None:
            own = fields if depth == len(parts) - 1 else {}
            code = _new_code(session, part, parent_id, actor, **own)
        parent_id = code.id
    assert code is not None
    return code


def _new_code(session, name: str, parent_id: int | None, actor: str, **fields: str) -> Code:
    if parent_id is None:
        color = fields.pop("color", "") or PALETTE[len(code_store.children(session, None)) % len(PALETTE)]
    else:
        parent = session.get(Code, parent_id)
        color = fields.pop("color", "") or parent.color
    code = Code(name=name, parent_id=parent_id, color=color, position=code_store.next_code_position(session),
                **{key: value for key, value in fields.items() if key in EDITABLE_FIELDS and value is not None})
    session.add(code)
    session.flush()
    audit.record(session, actor, "code.create", "code", code.id, name=name, parent_id=parent_id)
    return code


def create_code(project: Project, path: str, actor: str, **fields: str) -> CodeInfo:
    """Create a code (and missing parents); an existing path is refused."""
    with project.transaction() as session:
        if find_code(session, path) is not None:
            raise ThematicaError(f"code {path!r} already exists")
        code = ensure_code_path(session, path, actor, **fields)
        rows = code_store.code_rows(session)  # the new code is flushed: it is among them
        return code_info(next(row for row in rows if row.id == code.id), code_store.code_paths(rows)[code.id])


def update_code(project: Project, code_id: int, actor: str, **fields: str) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ThematicaError(f"cannot edit {', '.join(sorted(unknown))} of a code")
    with project.transaction() as session:
        code = _require_id(session, code_id)
        before = {key: getattr(code, key) for key in fields}
        for key, value in fields.items():
            setattr(code, key, value)
        audit.record(session, actor, "code.update", "code", code.id, before=before, after=fields)


def rename_code(project: Project, code_id: int, new_name: str, actor: str) -> None:
    new_name = clean_name(new_name, "code")
    if PATH_SEPARATOR in new_name:
        raise ThematicaError(f"invalid code name {shown(new_name)} (no '/' in a name)")
    with project.transaction() as session:
        code = _require_id(session, code_id)
        clash = code_store.child_by_name(session, code.parent_id, new_name)
        if clash is not None and clash.id != code.id:
            raise ThematicaError(f"a sibling code is already named {new_name!r}")
        audit.record(session, actor, "code.rename", "code", code.id, before=code.name, after=new_name)
        code.name = new_name


def reparent_code(project: Project, code_id: int, new_parent_id: int | None, actor: str) -> None:
    with project.transaction() as session:
        code = _require_id(session, code_id)
        if _is_within(session, new_parent_id, code.id):
            raise ThematicaError("a code cannot move under itself or its own child")
        clash = code_store.child_by_name(session, new_parent_id, code.name)
        if clash is not None and clash.id != code.id:
            raise ThematicaError(f"the new parent already has a code named {code.name!r}")
        audit.record(session, actor, "code.reparent", "code", code.id, before=code.parent_id, after=new_parent_id)
        code.parent_id = new_parent_id


def merge_codes(project: Project, source_id: int, target_id: int, actor: str) -> int:
    """Merge ``source`` into ``target`` (``merge``); how many of the source's segments moved."""
    return len(merge(project, source_id, target_id, actor).moved)


def _check_merge(session, source_id: int, target_id: int) -> Code:
    """The source code, once merging it into ``target_id`` is allowed: not into itself, not into one
    of its own descendants (the source's deletion would take the target with it)."""
    if source_id == target_id:
        raise ThematicaError("cannot merge a code into itself")
    source, target = _require_id(session, source_id), _require_id(session, target_id)
    if _is_within(session, target.parent_id, source.id):
        raise ThematicaError("cannot merge a code into one of its own children")
    return source


def merge_target(project: Project, source_id: int, target_path: str) -> Code:
    """The code at ``target_path`` that ``source_id`` may be merged into (checked as ``merge`` checks
    it, in a read), so that a front end refuses a wrong target before it asks for confirmation."""
    with project.reading() as session:
        target = require_code(session, target_path)
        _check_merge(session, source_id, target.id)
        return target


def merge(project: Project, source_id: int, target_id: int, actor: str) -> MergedCode:
    """Merge ``source`` into ``target`` in one transaction (logged): its segments (all coders),
    children, memos, theme and group memberships and consensus decisions move; the source's
    segments the target already has exactly are dropped; the source is deleted. What changed is
    returned, so that ``unmerge`` can take it back."""
    with project.transaction() as session:
        source = _check_merge(session, source_id, target_id)
        name = source.name
        merged = code_merge.merge_code(session, source_id, target_id)
        audit.record(session, actor, "code.merge", "code", target_id, source=name, source_id=source_id,
                     segments_moved=len(merged.moved), duplicates_dropped=len(merged.dropped))
        return merged


def unmerge(project: Project, merged: MergedCode, actor: str, *, parent_id: int | None, target_id: int
            ) -> tuple[int, dict[int, int]]:
    """Take a merge back in one transaction (logged): the source code again under a new id, with
    its segments, children, memos and memberships. ``parent_id``/``target_id``: those codes' ids
    now. Returns the new id and ``{old segment id: new id}`` of the duplicates inserted again."""
    with project.transaction() as session:
        if parent_id is not None:
            _require_id(session, parent_id)
        clash = code_store.child_by_name(session, parent_id, str(merged.source["name"]))
        if clash is not None:
            raise ThematicaError(f"a code named {merged.source['name']!r} is there again; rename it first")
        new_id, renumbered = code_merge.unmerge_code(session, merged, parent_id=parent_id, target_id=target_id)
        audit.record(session, actor, "code.unmerge", "code", new_id, name=merged.source["name"],
                     merged_into=target_id, segments=len(merged.moved) + len(merged.dropped))
        return new_id, renumbered


def remove(project: Project, code_id: int, path: str, actor: str) -> RemovedCode:
    """Delete a code without children with everyone's segments of it (and their exemplar marks),
    its memos, memberships and links, in one transaction (logged); what went is returned, so that
    ``put_back`` can restore it."""
    with project.transaction() as session:
        removed = code_merge.remove_code(session, code_id)
        audit.record(session, actor, "code.delete", "code", code_id, name=path,
                     segments=len(removed.segments), themes=list(removed.themes))
        return removed


def put_back(project: Project, removed: RemovedCode, path: str, actor: str) -> tuple[int, dict[int, int]]:
    """Restore a removed code in one transaction (logged), refused while a sibling has its name:
    its new id and ``{old segment id: new id}``."""
    with project.transaction() as session:
        clash = code_store.child_by_name(session, removed.code["parent_id"], str(removed.code["name"]))
        if clash is not None:
            raise ThematicaError(f"a code {path!r} is there again; rename it first")
        code_id, renumbered = code_merge.put_back_code(session, removed)
        audit.record(session, actor, "code.restore", "code", code_id, name=path, segments=len(renumbered))
        return code_id, renumbered


def delete_code(project: Project, code_id: int, actor: str) -> None:
    delete_codes(project, (code_id,), actor)


def delete_codes(project: Project, code_ids: Sequence[int], actor: str) -> None:
    """Delete unused codes in one transaction, the last first (a path's new parents come before
    its code), each logged as ``code.delete``; refused, nothing deleted, while a segment uses one
    of them or a child not among them is under one."""
    doomed = set(code_ids)
    with project.transaction() as session:
        for code_id in reversed(code_ids):
            code = _require_id(session, code_id)
            others = [child for child in code_store.children(session, code.id) if child.id not in doomed]
            if code_store.code_in_use(session, code.id) or others:
                raise ThematicaError(f"code {code.name!r} has segments or children; merge it instead")
            audit.record(session, actor, "code.delete", "code", code.id, name=code.name)
            session.delete(code)
            session.flush()


def _is_within(session, code_id: int | None, ancestor_id: int) -> bool:
    """Whether ``code_id`` is ``ancestor_id`` or one of its descendants (None: the top level, never)."""
    while code_id is not None:
        if code_id == ancestor_id:
            return True
        code_id = _require_id(session, code_id).parent_id
    return False


def _require_id(session, code_id: int) -> Code:
    code = session.get(Code, code_id)
    if code is None:
        raise ThematicaError(f"no code with id {code_id}")
    return code
