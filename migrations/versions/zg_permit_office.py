"""travel_permit.office_id: the office of a permit's service (moved with it by a transfer), so that an
office's permits are one index range in each sort order at national scale (issue #13); filled from
the service, else the client, in one statement

Revision ID: zg_permit_office
Revises: zf_caseload_counts
Create Date: 2026-11-29 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'zg_permit_office'
down_revision = 'zf_caseload_counts'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_travel_permit_office_submitted", ["office_id", "submitted_at", "id"]),
    ("ix_travel_permit_office_depart", ["office_id", "depart_on", "id"]),
]


def upgrade():
    with op.batch_alter_table('travel_permit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE travel_permit SET office_id = coalesce("
        "(SELECT service_instance.office_id FROM service_instance"
        " WHERE service_instance.id = travel_permit.instance_id),"
        " (SELECT client.office_id FROM client WHERE client.id = travel_permit.client_id))"
    )
    with op.batch_alter_table('travel_permit', schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_travel_permit_office_id_office', 'office', ['office_id'], ['id'])
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('travel_permit', schema=None) as batch_op:
        for name, _columns in reversed(INDEXES):
            batch_op.drop_index(name)
        batch_op.drop_constraint('fk_travel_permit_office_id_office', type_='foreignkey')
        batch_op.drop_column('office_id')
