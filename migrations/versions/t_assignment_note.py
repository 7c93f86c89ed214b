"""assignment note: the Kasubsi's note to the PK it assigns on a disposition, printed on the sheet

Revision ID: t_assignment_note
Revises: p_accused_assignment
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 't_assignment_note'
down_revision = 'p_accused_assignment'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disposition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('disposition', schema=None) as batch_op:
        batch_op.drop_column('assignment_note')
