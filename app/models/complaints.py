"""Complaints (pengaduan) about the Bapas's services, from the portal or taken by the complaint unit."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.files import StoredFile
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, stage_of

PORTAL = "PORTAL"
CHANNELS = {
    PORTAL: _l("Online portal"),
    "LANGSUNG": _l("In person"),
    "TELEPON": _l("Telephone"),
    "SURAT": _l("Letter"),
    "MEDSOS": _l("Social media"),
}
STAFF_CHANNELS = {code: label for code, label in CHANNELS.items() if code != PORTAL}
CATEGORIES = {
    "LAYANAN": _l("Service"),
    "PERILAKU": _l("Staff conduct"),
    "SARANA": _l("Facilities"),
    "LAINNYA": _l("Other"),
}
# The services of the seeds a complaint may concern.
SOPS = {
    "LAIN": _l("Other / not known"),
    "SOP11": _l("SOP 11 — Online permit to travel out of town"),
    "SOP12": _l("SOP 12 — 24-hour accompaniment of a child"),
    "SOP13": _l("SOP 13 — Mobile guidance service (BATAKO)"),
    "SOP14": _l("SOP 14 — Village and school outreach (Bambang Solah)"),
    "SOP14BK": _l("SOP 14 — Group guidance"),
    "BIMBINGAN": _l("Guidance of clients"),
}


class Complaint(OfficeOwned, Model):
    """One complaint, its handling (recommendation, direction, fix, clarification) and who it is about."""

    __tablename__ = "complaint"
    __audited__ = True
    # The complainant may stay anonymous to the audit trail's readers as well.
    __audit_redact__ = ("complainant_name", "complainant_contact")

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(32), unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    channel: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(8))
    sop: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    staff_named: Mapped[str | None] = mapped_column(String(120))
    subject_staff_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), index=True)
    subject_staff: Mapped[Staff | None] = relationship(Staff, foreign_keys=[subject_staff_id])
    # The complaint unit confirmed that the staff named in the text are not complained about.
    no_staff_concerned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    complainant_name: Mapped[str | None] = mapped_column(String(120))
    complainant_contact: Mapped[str | None] = mapped_column(String(120))
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    evidence_file: Mapped[StoredFile | None] = relationship(StoredFile)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    recorded_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[recorded_by_id])
    recommendation: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), index=True)
    responsible: Mapped[Staff | None] = relationship(Staff, foreign_keys=[responsible_id])
    fix: Mapped[str | None] = mapped_column(Text)
    clarification: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_complaint_received", "received_at", "category"),
        {"extend_existing": True},
    )

    @property
    def stage(self) -> str:
        """Where the complaint stands: its current step, or how it ended."""
        return stage_of(self.instance)

    @property
    def anonymous(self) -> bool:
        """Whether the complainant gave no name."""
        return not self.complainant_name

    def __repr__(self) -> str:
        return self.title
