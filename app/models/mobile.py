"""SOP 13 "Bapas Tekan Kono" (BATAKO): a PK's mobile service point and the clients who report there."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.files import StoredFile
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.timeutil import utcnow

POINT_PLANNED, POINT_OPEN, POINT_CLOSED, POINT_REPORTED = "rencana", "buka", "tutup", "lapor"
POINT_STATUSES = {
    POINT_PLANNED: _l("Planned"),
    POINT_OPEN: _l("Open"),
    POINT_CLOSED: _l("Closed, report pending"),
    POINT_REPORTED: _l("Reported"),
}


class MobileService(OfficeOwned, Model):
    """A BATAKO service point: where and when a PK receives clients in a target town."""

    __tablename__ = "mobile_service"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff] = relationship(Staff)
    town: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(7), default=POINT_PLANNED)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    report: Mapped[str | None] = mapped_column(Text)
    visits: Mapped[list[MobileAttendance]] = relationship(
        back_populates="service", order_by="MobileAttendance.id"
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_mobile_service_officer", "officer_id", "held_on"), {"extend_existing": True})

    def __repr__(self) -> str:
        return f"BATAKO {self.town} {self.held_on}"


class MobileAttendance(Model):
    """A client who reported at a BATAKO point (wajib lapor), and when the guidance note was written."""

    __tablename__ = "mobile_attendance"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("mobile_service.id", ondelete="CASCADE"))
    service: Mapped[MobileService] = relationship(back_populates="visits")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    client: Mapped[Client] = relationship(Client)
    checked_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signature_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    signature_file: Mapped[StoredFile | None] = relationship(StoredFile)
    guided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("service_id", "client_id", name="uq_mobile_attendance_client"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.client} @ {self.service}"


ENTRY_CHECK_IN, ENTRY_GUIDE = "hadir", "bimbing"


class MobileEntry(Model):
    """An entry sent from the BATAKO field app (maybe made offline): its device-made key is unique,
    so a retry or a double tap answers with the first result instead of recording twice."""

    __tablename__ = "mobile_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36))
    service_id: Mapped[int] = mapped_column(ForeignKey("mobile_service.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    kind: Mapped[str] = mapped_column(String(8))
    attendance_id: Mapped[int] = mapped_column(ForeignKey("mobile_attendance.id", ondelete="CASCADE"))
    attendance: Mapped[MobileAttendance] = relationship(MobileAttendance)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("key", name="uq_mobile_entry_key"), {"extend_existing": True})
