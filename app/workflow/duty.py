"""SOP 12 out of office hours: its steps go to the one on duty (app.models.duty), who acknowledges
them; 15 minutes without an acknowledgement escalate to the roster's deputy and the Kepala."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.extensions import db
from app.models.duty import SLOTS, DutyAssignment, DutyDay
from app.models.notifications import UNACKNOWLEDGED
from app.models.staff import Staff
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.security.roles import KASUBSI, KEPALA, PK, TU
from app.timeutil import as_utc, utcnow
from app.workflow import office_hours
from app.workflow.deadlines import calendar
from app.workflow.definitions import CHILD_ACCOMPANIMENT

ACK_WITHIN = timedelta(minutes=15)
WEEK = timedelta(days=7)
SLOT_OF_ROLE = {TU: "tu", KEPALA: "kepala", KASUBSI: "kasubsi", PK: "pk"}
AROUND_THE_CLOCK = (CHILD_ACCOMPANIMENT.code,)


def roster_of(office_id: int | None, day: date) -> DutyDay | None:
    """An office's duty team for one date, or None."""
    return db.session.scalar(select(DutyDay).where(DutyDay.office_id == office_id, DutyDay.day == day))


def week(office_id: int | None, monday: date) -> dict[date, DutyDay]:
    """An office's duty days of the week starting `monday`, by date, with their staff (one query)."""
    stmt = (
        select(DutyDay)
        .where(DutyDay.office_id == office_id, DutyDay.day >= monday, DutyDay.day < monday + WEEK)
        .options(*(joinedload(getattr(DutyDay, slot)) for slot in SLOTS))
    )
    return {row.day: row for row in db.session.scalars(stmt).unique()}


def on_duty(record: StepRecord, at: datetime) -> Staff | None:
    """Who a step of SOP 12 made ready at `at` goes to: the one on duty for its role out of office
    hours, or None (in office hours, no roster, no one in the slot, or a PK already appointed)."""
    instance = record.instance
    slot = SLOT_OF_ROLE.get(record.actor_role)
    if instance.service not in AROUND_THE_CLOCK or slot is None:
        return None
    if record.actor_role == PK and record.assignee_id is not None:
        return None  # the Kasubsi on duty appointed the PK: that choice stands
    if office_hours.within(at, calendar(instance.office_id)):
        return None
    roster = roster_of(instance.office_id, office_hours.duty_day(at))
    return getattr(roster, slot) if roster is not None else None


def route(record: StepRecord, at: datetime) -> None:
    """Give a step that became ready out of office hours to the one on duty (called by the engine)."""
    person = on_duty(record, at)
    if person is None or not person.active:
        return
    roster = roster_of(record.instance.office_id, office_hours.duty_day(at))
    record.assignee_id = person.id
    db.session.flush()  # the step's id for the assignment
    deputy = roster.deputy_id if roster is not None and roster.deputy_id != person.id else None
    db.session.add(
        DutyAssignment(step_record_id=record.id, staff_id=person.id, deputy_id=deputy, assigned_at=at)
    )


def assignment_of(record: StepRecord) -> DutyAssignment | None:
    """The duty assignment of a step, if it went to the one on duty."""
    return db.session.get(DutyAssignment, record.id)


def acknowledge(record: StepRecord, user: Staff) -> DutyAssignment:
    """The one on duty says "diterima": the moment is recorded once (a repeat changes nothing)."""
    from app.workflow.engine import MoveRefused

    found = assignment_of(record)
    if found is None or found.staff_id != user.id:
        raise MoveRefused(_l("This task was not given to you on duty."))
    if record.finished_at is not None:
        raise MoveRefused(_l("This step has already been completed."))
    if found.acknowledged_at is None:
        at = utcnow()
        db.session.execute(
            update(DutyAssignment)
            .where(DutyAssignment.step_record_id == record.id, DutyAssignment.acknowledged_at.is_(None))
            .values(acknowledged_at=at)
            .execution_options(synchronize_session=False)
        )
        audit.log_update(DutyAssignment, record.id, {"acknowledged_at": at})
        db.session.refresh(found)
    return found


def _kepala_of(office_ids: set[int]) -> dict[int, list[Staff]]:
    from flask_appbuilder.security.sqla.models import Role

    stmt = (
        select(Staff)
        .join(Staff.roles)
        .where(Role.name == KEPALA, Staff.office_id.in_(office_ids), Staff.active.is_(True))
        .options(selectinload(Staff.roles))
    )
    found: dict[int, list[Staff]] = {}
    for staff in db.session.scalars(stmt).unique():
        found.setdefault(staff.office_id, []).append(staff)
    return found


def escalate(now: datetime | None = None) -> int:
    """Tell the deputy and the Kepala of each step on duty unacknowledged for 15 minutes, once: the
    waiting assignments in one query, marked escalated in one UPDATE; the caller commits (the watcher).
    Returns how many steps were escalated."""
    from app.notifications import messages, outbox

    now = as_utc(now or utcnow())
    stmt = (
        select(DutyAssignment)
        .join(DutyAssignment.step_record)
        .join(StepRecord.instance)
        .where(
            DutyAssignment.acknowledged_at.is_(None),
            DutyAssignment.escalated_at.is_(None),
            DutyAssignment.assigned_at <= now - ACK_WITHIN,
            StepRecord.finished_at.is_(None),
            ServiceInstance.status == OPEN,
        )
        .options(joinedload(DutyAssignment.staff), joinedload(DutyAssignment.step_record))
        .order_by(DutyAssignment.step_record_id)
    )
    waiting = list(db.session.scalars(stmt).unique())
    if not waiting:
        return 0
    kepala = _kepala_of({a.step_record.instance.office_id for a in waiting})
    deputies = {s.id: s for s in db.session.scalars(select(Staff).where(
        Staff.id.in_({a.deputy_id for a in waiting if a.deputy_id}), Staff.active.is_(True)))}  # fmt: skip
    for assignment in waiting:
        record = assignment.step_record
        told = {assignment.staff_id}
        name = assignment.staff.full_name
        subject, body = messages.unacknowledged_text(record, name, assignment.assigned_at)
        for person in [deputies.get(assignment.deputy_id), *kepala.get(record.instance.office_id, [])]:
            if person is not None and person.id not in told:
                told.add(person.id)
                outbox.write_staff(person, UNACKNOWLEDGED, record, subject, body, now=now)
    ids = [a.step_record_id for a in waiting]
    db.session.execute(
        update(DutyAssignment)
        .where(DutyAssignment.step_record_id.in_(ids), DutyAssignment.escalated_at.is_(None))
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    by_office: dict[int | None, list[int]] = {}
    for assignment in waiting:
        by_office.setdefault(assignment.step_record.instance.office_id, []).append(assignment.step_record_id)
    for office_id, office_ids in by_office.items():
        audit.log_updates(DutyAssignment, office_ids, {"escalated_at": now}, office_id)
    return len(waiting)
