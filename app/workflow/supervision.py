"""Supervision periods: the stage dates of every client (buku ekspirasi), kept in step with the period,
and the daily job that opens each month's progress report and each stage's plan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, event, inspect, literal, select
from sqlalchemy.orm import Session, joinedload

from app.extensions import db
from app.formatting import fmt_month
from app.models.clients import ACTIVE, Client
from app.models.guidance import (
    EARLY,
    FINAL,
    MIDDLE,
    STAGES,
    ProgressReport,
    StagePlan,
    StageWindows,
    SupervisionPeriod,
)
from app.models.guidance import stage_windows as split_period
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.security import scope
from app.security.scope import current_staff
from app.timeutil import as_utc, utcnow, wib_midnight
from app.workflow import engine
from app.workflow.definitions import FINAL_STAGE, PROGRESS_REPORT, STAGE_PLAN

BATCH = 500  # clients handled per transaction by the daily job


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
        ends = _stage_ends(windows, plan.stage)
        plan.instance.data = {**plan.instance.data, "stage_ends": ends}
        for record in plan.instance.steps:
            if record.finished_at is None:
                record.due_at = as_utc(datetime.fromisoformat(ends))


def install() -> None:
    """Keep the stage dates in step with every change of a period (idempotent)."""
    if not event.contains(Session, "before_flush", _record_periods):
        event.listen(Session, "before_flush", _record_periods)


def _report_due(client: Client, month: date) -> None:
    instance = engine.start(
        PROGRESS_REPORT.code,
        f"{client.name}: {fmt_month(month)}",
        ready_at=wib_midnight(max(month, client.supervision_start)),
        data={"due": wib_midnight(next_month(month)).isoformat(), "month": month.isoformat()},
        section=client.section,
        officer_id=client.officer_id,
        client_id=client.id,
    )
    db.session.add(
        ProgressReport(
            client_id=client.id,
            month=month,
            stage=stage_on(client, max(month, client.supervision_start)),
            instance=instance,
            officer_id=client.officer_id,
        )
    )


def _plan_due(client: Client, period: SupervisionPeriod, stage: str) -> None:
    windows = period.windows
    service = FINAL_STAGE if stage == FINAL else STAGE_PLAN
    # Ready now, not at the stage's first day: a client registered mid-stage did not wait for us.
    instance = engine.start(
        service.code,
        f"{client.name}: {STAGES[stage]}",
        data={"stage": stage, "stage_ends": _stage_ends(windows, stage)},
        section=client.section,
        officer_id=client.officer_id,
        client_id=client.id,
    )
    db.session.add(StagePlan(client_id=client.id, stage=stage, instance=instance))


def _in_batches(stmt: Any, work: Any) -> int:
    """Run `work` on every row the statement finds, BATCH rows per transaction.

    The statement selects what is still missing, so each round finds the next rows.
    """
    done = 0
    while True:
        rows = db.session.execute(stmt.limit(BATCH)).all()
        for row in rows:
            work(*row)
        db.session.commit()
        done += len(rows)
        if len(rows) < BATCH:
            return done


def open_due_work(today: date) -> dict[str, int]:
    """Open this month's progress reports and the current stage's plans that do not exist yet.

    Idempotent: run it every day (and after a restore); it only adds what is missing, and it
    finds what is missing in SQL, so a quiet day costs two queries.
    """
    month = first_of_month(today)
    no_report = (
        ~select(ProgressReport.id)
        .where(ProgressReport.client_id == Client.id, ProgressReport.month == month)
        .exists()
    )
    reports = _in_batches(
        select(Client)
        .where(Client.status == ACTIVE, Client.supervision_start <= today, Client.supervision_end >= month)
        .where(no_report)
        .order_by(Client.id),
        lambda client: _report_due(client, month),
    )
    stage = case(
        (literal(today) < SupervisionPeriod.middle_from, literal(EARLY)),
        (literal(today) < SupervisionPeriod.final_from, literal(MIDDLE)),
        else_=literal(FINAL),
    )
    no_plan = ~select(StagePlan.id).where(StagePlan.client_id == Client.id, StagePlan.stage == stage).exists()
    plans = _in_batches(
        select(Client, SupervisionPeriod, stage)
        .join(SupervisionPeriod, SupervisionPeriod.client_id == Client.id)
        .where(
            Client.status == ACTIVE,
            SupervisionPeriod.superseded_at.is_(None),
            SupervisionPeriod.start <= today,
            SupervisionPeriod.end >= today,
        )
        .where(no_plan)
        .order_by(Client.id),
        _plan_due,
    )
    return {"reports": reports, "plans": plans}


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
