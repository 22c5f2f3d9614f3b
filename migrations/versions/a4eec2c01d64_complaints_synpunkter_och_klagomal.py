"""complaints: synpunkter och klagomål, a report of kind klagomål with its own side

Revision ID: a4eec2c01d64
Revises: c5862b52f8fb
Create Date: 2026-11-30 13:26:59.214955

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4eec2c01d64'
down_revision = 'c5862b52f8fb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('case_code', sa.String(length=20), nullable=False),
    sa.Column('follow_seed', sa.String(length=64), nullable=False),
    sa.Column('follow_token_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('unit_known', sa.Boolean(), nullable=False),
    sa.Column('complainant', sa.String(length=20), nullable=False),
    sa.Column('answer_way', sa.String(length=20), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('contact_address', sa.String(length=300), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answer_signed_name', sa.String(length=120), nullable=False),
    sa.Column('answer_signed_title', sa.String(length=120), nullable=False),
    sa.Column('no_answer_reason', sa.String(length=20), nullable=False),
    sa.Column('no_answer_note', sa.Text(), nullable=False),
    sa.Column('answer_mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_complaints_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_complaints_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('case_code', name=op.f('uq_complaints_case_code')),
    sa.UniqueConstraint('follow_token_hash', name=op.f('uq_complaints_follow_token_hash')),
    sa.UniqueConstraint('report_id', name=op.f('uq_complaints_report_id'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_channel'), ['channel'], unique=False)

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('reporter_id',
               existing_type=sa.INTEGER(),
               nullable=True)



def downgrade():
    # Complaints from the public page have no reporter; they go with the complaints table.
    op.execute("DELETE FROM reports WHERE reporter_id IS NULL")
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('reporter_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_channel'))

    op.drop_table('complaints')
