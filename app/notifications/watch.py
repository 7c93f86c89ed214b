"""The watcher, run with every delivery pass: a step at 75 % of its standard tells its actors; an
overdue one tells them and escalates to their superiors; a task on duty (SOP 12) unacknowledged
for 15 minutes escalates to the deputy and the Kepala. Each notice is written once (dedupe key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models.notifications import DUE_SOON, ESCALATION, OVERDUE, Notification
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.notifications import messages, outbox
from app.timeutil import as_utc, utcnow
from app.workflow import deadlines, duty
from app.workflow.engine import step_of

WARN_AT = 0.75
_SCAN_LOCK = 7_301_114  # one watcher at a time on PostgreSQL (transaction-level advisory lock)


def warn_at(record: StepRecord) -> datetime:
    """The moment 75 % of a step's standard has passed: of its working time for day standards."""
    step = step_of(record)
    ready, due = as_utc(record.ready_at), as_utc(record.due_at)
    standard = step.standard
    if not step.deadline_from and standard is not None and standard.working_days:
        calendar = deadlines.calendar(record.instance.office_id)
        return calendar.add_working_days(ready, WARN_AT * standard.working_days)
    return ready + (due - ready) * WARN_AT


def _open_steps() -> list[StepRecord]:
    told = select(Notification.step_record_id).where(Notification.kind == OVERDUE)
    stmt = (
        select(StepRecord)
        .join(StepRecord.instance)
        .options(contains_eager(StepRecord.instance))
        .where(
            StepRecord.finished_at.is_(None),
            StepRecord.due_at.is_not(None),
            ServiceInstance.status == OPEN,
            StepRecord.id.not_in(told.where(Notification.step_record_id.is_not(None))),
        )
        .order_by(StepRecord.id)
    )
    return list(db.session.scalars(stmt))


def scan(now: datetime | None = None) -> int:
    """Write the 75 % and overdue notices that are due; returns how many steps were told about."""
    now = as_utc(now or utcnow())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCAN_LOCK})
    steps = _open_steps()
    # (step, kind) already told: the costly part (who acts, who supervises) is skipped for them.
    done = set(
        db.session.execute(
            select(Notification.step_record_id, Notification.kind).where(
                Notification.step_record_id.in_([s.id for s in steps]),
                Notification.kind.in_((DUE_SOON, ESCALATION)),
            )
        ).all()
    )
    told = 0
    for record in steps:
        overdue = now >= as_utc(record.due_at)
        if overdue and (record.id, ESCALATION) in done:
            continue  # escalated already, with no actor to tell (e.g. a PK step with no PK yet)
        if not overdue and ((record.id, DUE_SOON) in done or now < warn_at(record)):
            continue
        actors = outbox.actors_of(record)
        if overdue:
            names = ", ".join(staff.full_name for staff in actors) or "-"
            told += _tell(actors, OVERDUE, record, now)
            told += _tell(outbox.supervisors_of(record, actors), ESCALATION, record, now, names)
        else:
            told += _tell(actors, DUE_SOON, record, now)
    told += duty.escalate(now)
    db.session.commit()
    return told


def _tell(staff: list, kind: str, record: StepRecord, now: datetime, actor: str = "") -> int:
    subject, body = messages.staff_text(kind, record, record.due_at, actor)
    for person in staff:
        outbox.write_staff(person, kind, record, subject, body, now=now)
    return 1 if staff else 0
