"""each office-scoped list in its default order: an index led by the office, then the sort column and
the id (the keyset tie-breaker), so that an office's first page is read from the index in order
whatever the other offices' rows (issue #13; tests/views/test_list_indexes.py)

Revision ID: zd_office_list_orders
Revises: zc_audit_office_order
Create Date: 2026-11-29 17:30:00

"""
from alembic import op


revision = 'zd_office_list_orders'
down_revision = 'zc_audit_office_order'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_incoming_letter_office_received", "incoming_letter", ["office_id", "received_at", "id"]),
    ("ix_tpp_session_office_held", "tpp_session", ["office_id", "held_on", "id"]),
    ("ix_mobile_service_office_held", "mobile_service", ["office_id", "held_on", "id"]),
    ("ix_group_session_office_held", "group_session", ["office_id", "held_on", "id"]),
    ("ix_reporting_schedule_office_starts", "reporting_schedule", ["office_id", "starts_on", "id"]),
    ("ix_outreach_office_requested", "outreach", ["office_id", "requested_on", "id"]),
    ("ix_complaint_office_received", "complaint", ["office_id", "received_at", "id"]),
    ("ix_notification_office_id_order", "notification", ["office_id", "id"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
