"""Search misses: queries without an answer (folded query, count, last seen; no user), kept 90 days

Revision ID: 5b2432f9d25f
Revises: b1a72929ffe0
Create Date: 2026-11-30 11:10:12.040339

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2432f9d25f'
down_revision = 'b1a72929ffe0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_misses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_misses')),
    sa.UniqueConstraint('query', name=op.f('uq_search_misses_query'))
    )
    with op.batch_alter_table('search_misses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_misses_last_seen_at'), ['last_seen_at'], unique=False)



def downgrade():
    with op.batch_alter_table('search_misses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_misses_last_seen_at'))

    op.drop_table('search_misses')
