"""A day added to or taken off the working-day calendar moves what running services measured by it:
open deadlines, overall limits and the working time stored on their steps (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from flask import g, has_request_context
from sqlalchemy import case, exists, literal, or_, select, update
from sqlalchemy.orm import selectinload

from app import audit
from app.extensions import db
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.timeutil import as_utc, wib_midnight
from app.workflow import deadlines, rollups
from app.workflow.definitions import FINISHED, OPENED, READY, RESPONSE, SERVICES
from app.workflow.timing import stored_measures

MEASURES = ("waiting_seconds", "handling_seconds", "lead_seconds", "within_standard")
MOMENT_OF = {READY: "ready_at", OPENED: "opened_at", FINISHED: "finished_at"}


def _affected(days: set[date], office_ids: set[int | None]) -> list[ServiceInstance]:
    """Running instances whose limit or steps reach over one of the days, in the offices concerned."""
    low, high = wib_midnight(min(days)), wib_midnight(max(days) + timedelta(days=1))
    spans = exists().where(
        StepRecord.instance_id == ServiceInstance.id,
        StepRecord.ready_at < high,
        or_(StepRecord.finished_at.is_(None), StepRecord.finished_at >= low),
    )
    stmt = (
        select(ServiceInstance)
        .options(selectinload(ServiceInstance.steps))
        .where(
            ServiceInstance.status == OPEN,
            ServiceInstance.started_at < high,
            or_(ServiceInstance.limit_due_at >= low, spans),
        )
        .order_by(ServiceInstance.id)
    )
    if None not in office_ids:
        stmt = stmt.where(ServiceInstance.office_id.in_(office_ids))
    return list(db.session.scalars(stmt))


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return as_utc(old) == as_utc(new)
    return old == new


def _moment(instance: ServiceInstance, point: tuple[str, str]) -> datetime | None:
    """When the instance's first record of a step reached a moment (READY, OPENED, FINISHED)."""
    code, moment = point
    record = next((r for r in instance.steps if r.step == code), None)
    value = getattr(record, MOMENT_OF[moment]) if record is not None else None
    return as_utc(value) if value is not None else None


def _limit(instance: ServiceInstance) -> dict[str, Any]:
    """The instance's overall limit on today's calendar, if it counts working days."""
    limit = SERVICES[instance.service].limit
    if limit is None or limit.standard is None or limit.standard.working_days is None:
        return {}
    started = _moment(instance, limit.start)
    if started is None or instance.limit_due_at is None:
        return {}
    values: dict[str, Any] = {"limit_due_at": deadlines.due(limit.standard, started, instance.office_id)}
    ended = _moment(instance, limit.end)
    if instance.limit_met is not None and ended is not None:
        values["limit_met"] = ended <= values["limit_due_at"]
    return values


def _steps(instance: ServiceInstance, limit: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The new due moments, binding deadlines and stored measures of the instance's steps."""
    service, calendar = SERVICES[instance.service], deadlines.calendar(instance.office_id)
    running = limit.get("limit_due_at", instance.limit_due_at) if instance.limit_met is None else None
    found: dict[int, dict[str, Any]] = {}
    for record in instance.steps:
        step = service.step(record.step)
        values: dict[str, Any] = {}
        working = step.standard is not None and step.standard.working_days is not None
        due = record.due_at
        if (
            working
            and record.finished_at is None
            and not step.deadline_from
            and step.standard.kind == RESPONSE
        ):
            due = values["due_at"] = deadlines.due(step.standard, as_utc(record.ready_at), instance.office_id)
        if working and record.opened_at is not None:
            values |= stored_measures(
                step, calendar, record.ready_at, record.opened_at, record.finished_at, due
            )
        if record.finished_at is None:
            values["deadline_at"] = min((as_utc(m) for m in (due, running) if m is not None), default=None)
        changed = {k: v for k, v in values.items() if not _same(getattr(record, k), v)}
        if changed:
            found[record.id] = changed
    return found


def _set(model: type, rows: dict[int, dict[str, Any]]) -> None:
    """One UPDATE for all the rows: each column a CASE on the row's id."""
    columns = {column for values in rows.values() for column in values}
    assignments = {}
    for name in columns:
        column = getattr(model, name)
        whens = [
            (model.id == row_id, literal(v[name], column.type)) for row_id, v in rows.items() if name in v
        ]
        assignments[name] = case(*whens, else_=column)
    db.session.execute(
        update(model)
        .where(model.id.in_(rows))
        .values(assignments)
        .execution_options(synchronize_session=False)
    )


def recompute(days: Iterable[date], office_ids: Iterable[int | None]) -> int:
    """After the calendar changed on `days` (for these offices; None: every office), move the open
    deadlines, overall limits and stored measures of running instances, one UPDATE of its steps per
    instance and one of the limits, each change in the audit trail; returns the instances moved."""
    days, office_ids = set(days), set(office_ids)
    if has_request_context():
        g.pop("_bapas_calendars", None)  # the cached calendars predate the change
    db.session.flush()
    limits: dict[int, dict[str, Any]] = {}
    moved = 0
    affected = _affected(days, office_ids)
    # Finished steps' stored measures change: their Kinerja figures move once for all of them.
    with rollups.moving([instance.id for instance in affected]):
        for instance in affected:
            limit = {k: v for k, v in _limit(instance).items() if not _same(getattr(instance, k), v)}
            steps = _steps(instance, limit)
            if not (limit or steps):
                continue
            moved += 1
            by_id = {r.id: r for r in instance.steps}
            if steps:
                _set(StepRecord, steps)
            for record_id, values in steps.items():
                before = {k: getattr(by_id[record_id], k) for k in values}
                audit.log_update(StepRecord, record_id, values, before, instance.office_id)
            if limit:
                limits[instance.id] = limit
                before = {k: getattr(instance, k) for k in limit}
                audit.log_update(ServiceInstance, instance.id, limit, before, instance.office_id)
    if limits:
        _set(ServiceInstance, limits)
    db.session.expire_all()
    return moved
