"""guidance logs of a PK within its office: the two index ranges a PK's logs are read from, led by
the office, so that a PK's capped count needs no separate range of the office's logs (issue #13)

Revision ID: za_guidance_office_pk
Revises: z_list_orders
Create Date: 2026-11-29 15:30:00

"""
from alembic import op


revision = 'za_guidance_office_pk'
down_revision = 'z_list_orders'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_guidance_log_office_officer", ["office_id", "officer_id", "held_on"]),
    ("ix_guidance_log_office_client", ["office_id", "client_id", "held_on"]),
]


def upgrade():
    for name, columns in INDEXES:
        op.create_index(name, "guidance_log", columns)


def downgrade():
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="guidance_log")
