"""Service instances moving through their SOP steps, and the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.cases import Case
from app.models.clients import Client
from app.models.offices import Office, OfficeOwned
from app.models.staff import Staff
from app.timeutil import utcnow

OPEN, FINISHED, REJECTED = "open", "finished", "rejected"
INSTANCE_STATUSES = {OPEN: _l("In progress"), FINISHED: _l("Finished"), REJECTED: _l("Rejected")}

# The team of an instance (e.g. a Bambang Solah team): each member may act on its assigned steps.
instance_member = Table(
    "service_instance_member",
    Model.metadata,
    Column("instance_id", ForeignKey("service_instance.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("ab_user.id"), primary_key=True, index=True),
)


class ServiceInstance(OfficeOwned, Model):
    """One request of a service (e.g. one ABH accompaniment) and where it stands."""

    __tablename__ = "service_instance"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300))
    section: Mapped[str | None] = mapped_column(String(3))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff | None] = relationship(Staff, foreign_keys=[officer_id])
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    client: Mapped[Client | None] = relationship(Client)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("legal_case.id"))
    case: Mapped[Case | None] = relationship(Case)
    current_step: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    limit_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    limit_met: Mapped[bool | None] = mapped_column(Boolean)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    steps: Mapped[list[StepRecord]] = relationship(
        back_populates="instance", order_by="StepRecord.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[Staff]] = relationship(Staff, secondary=instance_member)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_service_instance_service_status", "service", "status", "started_at"),
        Index("ix_service_instance_officer_status", "officer_id", "status"),
        Index("ix_service_instance_section_status", "section", "status"),
        Index("ix_service_instance_limit", "status", "limit_due_at"),
        Index("ix_service_instance_client", "client_id", "status"),
        Index("ix_service_instance_started", "started_at"),
        Index("ix_service_instance_finished", "finished_at"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.service}-{self.id:05d}" if self.id else self.service


class StepRecord(Model):
    """One step of one instance: who acts, and the three moments ready, opened, finished."""

    __tablename__ = "step_record"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("service_instance.id", ondelete="CASCADE"))
    instance: Mapped[ServiceInstance] = relationship(back_populates="steps")
    step: Mapped[str] = mapped_column(String(30))
    # Copied from the instance when the step is made ready, so figures need not join the instance.
    service: Mapped[str | None] = mapped_column(String(10))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(String(3))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    ready_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The deadline that binds while the step is open: the earlier of `due_at` and the instance's
    # running overall limit; kept by the engine (`deadlines.bind`) so the inbox sorts on a column.
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    finished_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[finished_by_id])
    outcome: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # Measured once by the engine (working time cannot be computed in SQL): waiting when the
    # step is opened, the rest when it finishes; within_standard is None where there is no standard.
    waiting_seconds: Mapped[int | None] = mapped_column(Integer)
    handling_seconds: Mapped[int | None] = mapped_column(Integer)
    lead_seconds: Mapped[int | None] = mapped_column(Integer)
    within_standard: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_step_record_instance", "instance_id", "id"),
        Index("ix_step_record_step_finished", "step", "finished_at"),
        Index("ix_step_record_finished_by", "finished_by_id", "finished_at"),
        Index("ix_step_record_open", "finished_at", "ready_at"),
        Index("ix_step_record_inbox_role", "actor_role", "section", "finished_at", "ready_at"),
        Index("ix_step_record_inbox_assignee", "assignee_id", "finished_at", "ready_at"),
        Index("ix_step_record_due", "finished_at", "due_at"),
        Index("ix_step_record_deadline", "finished_at", "deadline_at"),
        Index("ix_step_record_office_finished", "office_id", "finished_at"),
        # "Is a step of this instance overdue at the cutoff?" answered from the index alone.
        Index("ix_step_record_instance_moments", "instance_id", "finished_at", "due_at", "ready_at"),
        {"extend_existing": True},
    )

    def __repr__(self) -> str:
        return f"{self.step}#{self.id}"


def stage_of(instance: ServiceInstance | None) -> str:
    """The title of the step an instance waits at, or its final status."""
    from app.workflow.definitions import SERVICES

    if instance is None:
        return ""
    if instance.current_step and instance.service in SERVICES:
        return str(SERVICES[instance.service].step(instance.current_step).title)
    return str(INSTANCE_STATUSES.get(instance.status, instance.status))


class ExtraHoliday(Model):
    """A date Admin adds as non-working (cuti bersama, local decree) or corrects to working."""

    __tablename__ = "extra_holiday"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    is_holiday: Mapped[bool] = mapped_column(Boolean, default=True)
    # None: a national day (cuti bersama); otherwise a regional day off of one office.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    office: Mapped[Office | None] = relationship(Office)

    __table_args__ = (UniqueConstraint("office_id", "day", name="uq_extra_holiday_office_day"),)

    def __repr__(self) -> str:
        return f"{self.day} {self.name}"
