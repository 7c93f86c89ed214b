"""Service accounts' API tokens: a partner system (SDP, the Kanwil's dashboard) calls the REST API
with a bearer token the Admin issued to a staff account of a given role; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.staff import Staff
from app.timeutil import as_utc, utcnow

TOKEN_PREFIX = "bapas_"  # noqa: S105 (a marker, not a secret)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 (a token is random, so no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh token: 256 random bits after a recognisable prefix (secret scanners find it)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(Model):
    """A bearer token of a service account, valid until it expires or is revoked."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    account_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    account: Mapped[Staff] = relationship(Staff, foreign_keys=[account_id])
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Issuing and revoking are admin events; a use is recorded as an "api" event, not as an update.
    __audited__ = True
    __audit_columns__ = (
        "name",
        "account_id",
        "token_hash",
        "hint",
        "created_by_id",
        "expires_at",
        "revoked_at",
    )
    __audit_redact__ = ("token_hash",)

    def is_valid(self, now: datetime) -> bool:
        """Whether the token may be used at `now`: not revoked, not expired, its account active."""
        return self.revoked_at is None and now < as_utc(self.expires_at) and bool(self.account.active)

    def __repr__(self) -> str:
        return f"{self.name} ({self.hint}…)"
