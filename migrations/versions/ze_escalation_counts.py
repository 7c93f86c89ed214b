"""escalations counted part by part (Tugas Saya of a Kasubsi and the Kepala): a section's PK steps
still without a PK, and an office's running instances past their overall limit, each one small
index range instead of a filter over the office's open steps (issue #13)

Revision ID: ze_escalation_counts
Revises: zd_office_list_orders
Create Date: 2026-11-29 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'ze_escalation_counts'
down_revision = 'zd_office_list_orders'
branch_labels = None
depends_on = None

UNASSIGNED = sa.text("finished_at IS NULL AND assignee_id IS NULL")
PAST_LIMIT = sa.text("status = 'open' AND limit_met IS NULL")


def upgrade():
    op.create_index(
        "ix_step_record_open_unassigned", "step_record", ["actor_role", "section", "office_id"],
        postgresql_where=UNASSIGNED, sqlite_where=UNASSIGNED,
    )
    op.create_index(
        "ix_service_instance_open_limit", "service_instance", ["office_id", "limit_due_at"],
        postgresql_where=PAST_LIMIT, sqlite_where=PAST_LIMIT,
    )


def downgrade():
    op.drop_index("ix_service_instance_open_limit", table_name="service_instance")
    op.drop_index("ix_step_record_open_unassigned", table_name="step_record")
