"""Guidance of clients in three stages: the supervision period's stage dates (buku ekspirasi),
the stage plans, the guidance log and the monthly progress reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.offices import OfficeOwned
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.timeutil import utcnow

EARLY, MIDDLE, FINAL = "awal", "lanjutan", "akhir"
STAGES = {EARLY: _l("Early stage"), MIDDLE: _l("Middle stage"), FINAL: _l("Final stage")}
PERSONALITY, INDEPENDENCE = "kepribadian", "kemandirian"
KINDS = {PERSONALITY: _l("Personality guidance"), INDEPENDENCE: _l("Independence guidance")}
OFFICE, HOME_VISIT, MOBILE, GROUP = "kantor", "kunjungan", "batako", "kelompok"
PLACES = {
    OFFICE: _l("At the Bapas office"),
    HOME_VISIT: _l("Home visit"),
    MOBILE: _l("BATAKO (mobile service)"),
    GROUP: _l("Group guidance"),
}
RISK_LEVELS = {"rendah": _l("Low"), "sedang": _l("Medium"), "tinggi": _l("High")}


@dataclass(frozen=True)
class StageWindows:
    """The first day of each stage of a supervision period [start, end] (both days included)."""

    start: date
    middle_from: date
    final_from: date
    end: date

    def stage_on(self, day: date) -> str | None:
        """The stage a day falls in, or None outside the period."""
        if day < self.start or day > self.end:
            return None
        if day < self.middle_from:
            return EARLY
        return MIDDLE if day < self.final_from else FINAL

    def bounds(self, stage: str) -> tuple[date, date]:
        """First and last day of a stage."""
        return {
            EARLY: (self.start, self.middle_from - timedelta(days=1)),
            MIDDLE: (self.middle_from, self.final_from - timedelta(days=1)),
            FINAL: (self.final_from, self.end),
        }[stage]


def stage_windows(start: date, end: date) -> StageWindows:
    """Split a period into awal 0–¼, lanjutan ¼–¾ and akhir ¾–end, counted in whole days.

    A quarter of a period rarely falls on a whole day: each boundary is rounded down, so the
    day on which a fraction falls already belongs to the later stage.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    days = (end - start).days + 1
    return StageWindows(start, start + timedelta(days=days // 4), start + timedelta(days=days * 3 // 4), end)


class SupervisionPeriod(Model):
    """One version of a client's period and its stage dates; a change adds a new one, the old stays."""

    __tablename__ = "supervision_period"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    client: Mapped[Client] = relationship(Client)
    start: Mapped[date] = mapped_column(Date)
    middle_from: Mapped[date] = mapped_column(Date)
    final_from: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    recorded_by: Mapped[Staff | None] = relationship(Staff)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_supervision_period_client", "client_id", "id"), {"extend_existing": True})

    @property
    def windows(self) -> StageWindows:
        """The stored stage dates."""
        return StageWindows(self.start, self.middle_from, self.final_from, self.end)

    def __repr__(self) -> str:
        return f"{self.start} – {self.end}"


class StagePlan(Model):
    """A stage's assessment and guidance program, approved in a Sidang TPP (one per client and stage)."""

    __tablename__ = "stage_plan"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    client: Mapped[Client] = relationship(Client)
    stage: Mapped[str] = mapped_column(String(8))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    risk_level: Mapped[str | None] = mapped_column(String(6))
    needs: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str | None] = mapped_column(String(120))
    personality_program: Mapped[str | None] = mapped_column(Text)
    independence_program: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    termination_number: Mapped[str | None] = mapped_column(String(80))

    __table_args__ = (UniqueConstraint("client_id", "stage", name="uq_stage_plan"), {"extend_existing": True})

    def __repr__(self) -> str:
        return f"{STAGES.get(self.stage, self.stage)} — {self.client}"


class GuidanceLog(OfficeOwned, Model):
    """One guidance session with a client (catatan bimbingan); its office is its client's, kept on
    the row so that an office's lists are one index range at national scale."""

    __tablename__ = "guidance_log"
    __audited__ = True
    __audit_redact__ = ("confidential_notes",)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed with held_on below (the mixin's own one-column index would only repeat it).
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    client: Mapped[Client] = relationship(Client)
    officer_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff] = relationship(Staff)
    held_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(12))
    place: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text)
    confidential_notes: Mapped[str | None] = mapped_column(Text)
    next_appointment: Mapped[date | None] = mapped_column(Date)
    mobile_visit_id: Mapped[int | None] = mapped_column(ForeignKey("mobile_attendance.id"))
    group_member_id: Mapped[int | None] = mapped_column(ForeignKey("group_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_guidance_log_client_held", "client_id", "held_on"),
        Index("ix_guidance_log_officer_held", "officer_id", "held_on"),
        Index("ix_guidance_log_held", "held_on"),
        Index("ix_guidance_log_office_held", "office_id", "held_on", "id"),
        # A PK's logs (its own, its clients'), within the office the scope requires: one range each.
        Index("ix_guidance_log_office_officer", "office_id", "officer_id", "held_on"),
        Index("ix_guidance_log_office_client", "office_id", "client_id", "held_on"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.held_on} — {self.client}"


class ProgressReport(OfficeOwned, Model):
    """The monthly progress report (laporan perkembangan) of a client, due by the end of the month;
    its office is its client's, kept on the row so that an office's list is one index range."""

    __tablename__ = "progress_report"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed with the sort orders below (the mixin's own one-column index would only repeat them).
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    client: Mapped[Client] = relationship(Client)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month reported on
    stage: Mapped[str | None] = mapped_column(String(8))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("service_instance.id"), index=True)
    instance: Mapped[ServiceInstance | None] = relationship(ServiceInstance)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff | None] = relationship(Staff)
    sessions: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)
    next_plan: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("client_id", "month", name="uq_progress_report_month"),
        Index("ix_progress_report_month", "month", "filed_at"),
        Index("ix_progress_report_month_id", "month", "id"),  # the list's sort orders, with the tie-breaker
        Index("ix_progress_report_filed", "filed_at", "id"),
        Index("ix_progress_report_office_month", "office_id", "month", "id"),
        Index("ix_progress_report_office_filed", "office_id", "filed_at", "id"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.month:%m/%Y} — {self.client}"
