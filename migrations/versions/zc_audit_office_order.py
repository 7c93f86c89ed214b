"""audit trail of an office in its list order: (office_id, at, id) replaces (office_id, at), so that
the newest entries of one office are read from the index in order; without the tie-breaker the
planner walked the whole country's trail backwards when the office's entries were older (issue #13)

Revision ID: zc_audit_office_order
Revises: zb_progress_office
Create Date: 2026-11-29 17:20:00

"""
from alembic import op


revision = 'zc_audit_office_order'
down_revision = 'zb_progress_office'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_log_office_at_id', 'audit_log', ['office_id', 'at', 'id'])
    op.drop_index('ix_audit_log_office_at', table_name='audit_log')


def downgrade():
    op.create_index('ix_audit_log_office_at', 'audit_log', ['office_id', 'at'])
    op.drop_index('ix_audit_log_office_at_id', table_name='audit_log')
