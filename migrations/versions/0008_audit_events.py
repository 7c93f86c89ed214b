"""audit trail records events (sign-in, lockout, …) as well as row changes: longer action names

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite ignores VARCHAR lengths, and a batch copy would drop the append-only triggers.
    if op.get_bind().dialect.name == 'sqlite':
        return
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=sa.String(length=10), type_=sa.String(length=30))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        return
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=sa.String(length=30), type_=sa.String(length=10))
