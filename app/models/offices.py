"""Offices of the national instance: each Bapas and the regional office (Kanwil) above it."""

from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

OFFICE_CLASSES = {"I": _l("Class I"), "II": _l("Class II")}


class Region(Model):
    """A regional office (Kantor Wilayah) and the Bapas under it."""

    __tablename__ = "region"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    offices: Mapped[list[Office]] = relationship(back_populates="region", order_by="Office.name")

    def __repr__(self) -> str:
        return self.name


class Office(Model):
    """A Bapas: its identity on letters (letterhead, numbering prefix), contacts and region."""

    __tablename__ = "office"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))  # Balai Pemasyarakatan Kelas II Magelang
    short_name: Mapped[str] = mapped_column(String(80))  # Bapas Kelas II Magelang
    office_class: Mapped[str] = mapped_column(String(2), default="II")
    city: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    # The prefix of the office's letter numbers, e.g. W13.PAS.PAS.49 (Kanwil code, office number).
    letter_prefix: Mapped[str] = mapped_column(String(40))
    # The longest trip out of town the Kepala permits (SOP 11), in days including both ends.
    max_trip_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship(back_populates="offices")

    def letter_number(self, series: str, seq: int, year: int) -> str:
        """A letter number of this office, e.g. W13.PAS.PAS.49-PK.01.05-0007/2026."""
        return f"{self.letter_prefix}-{series}-{seq:04d}/{year}"

    def __repr__(self) -> str:
        return self.short_name


class OfficeOwned:
    """A record that belongs to one office; row scope keeps it there (app.security.scope)."""

    @declared_attr
    def office_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("office.id"), index=True)

    @declared_attr
    def office(cls) -> Mapped[Office]:
        return relationship(Office)
