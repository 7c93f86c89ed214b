"""SOP 14 "Bimbingan Kelompok": group guidance sessions at the Bapas and the clients on their list."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.timeutil import utcnow

PROPOSING, LISTED, INVITED = "usulan", "daftar", "undangan"
SESSION_STATUSES = {
    PROPOSING: _l("Open for proposals"),
    LISTED: _l("List compiled"),
    INVITED: _l("Invitations sent"),
}


class GroupSession(OfficeOwned, Model):
    """A group guidance session prepared by a section's Kasubsi from its PKs' proposals."""

    __tablename__ = "group_session"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    # The time of day the session starts, on the office's clock (WIB).
    starts_at: Mapped[time] = mapped_column(Time, default=time(9, 0))
    place: Mapped[str] = mapped_column(String(200))
    # The section whose clients the session is for (its Kasubsi compiles it): BKA children, BKD adults.
    section: Mapped[str] = mapped_column(String(3), default="BKD", index=True)
    # The last day the PKs of the section may propose clients (their task's deadline: its close).
    proposals_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default=PROPOSING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    created_by: Mapped[Staff | None] = relationship(Staff)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    invitation_number: Mapped[str | None] = mapped_column(String(80))
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    members: Mapped[list[GroupMember]] = relationship(back_populates="session", order_by="GroupMember.id")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"{self.topic} ({self.held_on})"


class GroupMember(Model):
    """A client proposed by a PK for a session; the PK's list is one instance of the service."""

    __tablename__ = "group_member"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"))
    session: Mapped[GroupSession] = relationship(back_populates="members")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    client: Mapped[Client] = relationship(Client)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    proposed_by: Mapped[Staff] = relationship(Staff)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    included: Mapped[bool | None] = mapped_column(Boolean)
    attended: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (
        UniqueConstraint("session_id", "client_id", name="uq_group_member_client"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return str(self.client)
