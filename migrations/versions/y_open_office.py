"""open work by office: Tugas Saya walks an office's open steps in deadline order and stops at the
rows it shows; Kinerja reads an office's running instances from one index range (issue #13)

Revision ID: y_open_office
Revises: x_guidance_office
Create Date: 2026-11-29 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'y_open_office'
down_revision = 'x_guidance_office'
branch_labels = None
depends_on = None

OPEN = sa.text("finished_at IS NULL")
RUNNING = sa.text("status = 'open'")


def upgrade():
    op.create_index(
        "ix_step_record_open_office", "step_record", ["office_id", "deadline_at", "ready_at", "id"],
        postgresql_where=OPEN, sqlite_where=OPEN,
    )
    op.create_index(
        "ix_service_instance_open_office", "service_instance", ["office_id", "service", "section", "officer_id"],
        postgresql_where=RUNNING, sqlite_where=RUNNING,
    )


def downgrade():
    op.drop_index("ix_service_instance_open_office", table_name="service_instance")
    op.drop_index("ix_step_record_open_office", table_name="step_record")
