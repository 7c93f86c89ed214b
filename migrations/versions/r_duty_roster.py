"""duty roster: the ABH duty days of each office and the steps routed to the one on duty (SOP 12)

Revision ID: r_duty_roster
Revises: g_group_session_times
Create Date: 2026-11-30 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'r_duty_roster'
down_revision = 'g_group_session_times'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'duty_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('tu_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('kepala_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('kasubsi_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('pk_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('deputy_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('office_id', sa.Integer(), sa.ForeignKey('office.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('office_id', 'day', name='uq_duty_day_office_day'),
    )
    op.create_index('ix_duty_day_office_id', 'duty_day', ['office_id'])
    op.create_table(
        'duty_assignment',
        sa.Column('step_record_id', sa.Integer(), sa.ForeignKey('step_record.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=False),
        sa.Column('deputy_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('step_record_id'),
    )
    op.create_index('ix_duty_assignment_staff_id', 'duty_assignment', ['staff_id'])
    op.create_index('ix_duty_assignment_waiting', 'duty_assignment',
                    ['acknowledged_at', 'escalated_at', 'assigned_at'])


def downgrade():
    op.drop_index('ix_duty_assignment_waiting', table_name='duty_assignment')
    op.drop_index('ix_duty_assignment_staff_id', table_name='duty_assignment')
    op.drop_table('duty_assignment')
    op.drop_index('ix_duty_day_office_id', table_name='duty_day')
    op.drop_table('duty_day')
