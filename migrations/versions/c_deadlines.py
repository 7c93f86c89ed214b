"""binding deadlines: each open step keeps the deadline that binds it (the earlier of its own and the
instance's running overall limit), so Tugas Saya sorts on a column

Revision ID: c_deadlines
Revises: m_session_end
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c_deadlines'
down_revision = 'm_session_end'
branch_labels = None
depends_on = None

RUNNING_LIMIT = """
    SELECT si.limit_due_at FROM service_instance si
    WHERE si.id = step_record.instance_id AND si.limit_met IS NULL AND si.limit_due_at IS NOT NULL
"""


def upgrade():
    with op.batch_alter_table('step_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_step_record_deadline', ['finished_at', 'deadline_at'], unique=False)
    op.execute("UPDATE step_record SET deadline_at = due_at WHERE finished_at IS NULL")
    op.execute(
        f"""UPDATE step_record SET deadline_at = ({RUNNING_LIMIT})
        WHERE finished_at IS NULL AND EXISTS ({RUNNING_LIMIT}
            AND (step_record.deadline_at IS NULL OR si.limit_due_at < step_record.deadline_at))"""
    )


def downgrade():
    with op.batch_alter_table('step_record', schema=None) as batch_op:
        batch_op.drop_index('ix_step_record_deadline')
        batch_op.drop_column('deadline_at')
