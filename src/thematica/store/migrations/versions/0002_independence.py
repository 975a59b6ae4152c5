"""Independence: coder name keys, consensus meetings, an append-only decision log by id, AUTOINCREMENT.

* ``coder.name_key`` (NFC, trimmed, case-folded name; unique): ``'Carla '`` and ``carla`` are one coder.
* ``consensus_meeting``: one row per pair of coders, owning its consensus coding ``consensus:A+B``.
* ``consensus_decision`` is rebuilt: it references its meeting, the decider and (in
  ``consensus_decision_code``) the codes by id; a re-decision is a new row that ``supersedes`` the old.
  Decisions of the old schema (names as strings, one shared ``consensus`` coder) are carried over:
  each pair becomes a meeting, the shared consensus coder becomes the first pair's; an empty decider
  (the old schema accepted one) is recorded as the pair's first coder.
* Blind mode switched off project-wide by a consensus meeting (the old rule) is returned to the
  default: the visibility rule now reveals a pair's codings to that pair only.
* SQLite: every table with one integer key is rebuilt with AUTOINCREMENT, so ids are never reused.
  The rebuild needs foreign keys off (``open_project`` does that and runs ``foreign_key_check``).

Revision ID: 0002_independence
Revises: 0003_interchange
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0002_independence'
down_revision = '0003_interchange'
branch_labels = None
depends_on = None

def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("migration 0002 rebuilds tables: run it with SQLite foreign keys off")

    # ---- coder.name_key -------------------------------------------------------------------------
    with op.batch_alter_table('coder') as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=100), server_default='', nullable=False))
    taken: set[str] = set()
    rows = bind.execute(sa.text('SELECT id, name FROM coder ORDER BY id')).all()
    # a cleanly spelled name keeps the plain key; 'Carla ' beside 'carla' gets 'carla#4'
    for coder_id, name in sorted(rows, key=lambda row: (unicodedata.normalize("NFC", row[1]).strip() != row[1], row[0])):
        key = _key(name)
        if key in taken:  # two spellings of one name made two coders before: both kept, told apart
            key = f"{key}#{coder_id}"
        taken.add(key)
        bind.execute(sa.text('UPDATE coder SET name_key = :key WHERE id = :id'), {"key": key, "id": coder_id})
    with op.batch_alter_table('coder') as batch_op:
        batch_op.create_index('ix_coder_name_key', ['name_key'], unique=True)

    # ---- meetings and the decision log by id ------------------------------------------------------
    old_decisions = [dict(row._mapping) for row in bind.execute(sa.text(
        'SELECT document_id, start, "end", coder_a, coder_b, codes_a, codes_b, decision, codes_decided, '
        'rationale, decided_by, decided_at FROM consensus_decision ORDER BY id')).all()]
    op.drop_table('consensus_decision')
    op.create_table('consensus_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coder_a_id', sa.Integer(), nullable=False),
    sa.Column('coder_b_id', sa.Integer(), nullable=False),
    sa.Column('consensus_coder_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('include_unfinished', sa.Boolean(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coder_a_id'], ['coder.id'], name=op.f('fk_consensus_meeting_coder_a_id_coder'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['coder_b_id'], ['coder.id'], name=op.f('fk_consensus_meeting_coder_b_id_coder'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['consensus_coder_id'], ['coder.id'], name=op.f('fk_consensus_meeting_consensus_coder_id_coder'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['coder.id'], name=op.f('fk_consensus_meeting_opened_by_id_coder'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_meeting')),
    sa.UniqueConstraint('coder_a_id', 'coder_b_id', name=op.f('uq_consensus_meeting_coder_a_id_coder_b_id')),
    sa.UniqueConstraint('consensus_coder_id', name=op.f('uq_consensus_meeting_consensus_coder_id')),
    sqlite_autoincrement=True,
    )
    op.create_table('consensus_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['coder.id'], name=op.f('fk_consensus_decision_decided_by_id_coder'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_consensus_decision_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['consensus_meeting.id'], name=op.f('fk_consensus_decision_meeting_id_consensus_meeting'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['consensus_decision.id'], name=op.f('fk_consensus_decision_supersedes_id_consensus_decision'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_decision')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_consensus_decision_supersedes_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('consensus_decision') as batch_op:
        batch_op.create_index('ix_consensus_decision_meeting_passage', ['meeting_id', 'document_id', 'start', 'end'],
                              unique=False)
    op.create_table('consensus_decision_code',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['code.id'], name=op.f('fk_consensus_decision_code_code_id_code'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decision_id'], ['consensus_decision.id'], name=op.f('fk_consensus_decision_code_decision_id_consensus_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'side', 'code_id', name=op.f('pk_consensus_decision_code'))
    )
    _carry_over_decisions(bind, old_decisions)
    _undo_project_wide_unblinding(bind)

    # ---- AUTOINCREMENT (SQLite) -------------------------------------------------------------------
    if sqlite:
        for table in _tables_without_autoincrement(bind):
            with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}):
                pass


def _tables_without_autoincrement(bind) -> list[str]:
    """Every table with one integer primary key whose SQL lacks AUTOINCREMENT (whichever revisions made it)."""
    found = []
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        if table == 'alembic_version' or table.startswith('sqlite_'):
            continue
        keys = inspector.get_pk_constraint(table).get('constrained_columns') or []
        columns = {column['name']: column for column in inspector.get_columns(table)}
        sql = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                           {"t": table}).scalar() or ""
        if len(keys) == 1 and isinstance(columns[keys[0]]['type'], sa.Integer) and 'AUTOINCREMENT' not in sql.upper():
            found.append(table)
    return found


def _coder_id(bind, name: str) -> int:
    key = _key(name)
    found = bind.execute(sa.text('SELECT id FROM coder WHERE name_key = :key'), {"key": key}).scalar()
    if found is None:
        bind.execute(sa.text('INSERT INTO coder (name, name_key, created_at) VALUES (:name, :key, :at)'),
                     {"name": unicodedata.normalize("NFC", name).strip(), "key": key, "at": _now()})
        found = bind.execute(sa.text('SELECT id FROM coder WHERE name_key = :key'), {"key": key}).scalar()
    return int(found)


def _code_paths(bind) -> dict[str, int]:
    rows = {code_id: (name, parent) for code_id, name, parent in
            bind.execute(sa.text('SELECT id, name, parent_id FROM code')).all()}

    def path(code_id: int) -> str:
        name, parent = rows[code_id]
        return name if parent is None or parent not in rows else f"{path(parent)}/{name}"
    return {path(code_id): code_id for code_id in rows}


def _carry_over_decisions(bind, old_decisions: list[dict]) -> None:
    """Each pair of the old log becomes a meeting; the shared ``consensus`` coder becomes the first's."""
    opened: dict[tuple[str, str], tuple[str, object]] = {}
    for actor, at, detail in bind.execute(sa.text(
            "SELECT actor, at, detail FROM audit_event WHERE action = 'consensus.open' ORDER BY id")).all():
        values = json.loads(detail or "{}")
        if values.get("coder_a") and values.get("coder_b"):
            opened.setdefault((values["coder_a"], values["coder_b"]), (actor, at))
    pairs = list(opened)
    pairs += [pair for pair in dict.fromkeys((row["coder_a"], row["coder_b"]) for row in old_decisions)
              if pair not in opened]
    if not pairs:
        return
    shared = bind.execute(sa.text("SELECT id FROM coder WHERE name_key = 'consensus'")).scalar()
    paths = _code_paths(bind)
    meetings: dict[tuple[str, str], int] = {}
    for pair in pairs:
        coder_a, coder_b = _coder_id(bind, pair[0]), _coder_id(bind, pair[1])
        names = [bind.execute(sa.text('SELECT name FROM coder WHERE id = :id'), {"id": i}).scalar()
                 for i in (coder_a, coder_b)]
        consensus_name = f"consensus:{names[0]}+{names[1]}"
        if shared is not None:
            bind.execute(sa.text('UPDATE coder SET name = :name, name_key = :key WHERE id = :id'),
                         {"name": consensus_name, "key": _key(consensus_name), "id": shared})
            consensus_id, shared = int(shared), None
        else:
            consensus_id = _coder_id(bind, consensus_name)
        actor, at = opened.get(pair, (pair[0], _now()))
        opener = _coder_id(bind, actor) if actor and _key(actor) else coder_a
        bind.execute(sa.text(
            'INSERT INTO consensus_meeting (coder_a_id, coder_b_id, consensus_coder_id, unit, include_unfinished, '
            'opened_by_id, opened_at) VALUES (:a, :b, :c, :unit, :unfinished, :opener, :at)'),
            {"a": coder_a, "b": coder_b, "c": consensus_id, "unit": "sentence", "unfinished": False,
             "opener": opener, "at": at})
        meetings[pair] = int(bind.execute(sa.text('SELECT id FROM consensus_meeting WHERE consensus_coder_id = :c'),
                                          {"c": consensus_id}).scalar())
    for row in old_decisions:
        decider = row["decided_by"] if row["decided_by"] and _key(row["decided_by"]) else row["coder_a"]
        bind.execute(sa.text(
            'INSERT INTO consensus_decision (meeting_id, document_id, start, "end", decision, rationale, '
            'decided_by_id, decided_at) VALUES (:meeting, :document, :start, :end, :decision, :rationale, '
            ':decider, :at)'),
            {"meeting": meetings[(row["coder_a"], row["coder_b"])], "document": row["document_id"],
             "start": row["start"], "end": row["end"], "decision": row["decision"], "rationale": row["rationale"],
             "decider": _coder_id(bind, decider), "at": row["decided_at"]})
        decision_id = bind.execute(sa.text('SELECT max(id) FROM consensus_decision')).scalar()
        for side, column in (("a", "codes_a"), ("b", "codes_b"), ("decided", "codes_decided")):
            for path in {part.strip() for part in (row[column] or "").split(";") if part.strip()}:
                if path in paths:
                    bind.execute(sa.text('INSERT INTO consensus_decision_code (decision_id, side, code_id) '
                                         'VALUES (:d, :side, :code)'),
                                 {"d": decision_id, "side": side, "code": paths[path]})


def _undo_project_wide_unblinding(bind) -> None:
    last = bind.execute(sa.text(
        "SELECT detail FROM audit_event WHERE action = 'blind_mode.set' ORDER BY id DESC LIMIT 1")).scalar()
    if last is not None and str(json.loads(last).get("reason", "")).startswith("consensus meeting"):
        bind.execute(sa.text("DELETE FROM project_setting WHERE key = 'blind_mode'"))


def downgrade() -> None:
    raise NotImplementedError("Thematica does not downgrade a project; restore the backup made before the upgrade")
