"""trip limit: the longest trip out of town an office's Kepala permits (SOP 11), 30 days unless set

Revision ID: f_trip_limit
Revises: n_notifications
Create Date: 2026-11-29 07:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f_trip_limit'
down_revision = 'n_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_trip_days', sa.Integer(), server_default='30', nullable=False))


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('max_trip_days')
