"""Mandatory reporting (wajib lapor) of clients on parole or conditional release: each client's
schedule, each due occurrence and how it was met, and the warning letters (surat peringatan)."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.mobile import MobileAttendance
from app.models.offices import Office, OfficeOwned
from app.models.staff import Staff
from app.models.travel_permits import TravelPermit
from app.models.workflow import ServiceInstance
from app.timeutil import utcnow

# The programmes whose clients report on a schedule (PB, CB, CMB).
REPORTING_BASES = ("PB", "CB", "CMB")
MONTHLY, WEEKLY = "bulanan", "mingguan"
FREQUENCIES = {MONTHLY: _l("Monthly"), WEEKLY: _l("Weekly")}
WEEKDAYS = {
    1: _l("Monday"),
    2: _l("Tuesday"),
    3: _l("Wednesday"),
    4: _l("Thursday"),
    5: _l("Friday"),
    6: _l("Saturday"),
    7: _l("Sunday"),
}
MAX_MONTH_DAY = 28  # every month has it

ATTENDED, LATE, MISSED, EXCUSED = "hadir", "terlambat", "mangkir", "dimaafkan"
OCCURRENCE_STATUSES = {
    ATTENDED: _l("Reported"),
    LATE: _l("Reported late"),
    MISSED: _l("Missed"),
    EXCUSED: _l("Missed with a valid reason"),
}
OFFICE, BATAKO, TRIP = "kantor", "batako", "perjalanan"
CHANNELS = {
    OFFICE: _l("At the office"),
    BATAKO: _l("At a BATAKO point"),
    TRIP: _l("At another Bapas during a permitted trip"),
}
ROMAN = {1: "I", 2: "II", 3: "III"}


class ReportingSchedule(OfficeOwned, Model):
    """When a client must report: monthly on a day of the month, or weekly on a weekday."""

    __tablename__ = "reporting_schedule"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    client: Mapped[Client] = relationship(Client)
    frequency: Mapped[str] = mapped_column(String(10), default=MONTHLY)
    # The day of the month (1–28) of a monthly schedule, the ISO weekday (1 Monday – 7 Sunday) of a
    # weekly one.
    day: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    place: Mapped[str | None] = mapped_column(String(200))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    set_by: Mapped[Staff | None] = relationship(Staff)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("client_id", name="uq_reporting_schedule_client"),
        Index("ix_reporting_schedule_active", "active", "frequency", "day"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        if self.frequency == WEEKLY:
            return str(_l("Weekly on %(day)s", day=WEEKDAYS.get(self.day, self.day)))
        return str(_l("Monthly on day %(day)s", day=self.day))


class ReportingOccurrence(OfficeOwned, Model):
    """One due date of a schedule and how it was met: the attendance, or the miss and its follow-up."""

    __tablename__ = "reporting_occurrence"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("reporting_schedule.id", ondelete="CASCADE"))
    schedule: Mapped[ReportingSchedule] = relationship(ReportingSchedule)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    client: Mapped[Client] = relationship(Client)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str | None] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    recorded_by: Mapped[Staff | None] = relationship(Staff)
    # The office where the client reported: another Bapas during a permitted trip.
    recorded_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    recorded_office: Mapped[Office | None] = relationship(Office, foreign_keys=[recorded_office_id])
    office: Mapped[Office] = relationship(Office, foreign_keys="ReportingOccurrence.office_id")
    mobile_attendance_id: Mapped[int | None] = mapped_column(ForeignKey("mobile_attendance.id"))
    mobile_attendance: Mapped[MobileAttendance | None] = relationship(MobileAttendance)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("travel_permit.id"))
    permit: Mapped[TravelPermit | None] = relationship(TravelPermit)
    note: Mapped[str | None] = mapped_column(Text)
    # The follow-up of a miss (service LAPOR), opened by the daily job.
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"))
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("schedule_id", "due_on", name="uq_reporting_occurrence_due"),
        Index("ix_reporting_occurrence_client", "client_id", "due_on"),
        Index("ix_reporting_occurrence_status", "office_id", "status", "due_on"),
        Index("ix_reporting_occurrence_instance", "instance_id"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.client_id} {self.due_on}"


class WarningLetter(OfficeOwned, Model):
    """A warning letter (surat peringatan I, II or III) for a missed report without a valid reason."""

    __tablename__ = "warning_letter"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    client: Mapped[Client] = relationship(Client)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("reporting_occurrence.id"))
    occurrence: Mapped[ReportingOccurrence] = relationship(ReportingOccurrence)
    instance_id: Mapped[int] = mapped_column(ForeignKey("service_instance.id"))
    instance: Mapped[ServiceInstance] = relationship(ServiceInstance)
    level: Mapped[int] = mapped_column(Integer)
    facts: Mapped[str] = mapped_column(Text)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    drafted_by: Mapped[Staff] = relationship(Staff, foreign_keys=[drafted_by_id])
    drafted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    number: Mapped[str | None] = mapped_column(String(80))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    signed_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[signed_by_id])

    __table_args__ = (
        UniqueConstraint("instance_id", name="uq_warning_letter_instance"),
        Index("ix_warning_letter_client", "client_id", "level"),
        {"extend_existing": True},
    )

    @property
    def title(self) -> str:
        """ "Surat Peringatan II"."""
        return str(_l("Warning letter %(level)s", level=ROMAN.get(self.level, self.level)))

    def __repr__(self) -> str:
        return self.title
