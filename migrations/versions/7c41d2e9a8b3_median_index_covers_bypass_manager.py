"""the median's index covers bypass_manager: a manager's dashboard reads it without the table

Revision ID: 7c41d2e9a8b3
Revises: 2afc2c8bee4a
Create Date: 2026-12-01 00:35:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c41d2e9a8b3'
down_revision = '2afc2c8bee4a'
branch_labels = None
depends_on = None

OLD_COLUMNS = ['minutes_to_closed', 'received_at', 'unit_id']


def upgrade():
    op.drop_index('ix_reports_minutes_to_closed', table_name='reports')
    op.create_index('ix_reports_minutes_to_closed', 'reports', [*OLD_COLUMNS, 'bypass_manager'], unique=False)


def downgrade():
    op.drop_index('ix_reports_minutes_to_closed', table_name='reports')
    op.create_index('ix_reports_minutes_to_closed', 'reports', OLD_COLUMNS, unique=False)
