"""Routine scope moves: the routines feed names as removed only what the user could have read

Revision ID: 11045095b73d
Revises: 3863288e9ea9
Create Date: 2026-11-30 13:32:09.919534

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '11045095b73d'
down_revision = '3863288e9ea9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('routine_scope_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('routine_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=True),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_routine_scope_moves_from_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_routine_scope_moves_routine_id_routines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_scope_moves'))
    )
    with op.batch_alter_table('routine_scope_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routine_scope_moves_moved_at'), ['moved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_routine_scope_moves_routine_id'), ['routine_id'], unique=False)



def downgrade():
    with op.batch_alter_table('routine_scope_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routine_scope_moves_routine_id'))
        batch_op.drop_index(batch_op.f('ix_routine_scope_moves_moved_at'))

    op.drop_table('routine_scope_moves')
