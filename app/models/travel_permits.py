"""Travel permits (izin ke luar kota) requested online by a client, family member or lawyer."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.files import StoredFile
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, stage_of
from app.timeutil import utcnow

RELATIONS = {
    "klien": _l("The client himself or herself"),
    "keluarga": _l("Family member"),
    "kuasa_hukum": _l("Lawyer"),
}


class TravelPermit(Model):
    """One request to travel out of town, and the permit letter if it is granted."""

    __tablename__ = "travel_permit"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(32), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    client: Mapped[Client] = relationship(Client)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    # The office of the permit's service (a copy, moved with it: moves.follow_office), kept on
    # the row so that an office's permits are one index range in each sort order.
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    applicant_name: Mapped[str] = mapped_column(String(120))
    applicant_relation: Mapped[str] = mapped_column(String(12))
    applicant_phone: Mapped[str] = mapped_column(String(20))
    destination_city: Mapped[str] = mapped_column(String(120))
    # Another office of the instance whose city the trip goes to (app.offices.office_in_city): that
    # office sees the signed permit among its "clients of other offices".
    destination_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    destination_office: Mapped[Office | None] = relationship(Office, foreign_keys=[destination_office_id])
    destination_address: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(500))
    depart_on: Mapped[date] = mapped_column(Date)
    return_on: Mapped[date] = mapped_column(Date)
    signature_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    signature_file: Mapped[StoredFile | None] = relationship(StoredFile)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    correction_request: Mapped[str | None] = mapped_column(Text)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    obligations: Mapped[str | None] = mapped_column(Text)
    letter_year: Mapped[int | None] = mapped_column(Integer)
    letter_seq: Mapped[int | None] = mapped_column(Integer)
    # The office that numbered and signed the letter: its number and letterhead stay that office's
    # even when the client is later transferred with the permit's service.
    letter_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    letter_office: Mapped[Office | None] = relationship(Office, foreign_keys=[letter_office_id])
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    arrival: Mapped[ArrivalReport | None] = relationship(back_populates="permit", uselist=False)

    __mapper_args__ = {"version_id_col": version}
    # The list's sort orders, each with its tie-breaker: a page is read from the index, newest first.
    __table_args__ = (
        Index("ix_travel_permit_submitted", "submitted_at", "id"),
        Index("ix_travel_permit_depart", "depart_on", "id"),
        Index("ix_travel_permit_office_submitted", "office_id", "submitted_at", "id"),
        Index("ix_travel_permit_office_depart", "office_id", "depart_on", "id"),
    )

    @property
    def issuing_office(self) -> Office:
        """The office whose letter the permit is: the one that signed it, else the request's."""
        return self.letter_office or self.instance.office

    @property
    def letter_number(self) -> str | None:
        """The permit letter's number, once signed."""
        if self.letter_seq is None:
            return None
        return self.issuing_office.letter_number("PK.01.05", self.letter_seq, self.letter_year)

    @property
    def stage(self) -> str:
        """Where the request stands: revoked, the step it waits at, or how it ended."""
        if self.revoked_at is not None:
            return str(_l("Revoked"))
        return stage_of(self.instance)

    def __repr__(self) -> str:
        return f"Izin {self.destination_city} ({self.depart_on} – {self.return_on})"


class ArrivalReport(Model):
    """The client's report on arrival (lapor diri) at the Bapas of the destination city, recorded by
    one of its PK; the origin's PK reads it on the permit."""

    __tablename__ = "arrival_report"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("travel_permit.id"), unique=True)
    permit: Mapped[TravelPermit] = relationship(back_populates="arrival")
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    office: Mapped[Office] = relationship(Office)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    recorded_by: Mapped[Staff] = relationship(Staff)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return self.place
