"""The notification outbox: what is to be told to whom, written in the transaction of the move that
causes it, and delivered later by a worker (app.notifications)."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.timeutil import utcnow

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = {PENDING: _l("Waiting"), SENT: _l("Sent"), FAILED: _l("Failed")}
# "app" is the bell in the back office: it needs no delivery and is sent when it is written.
APP, EMAIL, WHATSAPP = "app", "email", "whatsapp"
CHANNELS = {APP: _l("In the application"), EMAIL: _l("E-mail"), WHATSAPP: _l("WhatsApp")}

READY, DUE_SOON, OVERDUE, ESCALATION = "ready", "due_soon", "overdue", "escalation"
UNACKNOWLEDGED = "no_ack"  # a task on duty (SOP 12) not acknowledged within 15 minutes
RECEIPT, CORRECTION, DECISION, LETTER, ANSWERED = "receipt", "correction", "decision", "letter", "answered"
HANDOVER = "handover"  # a departing colleague's clients and services became this PK's
KINDS = {
    READY: _l("New task"),
    DUE_SOON: _l("Task near its standard"),
    OVERDUE: _l("Task overdue"),
    ESCALATION: _l("Overdue task of your team"),
    UNACKNOWLEDGED: _l("Duty task not acknowledged"),
    RECEIPT: _l("Receipt"),
    CORRECTION: _l("Correction asked for"),
    DECISION: _l("Decision"),
    LETTER: _l("Letter ready"),
    ANSWERED: _l("Complaint answered"),
    HANDOVER: _l("Work handed over to you"),
}


class Notification(OfficeOwned, Model):
    """One notice to one recipient (a staff member, or a member of the public by a contact they gave
    and agreed to) through one channel, with its delivery state."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"))
    staff: Mapped[Staff | None] = relationship(Staff)
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(120))  # e-mail or phone; None for the bell
    kind: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))  # a path of this site
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id", ondelete="CASCADE"))
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    step_record_id: Mapped[int | None] = mapped_column(ForeignKey("step_record.id", ondelete="CASCADE"))
    step_record: Mapped[StepRecord | None] = relationship(StepRecord)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # ABH: quiet hours do not apply
    digest: Mapped[bool] = mapped_column(Boolean, default=False)  # sent in the morning's digest
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # One notice of a kind per step, recipient and channel, however often the watcher looks.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    __table_args__ = (
        Index("ix_notification_due", "status", "next_attempt_at"),
        Index("ix_notification_bell", "staff_id", "channel", "read_at"),
        Index("ix_notification_step", "step_record_id", "kind"),
    )

    @property
    def recipient(self) -> str:
        """Who it is for, as the outbox shows it: the staff member, or the contact half hidden."""
        if self.staff is not None:
            return self.staff.full_name
        address = self.address or ""
        return address[:4] + "…" + address[-2:] if len(address) > 6 else "…"

    def __repr__(self) -> str:
        return self.subject


class NotificationPreference(Model):
    """The channels a staff member chose besides the bell (their profile); none chosen: e-mail."""

    __tablename__ = "notification_preference"

    staff_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    whatsapp: Mapped[bool] = mapped_column(Boolean, default=False)
    whatsapp_number: Mapped[str | None] = mapped_column(String(20))

    def __repr__(self) -> str:
        return f"notification_preference#{self.staff_id}"
