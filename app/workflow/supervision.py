"""Supervision periods: the stage dates of every client (buku ekspirasi), kept in step with the period,
and the daily job that opens each month's progress report and each stage's plan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, joinedload

from app.extensions import db
from app.models.clients import ACTIVE, Client
from app.models.guidance import (
    StagePlan,
    StageWindows,
    SupervisionPeriod,
)
from app.models.guidance import stage_windows as split_period
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.security import scope
from app.security.scope import current_staff
from app.timeutil import WIB, as_utc, utcnow, wib_midnight
from app.workflow import deadlines
from app.workflow.definitions import SERVICES


def first_of_month(day: date) -> date:
    """The first day of the month of a date."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def windows_of(client: Client) -> StageWindows | None:
    """The stage dates of a client's current period, or None without a period."""
    if client.supervision_start is None or client.supervision_end is None:
        return None
    return split_period(client.supervision_start, client.supervision_end)


def stage_on(client: Client, day: date) -> str | None:
    """The stage a client is in on a day."""
    windows = windows_of(client)
    return windows.stage_on(day) if windows else None


def _stage_ends(windows: StageWindows, stage: str) -> str:
    return wib_midnight(windows.bounds(stage)[1] + timedelta(days=1)).isoformat()


def _plan_due(windows: StageWindows, stage: str, opened: date) -> str:
    """When a stage's plan opened on `opened` is due: the rule of app.workflow.due_work.open_plans."""
    from app.workflow.due_work import PLAN_DAYS

    start, end = windows.bounds(stage)
    return wib_midnight(
        min(max(start, opened) + timedelta(days=PLAN_DAYS), end + timedelta(days=1))
    ).isoformat()


def _record_periods(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: a client whose period is new or changed gets a new version of its stage dates."""
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Client) or obj.supervision_start is None or obj.supervision_end is None:
            continue
        state = inspect(obj)
        changed = any(
            state.attrs[key].history.has_changes() for key in ("supervision_start", "supervision_end")
        )
        if not (changed or obj in session.new):
            continue
        windows = split_period(obj.supervision_start, obj.supervision_end)
        with session.no_autoflush:
            if obj.id is not None:
                _supersede(session, obj, windows)
        user = current_staff()
        session.add(
            SupervisionPeriod(
                client=obj,
                start=windows.start,
                middle_from=windows.middle_from,
                final_from=windows.final_from,
                end=windows.end,
                recorded_by_id=user.id if user else None,
            )
        )


def _supersede(session: Session, client: Client, windows: StageWindows) -> None:
    """Mark the old stage dates as replaced and move the deadlines of the open stage plans."""
    now = utcnow()
    for old in session.scalars(
        select(SupervisionPeriod).where(
            SupervisionPeriod.client_id == client.id, SupervisionPeriod.superseded_at.is_(None)
        )
    ):
        old.superseded_at = now
    plans = session.scalars(
        select(StagePlan)
        .join(StagePlan.instance)
        .where(StagePlan.client_id == client.id, ServiceInstance.status == OPEN)
    )
    for plan in plans:
        instance = plan.instance
        opened = as_utc(instance.started_at).astimezone(WIB).date()
        moments = {
            "stage_ends": _stage_ends(windows, plan.stage),
            "plan_due": _plan_due(windows, plan.stage, opened),
        }
        instance.data = {**instance.data, **moments}
        for record in instance.steps:
            key = SERVICES[instance.service].step(record.step).deadline_from
            if record.finished_at is None and key in moments:
                record.due_at = as_utc(datetime.fromisoformat(moments[key]))
        deadlines.bind(instance)


def install() -> None:
    """Keep the stage dates in step with every change of a period (idempotent)."""
    if not event.contains(Session, "before_flush", _record_periods):
        event.listen(Session, "before_flush", _record_periods)


def open_due_work(today: date) -> dict[str, int]:
    """Open this month's progress reports, the current stage's plans and the follow-up of missed reports
    that do not exist yet.

    Idempotent and set-based: a fixed number of statements whatever the number of clients
    (app.workflow.due_work)."""
    from app.workflow import due_work

    return due_work.open_due_work(today)


def open_steps_of(client_id: int) -> list[StepRecord]:
    """The open steps of every service of a client, oldest first."""
    return list(
        db.session.scalars(
            select(StepRecord)
            .join(StepRecord.instance)
            .where(ServiceInstance.client_id == client_id, StepRecord.finished_at.is_(None))
            .order_by(StepRecord.ready_at)
        )
    )


def ending_soon(today: date, days: int = 30, limit: int = 500) -> list[Client]:
    """Clients in the user's scope whose supervision ends within `days` days, soonest first."""
    stmt = (
        select(Client)
        .options(joinedload(Client.officer))
        .where(Client.status == ACTIVE, Client.supervision_end >= today)
        .where(Client.supervision_end <= today + timedelta(days=days))
        .order_by(Client.supervision_end, Client.id)
        .limit(limit)
    )
    return list(db.session.scalars(scope.restrict(stmt, Client)))


def missed_reporting(today: date, limit: int = 500) -> list[Client]:
    """Clients in the user's scope who did not come on their last appointment (wajib lapor)."""
    stmt = (
        select(Client)
        .options(joinedload(Client.officer))
        .where(Client.status == ACTIVE, Client.next_report_due < today)
        .order_by(Client.next_report_due, Client.id)
        .limit(limit)
    )
    return list(db.session.scalars(scope.restrict(stmt, Client)))
