"""group session times: the start time (WIB), the section and the proposals' last day of a session

Revision ID: g_group_session_times
Revises: f_trip_limit
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'g_group_session_times'
down_revision = 'f_trip_limit'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.Time(), server_default='09:00:00', nullable=False))
        batch_op.add_column(sa.Column('section', sa.String(length=3), server_default='BKD', nullable=False))
        batch_op.add_column(sa.Column('proposals_due', sa.Date(), nullable=True))
        batch_op.create_index('ix_group_session_section', ['section'], unique=False)


def downgrade():
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.drop_index('ix_group_session_section')
        batch_op.drop_column('proposals_due')
        batch_op.drop_column('section')
        batch_op.drop_column('starts_at')
