"""Interchange: code groups, code links, non-codable categories, annotations, coder GUIDs.

Revision ID: 0003_interchange
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_interchange'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('code_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_group')),
    sa.UniqueConstraint('guid', name=op.f('uq_code_group_guid')),
    sa.UniqueConstraint('name', name=op.f('uq_code_group_name'))
    )
    op.create_table('code_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['code.id'], name=op.f('fk_code_group_member_code_id_code'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['code_group.id'], name=op.f('fk_code_group_member_group_id_code_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'code_id', name=op.f('pk_code_group_member'))
    )
    op.create_table('code_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['code.id'], name=op.f('fk_code_link_source_id_code'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['code.id'], name=op.f('fk_code_link_target_id_code'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_link')),
    sa.UniqueConstraint('source_id', 'target_id', 'label', name=op.f('uq_code_link_source_id_target_id_label'))
    )
    with op.batch_alter_table('code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_codable', sa.Boolean(), server_default='1', nullable=False))
    with op.batch_alter_table('coder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guid', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_coder_guid'), ['guid'])
    with op.batch_alter_table('memo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('end', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('memo', schema=None) as batch_op:
        batch_op.drop_column('end')
        batch_op.drop_column('start')
    with op.batch_alter_table('coder', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_coder_guid'), type_='unique')
        batch_op.drop_column('guid')
    with op.batch_alter_table('code', schema=None) as batch_op:
        batch_op.drop_column('is_codable')
    op.drop_table('code_link')
    op.drop_table('code_group_member')
    op.drop_table('code_group')
