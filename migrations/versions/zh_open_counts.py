"""Kinerja counts what runs now from index ranges: an office's running instances with the columns the
dashboard groups and judges them by (index-only), and the open steps past their due time, the few that
make an instance overdue, read once as a set (issue #13)

Revision ID: zh_open_counts
Revises: zg_permit_office
Create Date: 2026-11-29 19:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'zh_open_counts'
down_revision = 'zg_permit_office'
branch_labels = None
depends_on = None

OPEN_WITH_DUE = sa.text("finished_at IS NULL AND due_at IS NOT NULL")
RUNNING = sa.text("status = 'open'")
RUNNING_KEYS = ["office_id", "service", "section", "officer_id"]


def upgrade():
    # "due_at IS NOT NULL" keeps the planner from reading this small index as the list of all open
    # steps (a full scan it chose for Tugas Saya); "due_at < cutoff" implies it, so the set uses it.
    op.create_index(
        "ix_step_record_open_due_at", "step_record", ["due_at"], postgresql_include=["ready_at", "instance_id"],
        postgresql_where=OPEN_WITH_DUE, sqlite_where=OPEN_WITH_DUE,
    )
    # The same keys as before, now carrying what the dashboard's conditions read.
    op.drop_index("ix_service_instance_open_office", table_name="service_instance")
    op.create_index(
        "ix_service_instance_open_office", "service_instance", RUNNING_KEYS,
        postgresql_include=["status", "started_at", "finished_at", "limit_due_at", "limit_met", "id"],
        postgresql_where=RUNNING, sqlite_where=RUNNING,
    )


def downgrade():
    op.drop_index("ix_service_instance_open_office", table_name="service_instance")
    op.create_index(
        "ix_service_instance_open_office", "service_instance", RUNNING_KEYS,
        postgresql_where=RUNNING, sqlite_where=RUNNING,
    )
    op.drop_index("ix_step_record_open_due_at", table_name="step_record")
