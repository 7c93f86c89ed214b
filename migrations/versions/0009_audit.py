"""audit trail tamper evidence: hash chain columns filled for existing rows; TRUNCATE refused

Revision ID: 0009_audit
Revises: 0009_offices
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from app import audit_chain


# revision identifiers, used by Alembic.
revision = '0009_audit'
down_revision = '0009_offices'
branch_labels = None
depends_on = None

# The same statement as 0001's; SQLite has no way to switch a trigger off, only to drop it.
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
)


def upgrade():
    # Plain ADD COLUMN on SQLite too: a batch copy of the table would drop the append-only triggers.
    op.add_column('audit_log', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_log', sa.Column('row_hash', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    # The rows written so far get their links, through the append-only trigger for this once.
    if postgres:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
    audit_chain.rechain(bind, audit_chain.hmac_key(current_app.config))
    if postgres:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        op.execute(SQLITE_NO_UPDATE)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.drop_column('audit_log', 'row_hash')
    op.drop_column('audit_log', 'prev_hash')
