"""The wajib lapor lists of the PK and the Kasubsi, each one query in the reader's scope: clients due
to report this week, clients who missed, clients under warning (aggregates in SQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.clients import ACTIVE, Client
from app.models.reporting import (
    ATTENDED,
    LATE,
    MAX_MONTH_DAY,
    MISSED,
    MONTHLY,
    WEEKLY,
    ReportingOccurrence,
    ReportingSchedule,
    WarningLetter,
)
from app.models.staff import Staff
from app.security import scope

RS, RO, WL = ReportingSchedule, ReportingOccurrence, WarningLetter
LIMIT = 500


class Row(NamedTuple):
    """A client of a list and the figures the list shows of it."""

    client: Client
    when: date | None
    count: int = 0
    level: int = 0


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of today's week."""
    monday = today - timedelta(days=today.isoweekday() - 1)
    return monday, monday + timedelta(days=6)


def _due_this_week(today: date) -> Any:
    """SQL: a schedule's due date within today's week, else NULL (a CASE of literal dates)."""
    monday, _sunday = week_of(today)
    days = [monday + timedelta(days=n) for n in range(7)]
    branches = [(and_(RS.frequency == WEEKLY, RS.day == d.isoweekday()), literal(d)) for d in days]
    branches += [
        (and_(RS.frequency == MONTHLY, RS.day == d.day), literal(d)) for d in days if d.day <= MAX_MONTH_DAY
    ]
    return case(*branches, else_=None)


def due_this_week(today: date, user: Staff | None = None) -> list[Row]:
    """Active schedules in scope whose due date falls this week and that the client has not met yet."""
    due = _due_this_week(today).label("due")
    met = exists().where(RO.schedule_id == RS.id, RO.due_on == due, RO.status.in_((ATTENDED, LATE)))
    stmt = (
        select(RS, due)
        .join(RS.client)
        .options(joinedload(RS.client).joinedload(Client.officer))
        .where(RS.active, Client.status == ACTIVE, due.is_not(None), due >= RS.starts_on, ~met)
        .order_by(due, RS.id)
        .limit(LIMIT)
    )
    rows = db.session.execute(scope.restrict(stmt, ReportingSchedule, user)).all()
    return [Row(schedule.client, when) for schedule, when in rows]


def missed(user: Staff | None = None) -> list[Row]:
    """Clients in scope with misses not excused nor made up: how many, and the latest."""
    user = user or scope.current_staff()
    counts = (
        select(RO.client_id, func.count(RO.id).label("n"), func.max(RO.due_on).label("last"))
        .where(RO.status == MISSED, scope.clause(ReportingOccurrence, user))
        .group_by(RO.client_id)
        .subquery()
    )
    stmt = (
        select(Client, counts.c.last, counts.c.n)
        .join(counts, counts.c.client_id == Client.id)
        .options(joinedload(Client.officer))
        .where(Client.status == ACTIVE)
        .order_by(counts.c.last.desc(), Client.id)
        .limit(LIMIT)
    )
    return [Row(client, last, n) for client, last, n in db.session.execute(stmt).all()]


def under_warning(user: Staff | None = None) -> list[Row]:
    """Clients in scope with a signed warning letter: the highest level, how many, the latest date."""
    user = user or scope.current_staff()
    letters = (
        select(
            WL.client_id,
            func.max(WL.level).label("level"),
            func.count(WL.id).label("n"),
            func.max(WL.signed_at).label("last"),
        )
        .where(WL.signed_at.is_not(None), scope.clause(WarningLetter, user))
        .group_by(WL.client_id)
        .subquery()
    )
    stmt = (
        select(Client, letters.c.last, letters.c.n, letters.c.level)
        .join(letters, letters.c.client_id == Client.id)
        .options(joinedload(Client.officer))
        .where(Client.status == ACTIVE)
        .order_by(letters.c.level.desc(), letters.c.last.desc(), Client.id)
        .limit(LIMIT)
    )
    return [Row(client, last, n, level) for client, last, n, level in db.session.execute(stmt).all()]
