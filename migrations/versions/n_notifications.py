"""notifications: the outbox written with the move that causes it, and each staff member's channels

Revision ID: n_notifications
Revises: k_rollups
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'n_notifications'
down_revision = 'k_rollups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('step_record_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_record_id'], ['step_record.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_bell', ['staff_id', 'channel', 'read_at'], unique=False)
        batch_op.create_index('ix_notification_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notification_step', ['step_record_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_office_id'), ['office_id'], unique=False)
    op.create_table('notification_preference',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('whatsapp', sa.Boolean(), nullable=False),
    sa.Column('whatsapp_number', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id')
    )


def downgrade():
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_office_id'))
        batch_op.drop_index('ix_notification_step')
        batch_op.drop_index('ix_notification_due')
        batch_op.drop_index('ix_notification_bell')
    op.drop_table('notification')
