"""accused and assignment letter: a complaint's confirmation that no staff member it names is
complained about; the Bambang Solah assignment letter's number, signer and signing time

Revision ID: p_accused_assignment
Revises: r_duty_roster
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'p_accused_assignment'
down_revision = 'r_duty_roster'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('no_staff_concerned', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('assignment_signed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assignment_signed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_outreach_assignment_signed_by_id_ab_user', 'ab_user', ['assignment_signed_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outreach_assignment_signed_by_id_ab_user', type_='foreignkey')
        batch_op.drop_column('assignment_signed_by_id')
        batch_op.drop_column('assignment_signed_at')
        batch_op.drop_column('assignment_number')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('no_staff_concerned')
