"""logout ends one session: the ids of sessions ended by their logout (hashed), kept for a
session's lifetime

Revision ID: m_session_end
Revises: m_totp_sealed
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'm_session_end'
down_revision = 'm_totp_sealed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_session',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index('ix_ended_session_user_id', 'ended_session', ['user_id'])
    op.create_index('ix_ended_session_ended_at', 'ended_session', ['ended_at'])


def downgrade():
    op.drop_index('ix_ended_session_ended_at', table_name='ended_session')
    op.drop_index('ix_ended_session_user_id', table_name='ended_session')
    op.drop_table('ended_session')
