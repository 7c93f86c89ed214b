"""The ABH duty roster (jadwal piket, SOP 12): who is on duty out of office hours, day by day, and
the steps routed to them with the moment they acknowledged ("diterima") them."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import StepRecord

# The slots of a duty day, in the order of the grid and the printed sheet.
SLOTS = ("tu", "kepala", "kasubsi", "pk", "deputy")


class DutyDay(OfficeOwned, Model):
    """Who is on duty at an office for the out-of-hours period that begins on `day` (until the next
    day's opening): TU, Kepala (or the one deputising), Kasubsi BKA, PK BKA and a deputy to escalate to."""

    __tablename__ = "duty_day"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    tu_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    kepala_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    kasubsi_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    pk_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    tu: Mapped[Staff | None] = relationship(Staff, foreign_keys=[tu_id])
    kepala: Mapped[Staff | None] = relationship(Staff, foreign_keys=[kepala_id])
    kasubsi: Mapped[Staff | None] = relationship(Staff, foreign_keys=[kasubsi_id])
    pk: Mapped[Staff | None] = relationship(Staff, foreign_keys=[pk_id])
    deputy: Mapped[Staff | None] = relationship(Staff, foreign_keys=[deputy_id])

    __table_args__ = (UniqueConstraint("office_id", "day", name="uq_duty_day_office_day"),)

    def __repr__(self) -> str:
        return f"piket {self.day}"


class DutyAssignment(Model):
    """A step of SOP 12 that became due out of office hours and went to the one on duty: when, whether
    they acknowledged it, and when it was escalated for want of an acknowledgement."""

    __tablename__ = "duty_assignment"
    __audited__ = True

    step_record_id: Mapped[int] = mapped_column(
        ForeignKey("step_record.id", ondelete="CASCADE"), primary_key=True
    )
    step_record: Mapped[StepRecord] = relationship(StepRecord)
    staff_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    staff: Mapped[Staff] = relationship(Staff, foreign_keys=[staff_id])
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The watcher's question, "unacknowledged and not yet escalated since when?", from the index alone.
    __table_args__ = (Index("ix_duty_assignment_waiting", "acknowledged_at", "escalated_at", "assigned_at"),)

    @property
    def id(self) -> int:
        """The step's id (the audit trail names a row by its id)."""
        return self.step_record_id

    def __repr__(self) -> str:
        return f"piket#{self.step_record_id}"
