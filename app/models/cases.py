"""Cases (perkara) and the clients they concern."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.offices import OfficeOwned
from app.timeutil import utcnow

AUTHORITIES = {
    "POLRI": _l("Police"),
    "KEJAKSAAN": _l("Prosecutor"),
    "PENGADILAN": _l("Court"),
    "LAPAS": _l("Prison / detention centre"),
    "LAINNYA": _l("Other"),
}
LEGAL_STAGES = {
    "PENYIDIKAN": _l("Investigation"),
    "PENUNTUTAN": _l("Prosecution"),
    "DIVERSI": _l("Diversion"),
    "PERSIDANGAN": _l("Trial"),
    "PUTUSAN": _l("Final judgment"),
    "PEMBIMBINGAN": _l("Supervision"),
}

case_client = Table(
    "case_client",
    Model.metadata,
    Column("case_id", ForeignKey("legal_case.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", ForeignKey("client.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Case(OfficeOwned, Model):
    """A criminal case a client is involved in, with its current legal stage."""

    __tablename__ = "legal_case"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    offence: Mapped[str] = mapped_column(String(200))
    article: Mapped[str | None] = mapped_column(String(120))
    authority: Mapped[str] = mapped_column(String(12))
    section: Mapped[str] = mapped_column(String(3), index=True)
    legal_stage: Mapped[str] = mapped_column(String(12), index=True)
    clients: Mapped[list[Client]] = relationship(Client, secondary=case_client)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("office_id", "number", name="uq_legal_case_office_number"),)

    def __repr__(self) -> str:
        return self.number
