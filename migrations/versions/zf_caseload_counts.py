"""PK caseload counted per PK from small index ranges: each PK's open steps past their due time, and
each PK's running instances with their office and id (an index-only count), instead of filtering
every open step and running instance of the office (issue #13)

Revision ID: zf_caseload_counts
Revises: ze_escalation_counts
Create Date: 2026-11-29 18:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'zf_caseload_counts'
down_revision = 'ze_escalation_counts'
branch_labels = None
depends_on = None

OPEN = sa.text("finished_at IS NULL")
RUNNING = sa.text("status = 'open'")


def upgrade():
    op.create_index(
        "ix_step_record_open_assignee_due", "step_record", ["assignee_id", "due_at"],
        postgresql_where=OPEN, sqlite_where=OPEN,
    )
    op.create_index(
        "ix_service_instance_open_officer", "service_instance", ["officer_id", "office_id", "id"],
        postgresql_where=RUNNING, sqlite_where=RUNNING,
    )


def downgrade():
    op.drop_index("ix_service_instance_open_officer", table_name="service_instance")
    op.drop_index("ix_step_record_open_assignee_due", table_name="step_record")
