"""permit revocation: who revoked a travel permit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('travel_permit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_travel_permit_revoked_by', 'ab_user', ['revoked_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('travel_permit', schema=None) as batch_op:
        batch_op.drop_constraint('fk_travel_permit_revoked_by', type_='foreignkey')
        batch_op.drop_column('revoked_by_id')
