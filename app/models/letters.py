"""Incoming letters (surat masuk), their agenda numbers and dispositions."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.files import StoredFile
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.timeutil import utcnow

SENDER_KINDS = {
    "POLRI": _l("Police"),
    "KEJAKSAAN": _l("Prosecutor"),
    "PENGADILAN": _l("Court"),
    "LAPAS": _l("Prison / detention centre"),
    "DESA": _l("Village"),
    "SEKOLAH": _l("School"),
    "INSTANSI": _l("Other government office"),
    "MASYARAKAT": _l("Citizen"),
}
INSTRUCTIONS = {
    "diketahui": _l("For information"),
    "tindak_lanjuti": _l("Follow up"),
    "koordinasikan": _l("Coordinate"),
    "siapkan_laporan": _l("Prepare a report"),
    "hadiri": _l("Attend / represent"),
    "arsipkan": _l("File"),
}
URGENCIES = {"biasa": _l("Ordinary"), "segera": _l("Urgent"), "sangat_segera": _l("Very urgent")}

disposition_assignee = Table(
    "disposition_assignee",
    Model.metadata,
    Column("disposition_id", ForeignKey("disposition.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", ForeignKey("ab_user.id"), primary_key=True, index=True),
)


class AgendaCounter(Model):
    """The last number of a series (agenda book, permit letters) given in a year; locked on use."""

    __tablename__ = "agenda_counter"

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True, default="agenda")
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class IncomingLetter(OfficeOwned, Model):
    """A letter received by TU, registered in the agenda book."""

    __tablename__ = "incoming_letter"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_year: Mapped[int] = mapped_column(Integer)
    agenda_seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(200))
    sender_kind: Mapped[str] = mapped_column(String(12))
    letter_number: Mapped[str] = mapped_column(String(100))
    letter_date: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    registered_by: Mapped[Staff | None] = relationship(Staff)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    attachment: Mapped[StoredFile | None] = relationship(StoredFile)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    dispositions: Mapped[list[Disposition]] = relationship(back_populates="letter", order_by="Disposition.id")

    __table_args__ = (
        UniqueConstraint("office_id", "agenda_year", "agenda_seq", name="uq_incoming_letter_agenda"),
        {"extend_existing": True},
    )

    @property
    def agenda_number(self) -> str:
        """Agenda number as written in the book, e.g. 0042/2026."""
        return f"{self.agenda_seq:04d}/{self.agenda_year}"

    def __repr__(self) -> str:
        return f"{self.agenda_number} — {self.subject}"


class Disposition(Model):
    """The Kepala's instruction on a letter, and the PKs the Kasubsi assigns to it."""

    __tablename__ = "disposition"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("incoming_letter.id"), index=True)
    letter: Mapped[IncomingLetter] = relationship(back_populates="dispositions")
    by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    by: Mapped[Staff] = relationship(Staff, foreign_keys=[by_id])
    to_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    to: Mapped[Staff] = relationship(Staff, foreign_keys=[to_id])
    instructions: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(14), default="biasa")
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assignees: Mapped[list[Staff]] = relationship(Staff, secondary=disposition_assignee)
    # The Kasubsi's note to the PK it assigns (printed on the sheet under the assignees).
    assignment_note: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Disposisi {self.letter_id}"


def next_agenda_seq(office_id: int, year: int, kind: str = "agenda") -> int:
    """Take the next number of an office's series in a year, atomically even under concurrent
    registration; every office counts its own.

    The counter row is created if missing (ignoring a concurrent creation), then incremented
    with one UPDATE ... RETURNING, which holds the row lock until the transaction ends.
    """
    from sqlalchemy import update
    from sqlalchemy.dialects import postgresql, sqlite

    from app.extensions import db

    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(AgendaCounter)
        .values(office_id=office_id, kind=kind, year=year, last=0)
        .on_conflict_do_nothing()
    )
    stmt = (
        update(AgendaCounter)
        .where(AgendaCounter.office_id == office_id, AgendaCounter.kind == kind, AgendaCounter.year == year)
        .values(last=AgendaCounter.last + 1)
        .returning(AgendaCounter.last)
    )
    return db.session.execute(stmt).scalar_one()
