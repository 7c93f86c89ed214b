"""inbox deadline indexes: Tugas Saya's open-step indexes follow the deadline that binds (it sorts by it)

Revision ID: c_inbox_deadline
Revises: c_deadlines
Create Date: 2026-11-29 07:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c_inbox_deadline'
down_revision = 'c_deadlines'
branch_labels = None
depends_on = None

OPEN = sa.text("finished_at IS NULL")
# (name, columns now, columns before): the inbox sorts by deadline_at, then ready_at and id.
INDEXES = [
    ("ix_step_record_open_role", ["actor_role", "section", "deadline_at", "ready_at", "id"],
     ["actor_role", "section", "ready_at", "id"]),
    ("ix_step_record_open_assignee", ["assignee_id", "deadline_at", "ready_at", "id"],
     ["assignee_id", "ready_at", "id"]),
    ("ix_step_record_open_due", ["actor_role", "section", "deadline_at"], ["actor_role", "section", "due_at"]),
]


def _swap(which: int) -> None:
    for entry in INDEXES:
        op.drop_index(entry[0], table_name="step_record")
        op.create_index(entry[0], "step_record", entry[which], postgresql_where=OPEN, sqlite_where=OPEN)


def upgrade():
    _swap(1)


def downgrade():
    _swap(2)
