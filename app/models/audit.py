"""The audit trail: one append-only row per insert, update or delete of a domain record."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.timeutil import utcnow

# Row changes; events (sign-in, lockout, …) use their own action names, up to 30 characters.
ACTIONS = ("insert", "update", "delete")


class AuditLog(Model):
    """Who changed which record when, with old and new values. Never updated or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column()
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict] = mapped_column(JSON)
    # The office of the user or record (None: a national account's event); scope reads it.
    office_id: Mapped[int | None] = mapped_column(index=True)
    # The chain (app/audit_chain.py): the previous row's hash and this row's HMAC over both.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_record", "table_name", "record_id"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_user", "user_id", "at"),
        {"extend_existing": True},
    )

    def visible_changes(self) -> dict:
        """The changes as the signed-in reader may see them (a child's identity masked)."""
        from app.masking import audit_changes

        return audit_changes(self.table_name, self.record_id, self.changes or {})

    def changes_in_words(self) -> list[tuple[str, str, str]]:
        """(field, old value, new value) of the visible changes, as a reader says them."""
        from app.audit_labels import changed_fields

        return changed_fields(self.table_name, self.visible_changes())

    def __repr__(self) -> str:
        return f"{self.action} {self.table_name}#{self.record_id}"
