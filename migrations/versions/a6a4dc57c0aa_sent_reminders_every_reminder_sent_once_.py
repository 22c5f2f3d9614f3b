"""sent_reminders: every reminder sent, once; routines.review_reminded_at gone (it recorded no reminder)

Revision ID: a6a4dc57c0aa
Revises: 50e2f88976d4
Create Date: 2026-11-30 11:33:15.294385

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6a4dc57c0aa'
down_revision = '50e2f88976d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('about_date', sa.Date(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminders')),
    sa.UniqueConstraint('subject', 'subject_id', 'step', 'about_date', name=op.f('uq_sent_reminders_subject'))
    )
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.drop_column('review_reminded_at')


def downgrade():
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_reminded_at', sa.DateTime(timezone=True), nullable=True))

    op.drop_table('sent_reminders')
