"""BATAKO offline: the entries sent from the field app, each under its unique device-made key

Revision ID: o_batako_offline
Revises: t_assignment_note
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'o_batako_offline'
down_revision = 't_assignment_note'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mobile_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=36), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('attendance_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['mobile_service.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['officer_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['attendance_id'], ['mobile_attendance.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key', name='uq_mobile_entry_key'),
    )
    with op.batch_alter_table('mobile_entry', schema=None) as batch_op:
        batch_op.create_index('ix_mobile_entry_service_id', ['service_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mobile_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_mobile_entry_service_id')
    op.drop_table('mobile_entry')
