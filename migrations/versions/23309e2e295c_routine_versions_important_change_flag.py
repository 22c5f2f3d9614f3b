"""routine versions: important change flag ("viktig ändring": tell everyone who can read the routine)

Revision ID: 23309e2e295c
Revises: 6c1d7ceae8a0
Create Date: 2026-11-23 14:40:17.915221

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23309e2e295c'
down_revision = '6c1d7ceae8a0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('routine_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('important_change', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('routine_versions', schema=None) as batch_op:
        batch_op.drop_column('important_change')
