"""Staff accounts: FAB's user extended with the civil-service profile."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.offices import Office, Region

SECTIONS = {"BKA": _l("BKA (child clients)"), "BKD": _l("BKD (adult clients)")}


class Staff(User):
    """A staff member who signs in: NIP, position and, for Kasubsi and PK, a section."""

    __tablename__ = "ab_user"

    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    position: Mapped[str | None] = mapped_column(String(120))
    section: Mapped[str | None] = mapped_column(String(3), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The office the account works in; None for national accounts (national Admin, Ditjenpas) and
    # for the Kanwil, whose region is `region_id`.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    office: Mapped[Office | None] = relationship(Office, foreign_keys=[office_id])
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region | None] = relationship(Region, foreign_keys=[region_id])
    # Sessions carry the generation they began in; raising it ends all of them (logout, new password).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when someone else (Admin) chose the password: the account must replace it first.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Two-step verification: the TOTP key once confirmed, and the last time step accepted (a code
    # is good once).
    # Sealed (app.security.mfa.seal): a Fernet token, not the key itself.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    @property
    def full_name(self) -> str:
        """Display name: first and last name."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def role_names(self) -> set[str]:
        """Names of the roles this account holds, directly or through its groups."""
        names = {role.name for role in self.roles}
        return names | {role.name for group in self.groups for role in group.roles}

    def __repr__(self) -> str:
        return self.full_name


class RecoveryCode(Model):
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))


class EndedSession(Model):
    """A signed-in session ended by its logout: the hash of its random id, kept until the session
    would have reached its absolute lifetime anyway (app.security.sessions)."""

    __tablename__ = "ended_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
