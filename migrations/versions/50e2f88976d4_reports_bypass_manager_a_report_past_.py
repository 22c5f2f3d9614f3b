"""reports.bypass_manager: a report past the reporter's own manager, to quality

Revision ID: 50e2f88976d4
Revises: 1e1b4bb6f6fc
Create Date: 2026-11-30 11:27:23.343757

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '50e2f88976d4'
down_revision = '1e1b4bb6f6fc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bypass_manager', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('bypass_manager')
