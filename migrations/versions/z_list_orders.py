"""list orders: the progress-report and travel-permit lists' sort orders as indexes with their
tie-breaker, so a page is read from the index instead of sorting the office's rows (issue #13)

Revision ID: z_list_orders
Revises: y_open_office
Create Date: 2026-11-29 15:00:00

"""
from alembic import op


revision = 'z_list_orders'
down_revision = 'y_open_office'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_progress_report_month_id", "progress_report", ["month", "id"]),
    ("ix_progress_report_filed", "progress_report", ["filed_at", "id"]),
    ("ix_travel_permit_submitted", "travel_permit", ["submitted_at", "id"]),
    ("ix_travel_permit_depart", "travel_permit", ["depart_on", "id"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
