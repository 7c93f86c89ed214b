"""Sidang TPP (Tim Pengamat Pemasyarakatan): sessions, members present and agenda items."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.timeutil import utcnow

SESSION_OPEN, SESSION_CLOSED = "open", "closed"
SESSION_STATUSES = {SESSION_OPEN: _l("Open"), SESSION_CLOSED: _l("Closed")}

tpp_member = Table(
    "tpp_member",
    Model.metadata,
    Column("session_id", ForeignKey("tpp_session.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("ab_user.id"), primary_key=True),
)


class TppSession(OfficeOwned, Model):
    """A sitting of the TPP, chaired by the Kepala, with its agenda and minutes."""

    __tablename__ = "tpp_session"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(120))
    chair_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    chair: Mapped[Staff] = relationship(Staff, foreign_keys=[chair_id])
    secretary_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    secretary: Mapped[Staff] = relationship(Staff, foreign_keys=[secretary_id])
    members: Mapped[list[Staff]] = relationship(Staff, secondary=tpp_member)
    status: Mapped[str] = mapped_column(String(6), default=SESSION_OPEN)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    items: Mapped[list[TppItem]] = relationship(back_populates="session", order_by="TppItem.id")

    def __repr__(self) -> str:
        return f"Sidang TPP {self.held_on}"


class TppItem(Model):
    """One matter on a session's agenda: a step waiting for the TPP, and its decision."""

    __tablename__ = "tpp_item"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("tpp_session.id", ondelete="CASCADE"), index=True)
    session: Mapped[TppSession] = relationship(back_populates="items")
    step_record_id: Mapped[int] = mapped_column(ForeignKey("step_record.id"))
    step_record: Mapped[StepRecord] = relationship(StepRecord)
    decision: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("step_record_id", name="uq_tpp_item_step"), {"extend_existing": True})

    def __repr__(self) -> str:
        return f"Agenda {self.id}"
