"""lists at national scale: indexes for each role's scope and sort (keyset pages), trigram name
search (pg_trgm), prefix search of register number and NIK, open steps by actor for Tugas Saya

Revision ID: l_lists
Revises: a_api_tokens
Create Date: 2026-12-01 10:00:00

"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "l_lists"
down_revision = "a_api_tokens"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
OPEN = sa.text("finished_at IS NULL")

# (name, table, columns): a list's scope column first, its sort column, the primary key as tie-breaker.
SORTS = [
    ("ix_client_office_name", "client", ["office_id", "name", "id"]),
    ("ix_client_office_category_name", "client", ["office_id", "category", "name", "id"]),
    ("ix_client_officer_name", "client", ["officer_id", "name", "id"]),
    ("ix_client_office_end", "client", ["office_id", "supervision_end", "id"]),
    ("ix_guidance_log_officer_held_id", "guidance_log", ["officer_id", "held_on", "id"]),
    ("ix_guidance_log_held_id", "guidance_log", ["held_on", "id"]),
    ("ix_service_instance_office_started", "service_instance", ["office_id", "started_at", "id"]),
]
# Trigram indexes behind "contains" searches of names (ILIKE '%…%').
TRIGRAMS = [("ix_client_name_trgm", "client", "name"), ("ix_incoming_letter_sender_trgm", "incoming_letter", "sender")]


def _has_trigrams(bind) -> bool:
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError as exc:
        log.warning(
            "pg_trgm is not available (%s): name searches work without their trigram index, "
            "by scanning. Ask the database administrator to install the extension "
            "(package postgresql-contrib) and run this migration again.",
            exc.orig,
        )
        return False


def upgrade():
    bind = op.get_bind()
    for name, table, columns in SORTS:
        op.create_index(name, table, columns)
    # Tugas Saya: the open steps of a role (and section), of an assignee, and the overdue ones.
    op.create_index(
        "ix_step_record_open_role", "step_record", ["actor_role", "section", "ready_at", "id"],
        postgresql_where=OPEN, sqlite_where=OPEN,
    )
    op.create_index(
        "ix_step_record_open_assignee", "step_record", ["assignee_id", "ready_at", "id"],
        postgresql_where=OPEN, sqlite_where=OPEN,
    )
    op.create_index(
        "ix_step_record_open_due", "step_record", ["actor_role", "section", "due_at"],
        postgresql_where=OPEN, sqlite_where=OPEN,
    )
    if bind.dialect.name != "postgresql":
        return  # SQLite: LIKE 'x%' and the btree on name serve the small databases it holds
    # Prefix search of register number and NIK ("starts with"), whatever the collation.
    op.execute("CREATE INDEX ix_client_register_prefix ON client (upper(register_number) text_pattern_ops)")
    op.execute("CREATE INDEX ix_client_nik_prefix ON client (upper(nik) text_pattern_ops)")
    if _has_trigrams(bind):
        for name, table, column in TRIGRAMS:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("ix_client_register_prefix", "ix_client_nik_prefix", *(t[0] for t in TRIGRAMS)):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in ("ix_step_record_open_due", "ix_step_record_open_assignee", "ix_step_record_open_role"):
        op.drop_index(name, table_name="step_record")
    for name, table, _columns in reversed(SORTS):
        op.drop_index(name, table_name=table)
