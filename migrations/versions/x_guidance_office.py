"""guidance_log.office_id: a guidance log's office (its client's), so that an office's or a PK's
logs are one index range at national scale (issue #13); filled from the clients in one statement

Revision ID: x_guidance_office
Revises: w_reporting
Create Date: 2026-11-29 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'x_guidance_office'
down_revision = 'w_reporting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('guidance_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE guidance_log SET office_id = "
        "(SELECT client.office_id FROM client WHERE client.id = guidance_log.client_id)"
    )
    with op.batch_alter_table('guidance_log', schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_guidance_log_office_id_office', 'office', ['office_id'], ['id'])
        batch_op.create_index('ix_guidance_log_office_held', ['office_id', 'held_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('guidance_log', schema=None) as batch_op:
        batch_op.drop_index('ix_guidance_log_office_held')
        batch_op.drop_constraint('fk_guidance_log_office_id_office', type_='foreignkey')
        batch_op.drop_column('office_id')
