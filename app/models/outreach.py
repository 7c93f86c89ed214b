"""Bambang Solah (SOP 14): outreach to village cadres and school students on request."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.files import StoredFile
from app.models.letters import IncomingLetter
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, stage_of
from app.timeutil import utcnow

INSTITUTION_KINDS = {"DESA": _l("Village"), "SEKOLAH": _l("School")}
MIN_TEAM = 2  # the SOP's "Jumlah Pelaksana: minimal 2 orang"

outreach_photo = Table(
    "outreach_photo",
    Model.metadata,
    Column("outreach_id", ForeignKey("outreach.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("stored_file.id"), primary_key=True),
)


class Outreach(OfficeOwned, Model):
    """One request of a village or school for an outreach, and the team's activity report."""

    __tablename__ = "outreach"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(32), unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("incoming_letter.id"), index=True)
    letter: Mapped[IncomingLetter | None] = relationship(IncomingLetter)
    institution: Mapped[str] = mapped_column(String(200))
    institution_kind: Mapped[str] = mapped_column(String(8))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str] = mapped_column(String(20))
    requested_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(300))
    request_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    request_file: Mapped[StoredFile | None] = relationship(StoredFile)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    held_on: Mapped[date | None] = mapped_column(Date)
    participants_count: Mapped[int | None] = mapped_column(Integer)
    participants: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    photos: Mapped[list[StoredFile]] = relationship(StoredFile, secondary=outreach_photo)
    # The team's assignment letter (surat tugas): numbered in the office's agenda series when the
    # Kepala signs it; unsigned it prints as a draft.
    assignment_number: Mapped[str | None] = mapped_column(String(60))
    assignment_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignment_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    assignment_signed_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[assignment_signed_by_id])
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def stage(self) -> str:
        """Where the request stands: its current step, or how it ended."""
        return stage_of(self.instance)

    @property
    def leader(self) -> Staff | None:
        """The team leader the Kasubsi chose (the instance's responsible officer)."""
        if self.instance is None or self.instance.officer_id is None:
            return None
        return next((m for m in self.instance.members if m.id == self.instance.officer_id), None)

    @property
    def team(self) -> list[Staff]:
        """The appointed PKs, the leader first, then by name."""
        if self.instance is None:
            return []
        members = sorted(self.instance.members, key=lambda m: (m.first_name, m.last_name))
        return sorted(members, key=lambda m: m.id != self.instance.officer_id)

    def __repr__(self) -> str:
        return f"{self.institution} ({self.requested_on})"
