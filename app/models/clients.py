"""Clients (klien pemasyarakatan) under the supervision of this Bapas."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.files import StoredFile
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.timeutil import age_on, today_wib, utcnow

CHILD, ADULT = "anak", "dewasa"
CATEGORIES = {CHILD: _l("Child"), ADULT: _l("Adult")}
SECTION_OF_CATEGORY = {CHILD: "BKA", ADULT: "BKD"}
# The columns of a client that identify the person (masked for a child, UU 11/2012).
IDENTITY_FIELDS = (
    "name", "nik", "birth_place", "birth_date", "address", "phone",
    "guardian_name", "guardian_relation", "guardian_phone", "guidance_card_number",
)  # fmt: skip
SEXES = {"L": _l("Male"), "P": _l("Female")}
LEGAL_BASES = {
    "PB": _l("Parole"),
    "CB": _l("Conditional leave"),
    "CMB": _l("Leave before release"),
    "ASIMILASI": _l("Assimilation"),
    "PIDANA_BERSYARAT": _l("Conditional sentence"),
    "PIDANA_PENGAWASAN": _l("Supervision sentence"),
    "DIVERSI": _l("Diversion"),
    "LAINNYA": _l("Other"),
}
ACTIVE, FINISHED, REVOKED, TRANSFERRED = "aktif", "selesai", "dicabut", "dipindah"
ACCOMPANIED = "didampingi"  # a child accompanied in the legal process, not (yet) supervised
STATUSES = {
    ACCOMPANIED: _l("Accompanied in the legal process"),
    ACTIVE: _l("Under supervision"),
    FINISHED: _l("Supervision finished"),
    REVOKED: _l("Revoked"),
    TRANSFERRED: _l("Transferred"),
}
ADULT_AGE = 18


class Client(OfficeOwned, Model):
    """A client: identity, legal basis, supervision period and the assigned PK."""

    __tablename__ = "client"
    __audited__ = True
    __audit_redact__ = ("confidential_notes",)

    id: Mapped[int] = mapped_column(primary_key=True)
    register_number: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120), index=True)
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    birth_place: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    address: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(6))
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    guardian_relation: Mapped[str | None] = mapped_column(String(40))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(String(20))
    supervision_start: Mapped[date | None] = mapped_column(Date)
    supervision_end: Mapped[date | None] = mapped_column(Date, index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff | None] = relationship(Staff, foreign_keys=[officer_id])
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE)
    handover_number: Mapped[str | None] = mapped_column(String(60))
    handover_date: Mapped[date | None] = mapped_column(Date)
    handover_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    handover_file: Mapped[StoredFile | None] = relationship(StoredFile)
    guidance_card_number: Mapped[str | None] = mapped_column(String(30))
    confidential_notes: Mapped[str | None] = mapped_column(Text)
    # Kept by app.workflow.guidance when a guidance session is recorded (wajib lapor), for the
    # "missed reporting" list without scanning every guidance log.
    last_guidance_on: Mapped[date | None] = mapped_column(Date)
    next_report_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # Numbers are the office's own: two Bapas may both have a BKA-001/2026.
        UniqueConstraint("office_id", "register_number", name="uq_client_office_register"),
        UniqueConstraint("office_id", "guidance_card_number", name="uq_client_office_card"),
        Index("ix_client_officer_status", "officer_id", "status"),
        Index("ix_client_category_status", "category", "status"),
        Index("ix_client_status_next_report", "status", "next_report_due"),
        {"extend_existing": True},
    )

    @property
    def section(self) -> str:
        """BKA for a child, BKD for an adult."""
        return SECTION_OF_CATEGORY[self.category]

    def derive_category(self) -> None:
        """Set the category from the birth date at the start of supervision, where known."""
        if self.birth_date:
            adult = age_on(self.birth_date, self.supervision_start or today_wib()) >= ADULT_AGE
            self.category = ADULT if adult else CHILD

    def __repr__(self) -> str:
        # Every list, select and PDF names a client through here: masked where the reader may not see it.
        from app.masking import label

        return label(self)
