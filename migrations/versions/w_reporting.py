"""wajib lapor: reporting schedules, their due occurrences and warning letters

Revision ID: w_reporting
Revises: o_batako_offline
Create Date: 2026-11-29 09:16:51.605735

"""
from alembic import op
import sqlalchemy as sa


revision = 'w_reporting'
down_revision = 'o_batako_offline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['set_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id', name='uq_reporting_schedule_client')
    )
    with op.batch_alter_table('reporting_schedule', schema=None) as batch_op:
        batch_op.create_index('ix_reporting_schedule_active', ['active', 'frequency', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_schedule_office_id'), ['office_id'], unique=False)

    op.create_table('reporting_occurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_office_id', sa.Integer(), nullable=True),
    sa.Column('mobile_attendance_id', sa.Integer(), nullable=True),
    sa.Column('permit_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ),
    sa.ForeignKeyConstraint(['mobile_attendance_id'], ['mobile_attendance.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['permit_id'], ['travel_permit.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['recorded_office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['schedule_id'], ['reporting_schedule.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('schedule_id', 'due_on', name='uq_reporting_occurrence_due')
    )
    with op.batch_alter_table('reporting_occurrence', schema=None) as batch_op:
        batch_op.create_index('ix_reporting_occurrence_client', ['client_id', 'due_on'], unique=False)
        batch_op.create_index('ix_reporting_occurrence_instance', ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_occurrence_office_id'), ['office_id'], unique=False)
        batch_op.create_index('ix_reporting_occurrence_status', ['office_id', 'status', 'due_on'], unique=False)

    op.create_table('warning_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ),
    sa.ForeignKeyConstraint(['occurrence_id'], ['reporting_occurrence.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['signed_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_id', name='uq_warning_letter_instance')
    )
    with op.batch_alter_table('warning_letter', schema=None) as batch_op:
        batch_op.create_index('ix_warning_letter_client', ['client_id', 'level'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_letter_office_id'), ['office_id'], unique=False)


def downgrade():
    for table in ('warning_letter', 'reporting_occurrence', 'reporting_schedule'):
        op.drop_table(table)
