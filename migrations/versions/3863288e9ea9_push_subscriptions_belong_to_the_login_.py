"""Push subscriptions belong to the login they were made in

Revision ID: 3863288e9ea9
Revises: c6a62c7175b0
Create Date: 2026-11-30 13:25:21.957376

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3863288e9ea9'
down_revision = 'c6a62c7175b0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_push_subscriptions_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_push_subscriptions_session_id_user_sessions'), 'user_sessions', ['session_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_push_subscriptions_session_id_user_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_session_id'))
        batch_op.drop_column('session_id')

