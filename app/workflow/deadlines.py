"""Deadlines: the working-day calendar, when a standard runs out, each step's due moment and the
service's overall limit."""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import or_, select

from app import offices
from app.extensions import db
from app.models.workflow import ExtraHoliday, ServiceInstance
from app.timeutil import as_utc
from app.workflow import clock
from app.workflow.definitions import RESPONSE, SERVICES, Standard, Step


def calendar(office_id: int | None = None) -> clock.WorkingCalendar:
    """An office's working-day calendar (by default the request's office): the national days the
    Admin added and the office's own regional days off, read once per request and office."""
    if office_id is None:
        office_id = offices.current_office_id()
    cache = g.setdefault("_bapas_calendars", {}) if has_request_context() else {}
    if office_id in cache:
        return cache[office_id]
    rows = db.session.execute(
        select(ExtraHoliday.day, ExtraHoliday.is_holiday).where(
            or_(ExtraHoliday.office_id.is_(None), ExtraHoliday.office_id == office_id)
        )
    ).all()
    result = clock.WorkingCalendar(
        extra_holidays=frozenset(day for day, holiday in rows if holiday),
        extra_working_days=frozenset(day for day, holiday in rows if not holiday),
    )
    cache[office_id] = result
    return result


def due(standard: Standard | None, start: datetime, office_id: int | None = None) -> datetime | None:
    """When a standard started at `start` runs out, on the office's calendar."""
    if standard is None:
        return None
    return clock.due_at(start, standard.wall, standard.working_days, calendar(office_id))


def moment_of(instance: ServiceInstance, key: str | None) -> datetime | None:
    """A moment the instance's data holds under `key` (ISO 8601), or None."""
    value = instance.data.get(key) if key else None
    return as_utc(datetime.fromisoformat(value)) if value else None


def step_due(step: Step, instance: ServiceInstance, ready_at: datetime) -> datetime | None:
    """When a step made ready at `ready_at` is due: its explicit deadline, or its response standard."""
    deadline = moment_of(instance, step.deadline_from)
    if deadline:
        return deadline
    if step.standard is None or step.standard.kind != RESPONSE:
        return None
    return due(step.standard, ready_at, instance.office_id)


def binding(due_at: datetime | None, instance: ServiceInstance) -> datetime | None:
    """The deadline that binds an open step: the earlier of its own and the instance's running limit."""
    running = instance.limit_due_at if instance.limit_met is None else None
    return min((as_utc(m) for m in (due_at, running) if m is not None), default=None)


def bind(instance: ServiceInstance) -> None:
    """Set the binding deadline of each open step of an instance (after its due or its limit moved)."""
    for record in instance.steps:
        if record.finished_at is None:
            record.deadline_at = binding(record.due_at, instance)


def mark_limit(instance: ServiceInstance, step: Step, moment: str, at: datetime) -> None:
    """Start or judge the service's overall limit when a step reaches the moment it names."""
    limit = SERVICES[instance.service].limit
    if limit is None:
        return
    before = (instance.limit_due_at, instance.limit_met)
    if limit.start == (step.code, moment) and instance.limit_due_at is None:
        if limit.deadline_from:
            instance.limit_due_at = moment_of(instance, limit.deadline_from)
        else:
            instance.limit_due_at = due(limit.standard, at, instance.office_id)
    if limit.end == (step.code, moment) and instance.limit_met is None and instance.limit_due_at:
        instance.limit_met = at <= as_utc(instance.limit_due_at)
    if (instance.limit_due_at, instance.limit_met) != before:
        bind(instance)
