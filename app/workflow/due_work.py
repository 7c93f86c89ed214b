"""The daily job's work, set-based: each month's progress reports and each stage's plan are opened
with a fixed number of INSERT … SELECT statements, whatever the number of clients, and only for what
is missing (run it twice: the second run adds nothing). The same statements, narrowed to one client,
open a newly registered client's work at once (`open_for_client`): one rule for both."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    true,
    type_coerce,
)

from app import audit
from app.extensions import db
from app.formatting import fmt_month
from app.models.clients import ACTIVE, CHILD, Client
from app.models.guidance import EARLY, FINAL, MIDDLE, STAGES, ProgressReport, StagePlan, SupervisionPeriod
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.timeutil import utcnow, wib_midnight
from app.workflow.definitions import FINAL_STAGE, PROGRESS_REPORT, STAGE_PLAN

SI, SP = ServiceInstance, SupervisionPeriod
BULK = 10000  # rows inserted at once above which the planner's statistics are refreshed
# A stage's plan (and its approval by the Sidang TPP) is due this many days after the stage starts,
# or after the plan is opened when that is later (a client registered mid-stage), never after the
# stage ends (docs/decisions.md).
PLAN_DAYS = 14


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _wib_midnight(day: Any) -> ColumnElement[Any]:
    """SQL: the first moment (UTC) of a WIB day held in a date column."""
    if _postgres():
        return func.timezone("Asia/Jakarta", func.cast(day, db.DateTime))
    return func.strftime("%Y-%m-%d %H:%M:%f", day, "-7 hours").concat("000")  # SQLAlchemy's format


def _iso_midnight(day: Any) -> ColumnElement[str]:
    """SQL: `wib_midnight(day).isoformat()` of a date column (WIB midnight is 17:00 UTC the day before)."""
    before = func.to_char(day - 1, "YYYY-MM-DD") if _postgres() else func.date(day, "-1 day")
    return before.concat("T17:00:00+00:00")


def _json(*pairs: Any) -> ColumnElement[Any]:
    return type_coerce(func.json_build_object(*pairs) if _postgres() else func.json_object(*pairs), JSON)


def _execute(statement: Any) -> Any:
    # The driver's row count of an INSERT … SELECT, which SQLAlchemy drops unless asked.
    return db.session.execute(statement, execution_options={"preserve_rowcount": True})


def _fresh_statistics() -> None:
    """PostgreSQL: re-read the tables' statistics after a bulk insert, inside the transaction (it
    counts its own new rows), so the next statements are planned for a million rows, not none."""
    if _postgres():
        db.session.execute(text("ANALYZE service_instance, step_record"))


def _section() -> ColumnElement[str]:
    return case((Client.category == CHILD, "BKA"), else_="BKD")


def _of(column: Any, client_id: int | None) -> ColumnElement[bool]:
    """All clients (the daily job), or one (its registration)."""
    return column == client_id if client_id is not None else true()


def _steps_for(
    services: tuple[str, ...],
    step: str,
    since: datetime,
    due: Any,
    join: Any = None,
    client_id: int | None = None,
) -> int:
    """Give the new instances of `services` (none has a step yet) their first step, assigned to the PK."""
    stmt = select(
        SI.id,
        literal(step),
        SI.service,
        SI.office_id,
        literal("PK"),
        SI.section,
        SI.officer_id,
        SI.started_at,
        due,
        due,  # the deadline that binds: these services start no overall limit
        type_coerce(literal({}), JSON),
    ).where(
        SI.service.in_(services),
        SI.started_at >= since,
        _of(SI.client_id, client_id),
        ~exists().where(StepRecord.instance_id == SI.id),
    )
    if join is not None:
        stmt = join(stmt)
    columns = [
        "instance_id",
        "step",
        "service",
        "office_id",
        "actor_role",
        "section",
        "assignee_id",
        "ready_at",
        "due_at",
        "deadline_at",
        "data",
    ]
    return _execute(insert(StepRecord).from_select(columns, stmt)).rowcount


INSTANCE_COLUMNS = [
    "service",
    "subject",
    "section",
    "officer_id",
    "client_id",
    "office_id",
    "current_step",
    "status",
    "started_at",
    "data",
    "version",
]


def open_reports(today: date, month: date, following: date, client_id: int | None = None) -> int:
    """This month's progress report of every client under supervision (or of one) that has none
    (3 statements)."""
    no_report = ~exists().where(ProgressReport.client_id == Client.id, ProgressReport.month == month)
    ready = case((Client.supervision_start > month, Client.supervision_start), else_=month)
    due = wib_midnight(following)
    data = {"due": due.isoformat(), "month": month.isoformat()}
    clients = select(
        literal(PROGRESS_REPORT.code),
        Client.name.concat(f": {fmt_month(month)}"),
        _section(),
        Client.officer_id,
        Client.id,
        Client.office_id,
        literal("report"),
        literal(OPEN),
        _wib_midnight(ready),
        type_coerce(literal(data), JSON),
        literal(1),
    ).where(
        Client.status == ACTIVE,
        Client.supervision_start <= today,
        Client.supervision_end >= month,
        no_report,
        _of(Client.id, client_id),
    )
    opened = _execute(insert(SI).from_select(INSTANCE_COLUMNS, clients)).rowcount
    if not opened:
        return 0
    if opened > BULK:
        _fresh_statistics()
    since = wib_midnight(month)
    _steps_for((PROGRESS_REPORT.code,), "report", since, literal(due), client_id=client_id)
    day = case((SP.start > month, SP.start), else_=month)
    outside = (day < SP.start) | (day > SP.end)
    stage = case((outside, None), (day < SP.middle_from, EARLY), (day < SP.final_from, MIDDLE), else_=FINAL)
    reports = (
        select(SI.client_id, literal(month), stage, SI.id, SI.officer_id, SI.office_id)
        .outerjoin(SP, and_(SP.client_id == SI.client_id, SP.superseded_at.is_(None)))
        .where(SI.service == PROGRESS_REPORT.code, SI.started_at >= since, _of(SI.client_id, client_id))
        .where(~exists().where(ProgressReport.instance_id == SI.id))
    )
    columns = ["client_id", "month", "stage", "instance_id", "officer_id", "office_id"]
    _execute(insert(ProgressReport).from_select(columns, reports))
    return opened


def _stage_today(today: date) -> ColumnElement[str]:
    return case(
        (literal(today) < SP.middle_from, EARLY), (literal(today) < SP.final_from, MIDDLE), else_=FINAL
    )


def _stage_end(stage: Any) -> ColumnElement[date]:
    """SQL: the day after the stage ends (its deadline is that day's WIB midnight)."""
    after_end = SP.end + 1 if _postgres() else func.date(SP.end, "+1 day")
    return case((stage == EARLY, SP.middle_from), (stage == MIDDLE, SP.final_from), else_=after_end)


def _plan_due(stage: Any, today: date) -> ColumnElement[date]:
    """SQL: the day whose first moment ends a plan opened today: PLAN_DAYS on (the stage in progress
    started today or before), or the stage's end if sooner."""
    soon = literal(today + timedelta(days=PLAN_DAYS))
    return case((_stage_end(stage) < soon, _stage_end(stage)), else_=soon)


def open_plans(today: date, client_id: int | None = None) -> int:
    """The plan of the stage every client under supervision (or one) is in, where it has none
    (3 statements)."""
    stage = _stage_today(today)
    current = and_(SP.superseded_at.is_(None), SP.start <= today, SP.end >= today)
    now = utcnow()
    title = case(*((stage == s, f": {STAGES[s]}") for s in (EARLY, MIDDLE)), else_=f": {STAGES[FINAL]}")
    service = case((stage == FINAL, FINAL_STAGE.code), else_=STAGE_PLAN.code)
    plans = (
        select(
            service,
            Client.name.concat(title),
            _section(),
            Client.officer_id,
            Client.id,
            Client.office_id,
            literal("plan"),
            literal(OPEN),
            literal(now),
            _json(
                "stage",
                stage,
                "stage_ends",
                _iso_midnight(_stage_end(stage)),
                "plan_due",
                _iso_midnight(_plan_due(stage, today)),
            ),
            literal(1),
        )
        .join(SP, SP.client_id == Client.id)
        .where(Client.status == ACTIVE, current, _of(Client.id, client_id))
        .where(~exists().where(StagePlan.client_id == Client.id, StagePlan.stage == stage))
    )
    opened = _execute(insert(SI).from_select(INSTANCE_COLUMNS, plans)).rowcount
    if not opened:
        return 0
    if opened > BULK:
        _fresh_statistics()
    codes = (STAGE_PLAN.code, FINAL_STAGE.code)
    period = lambda stmt: stmt.join(SP, and_(SP.client_id == SI.client_id, current))  # noqa: E731
    _steps_for(codes, "plan", now, _wib_midnight(_plan_due(stage, today)), period, client_id)
    rows = (
        select(SI.client_id, stage, SI.id)
        .join(SP, and_(SP.client_id == SI.client_id, current))
        .where(SI.service.in_(codes), SI.started_at >= now, _of(SI.client_id, client_id))
        .where(~exists().where(StagePlan.instance_id == SI.id))
    )
    _execute(insert(StagePlan).from_select(["client_id", "stage", "instance_id"], rows))
    return opened


def open_due_work(today: date) -> dict[str, int]:
    """Open what is due today, in one transaction; one audit entry says how much."""
    month = today.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    from app.workflow.reporting_due import open_missed

    opened = {
        "reports": open_reports(today, month, following),
        "plans": open_plans(today),
        "missed": open_missed(today),
    }
    if any(opened.values()):
        audit.record_event(
            "daily", ProgressReport.__tablename__, month.isoformat(), opened, username="system"
        )
    db.session.commit()
    return opened


def open_for_client(client_id: int, today: date) -> dict[str, int]:
    """A client just registered (or whose period changed) gets this month's report and its stage's
    plan now, by the daily job's own statements; the caller commits."""
    month = today.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    opened = {
        "reports": open_reports(today, month, following, client_id),
        "plans": open_plans(today, client_id),
    }
    if any(opened.values()):
        audit.record_event("due_work", Client.__tablename__, client_id, opened)
    return opened
