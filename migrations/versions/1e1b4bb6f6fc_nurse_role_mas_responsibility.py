"""users.is_mas: the MAS responsibility of a quality user (the nurse role needs no schema change)

Revision ID: 1e1b4bb6f6fc
Revises: 5b2432f9d25f
Create Date: 2026-11-30 11:20:25.077063

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1e1b4bb6f6fc'
down_revision = '5b2432f9d25f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_mas', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_mas')
