"""two-step verification keys encrypted at rest: the TOTP keys already stored are sealed (Fernet,
key derived from TOTP_ENCRYPTION_KEY or SECRET_KEY); the column widens for the token

Revision ID: m_totp_sealed
Revises: l_lists
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from app.security import mfa


revision = 'm_totp_sealed'
down_revision = 'l_lists'
branch_labels = None
depends_on = None

USERS = sa.table('ab_user', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _rewrite(change):
    conn = op.get_bind()
    rows = conn.execute(sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.isnot(None))).all()
    for user_id, value in rows:
        new = change(value)
        if new is not None and new != value:
            conn.execute(USERS.update().where(USERS.c.id == user_id).values(totp_secret=new))


def upgrade():
    # SQLite does not enforce a VARCHAR's length (and would copy the whole table to change it).
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('ab_user', 'totp_secret', type_=sa.String(length=255), existing_type=sa.String(length=64),
                        existing_nullable=True)
    config = current_app.config
    # A value that already opens with the key is sealed (a rerun); every other one is a plain key.
    _rewrite(lambda value: None if mfa.unseal(value, config) else mfa.seal(value, config))


def downgrade():
    config = current_app.config
    _rewrite(lambda value: mfa.unseal(value, config))
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('ab_user', 'totp_secret', type_=sa.String(length=64), existing_type=sa.String(length=255),
                        existing_nullable=True)
