"""progress_report.office_id: a progress report's office (its client's), so that an office's list is
one index range in each sort order at national scale (issue #13); filled from the clients in one
statement

Revision ID: zb_progress_office
Revises: za_guidance_office_pk
Create Date: 2026-11-29 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'zb_progress_office'
down_revision = 'za_guidance_office_pk'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_progress_report_office_month", ["office_id", "month", "id"]),
    ("ix_progress_report_office_filed", ["office_id", "filed_at", "id"]),
]


def upgrade():
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE progress_report SET office_id = "
        "(SELECT client.office_id FROM client WHERE client.id = progress_report.client_id)"
    )
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_progress_report_office_id_office', 'office', ['office_id'], ['id'])
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        for name, _columns in reversed(INDEXES):
            batch_op.drop_index(name)
        batch_op.drop_constraint('fk_progress_report_office_id_office', type_='foreignkey')
        batch_op.drop_column('office_id')
