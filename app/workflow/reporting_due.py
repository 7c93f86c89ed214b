"""The daily job's wajib lapor work, set-based: the last due date of every active schedule that passed
without a report becomes a missed occurrence, and each new miss opens the LAPOR service for the
client's PK. A fixed number of statements whatever the number of clients (one more per office that
has a new miss, to read its calendar); run twice, the second run adds nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    String,
    and_,
    case,
    cast,
    exists,
    insert,
    literal,
    select,
    type_coerce,
)
from sqlalchemy import update as sql_update

from app.models.clients import ACTIVE, Client
from app.models.reporting import (
    MAX_MONTH_DAY,
    MISSED,
    MONTHLY,
    WEEKLY,
    ReportingOccurrence,
    ReportingSchedule,
)
from app.models.workflow import OPEN, ServiceInstance
from app.timeutil import utcnow
from app.workflow import deadlines
from app.workflow.definitions import MISSED_REPORT
from app.workflow.due_work import INSTANCE_COLUMNS, _execute, _section, _steps_for
from app.workflow.reporting import last_due_before

RS, RO, SI = ReportingSchedule, ReportingOccurrence, ServiceInstance


def last_due_sql(today: date) -> ColumnElement[date]:
    """SQL: each schedule's latest due date before today, as a CASE over its (frequency, day), whose
    dates are computed here: 28 monthly and 7 weekly branches, whatever the number of schedules."""
    branches = [
        (and_(RS.frequency == MONTHLY, RS.day == d), literal(last_due_before(MONTHLY, d, today)))
        for d in range(1, MAX_MONTH_DAY + 1)
    ] + [
        (and_(RS.frequency == WEEKLY, RS.day == d), literal(last_due_before(WEEKLY, d, today)))
        for d in range(1, 8)
    ]
    return case(*branches, else_=None)


def _mark_missed(today: date) -> int:
    due = last_due_sql(today)
    rows = (
        select(RS.id, RS.client_id, RS.office_id, due, literal(MISSED))
        .join(Client, Client.id == RS.client_id)
        .where(RS.active, Client.status == ACTIVE, due.is_not(None), due >= RS.starts_on)
        .where((Client.supervision_end.is_(None)) | (Client.supervision_end >= due))
        .where(~exists().where(RO.schedule_id == RS.id, RO.due_on == due))
    )
    columns = ["schedule_id", "client_id", "office_id", "due_on", "status"]
    return _execute(insert(RO).from_select(columns, rows)).rowcount


def _contact_due(office_ids: list[Any], now: Any) -> ColumnElement[Any]:
    """SQL: when the PK's contact step falls due, on each office's calendar."""
    standard = MISSED_REPORT.steps[0].standard
    dues = {office_id: deadlines.due(standard, now, office_id) for office_id in office_ids}
    return case(dues, value=SI.office_id, else_=None) if dues else literal(None)


def open_missed(today: date) -> int:
    """Record the misses of the last due date and open their follow-up (at most 5 statements and one
    calendar read per office with a new miss)."""
    if not _mark_missed(today):
        return 0
    waiting = and_(RO.status == MISSED, RO.instance_id.is_(None))
    from app.extensions import db

    office_ids = list(db.session.scalars(select(RO.office_id).where(waiting).distinct()))
    now = utcnow()
    instances = (
        select(
            literal(MISSED_REPORT.code),
            Client.name.concat(": wajib lapor ").concat(cast(RO.due_on, String)),
            _section(),
            Client.officer_id,
            Client.id,
            RO.office_id,
            literal("contact"),
            literal(OPEN),
            literal(now),
            type_coerce(literal({}), JSON),
            literal(1),
        )
        .join(Client, Client.id == RO.client_id)
        .where(waiting)
    )
    opened = _execute(insert(SI).from_select(INSTANCE_COLUMNS, instances)).rowcount
    due = _contact_due(office_ids, now)
    _steps_for((MISSED_REPORT.code,), "contact", now, due)
    # Each client misses at most one due date per run (one schedule each): its new instance is the one
    # of this service started at this run's moment.
    mine = (
        select(SI.id)
        .where(SI.service == MISSED_REPORT.code, SI.client_id == RO.client_id, SI.started_at == now)
        .limit(1)
        .scalar_subquery()
    )
    _execute(
        sql_update(RO).where(waiting).values(instance_id=mine).execution_options(synchronize_session=False)
    )
    return opened
