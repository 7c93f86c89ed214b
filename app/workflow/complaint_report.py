"""The monthly complaint report: counts and handling times per month and category (or channel of
receipt: portal, in person, phone, letter, social media), counted in SQL in one grouped pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Float, Integer, String, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.extensions import db
from app.formatting import fmt_duration, fmt_month
from app.models.complaints import CATEGORIES, CHANNELS, Complaint
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.security import scope
from app.timeutil import wib_midnight


class wib_month(FunctionElement):
    """'YYYY-MM' of a UTC timestamp in the office's zone (WIB has no daylight saving: UTC+7)."""

    type = String()
    inherit_cache = True


@compiles(wib_month)
def _wib_month_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(wib_month, "postgresql")
def _wib_month_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')"


class seconds_between(FunctionElement):
    """Seconds from the first timestamp to the second (NULL if either is NULL)."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


CATEGORY, CHANNEL = "category", "channel"  # what a report's rows are grouped by, after the month


@dataclass(frozen=True)
class ReportRow:
    """One month and group (a category or a channel): complaints received, closed, still open, closed
    in time, time to close."""

    month: date
    group: str | None
    received: int
    closed: int
    within_limit: int
    seconds_to_close: float

    @property
    def still_open(self) -> int:
        """Complaints of the group not closed yet."""
        return self.received - self.closed

    @property
    def average_to_close(self) -> timedelta | None:
        """Mean time from receipt to closing of the closed ones."""
        return timedelta(seconds=round(self.seconds_to_close / self.closed)) if self.closed else None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    # In UTC: SQLite compares the stored UTC text, so the bounds must be UTC too.
    return (
        wib_midnight(date(year, 1, 1)),
        wib_midnight(date(year + 1, 1, 1)),
    )


def _cells(year: int, user: Staff | None) -> list[Any]:
    """The year's complaints the user may see, counted per month, category and channel in one pass:
    the report's two groupings are sums of these few hundred cells."""
    start, end = _year_bounds(year)
    month = wib_month(Complaint.received_at)
    closed = ServiceInstance.finished_at.is_not(None)
    stmt = (
        select(
            month,
            Complaint.category,
            Complaint.channel,
            func.count(Complaint.id),
            func.sum(case((closed, 1), else_=0), type_=Integer),
            func.sum(case((ServiceInstance.limit_met.is_(True), 1), else_=0), type_=Integer),
            func.coalesce(
                func.sum(seconds_between(ServiceInstance.started_at, ServiceInstance.finished_at)), 0.0
            ),
        )
        .join(ServiceInstance, ServiceInstance.id == Complaint.instance_id)
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .group_by(month, Complaint.category, Complaint.channel)
    )
    return list(db.session.execute(scope.restrict(stmt, Complaint, user)))


def _grouped(cells: list[Any], by: str) -> list[ReportRow]:
    """The cells summed per month and category (or channel), in month and group order."""
    column = 1 if by == CATEGORY else 2
    sums: dict[tuple[str, str | None], list[float]] = {}
    for cell in cells:
        spot = sums.setdefault((cell[0], cell[column]), [0, 0, 0, 0.0])
        for i, value in enumerate(cell[3:]):
            spot[i] += value or 0
    ordered = sorted(sums.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))
    return [
        ReportRow(
            month=date(int(key[:4]), int(key[5:7]), 1),
            group=group,
            received=int(received),
            closed=int(n_closed),
            within_limit=int(n_within),
            seconds_to_close=float(seconds),
        )
        for (key, group), (received, n_closed, n_within, seconds) in ordered
    ]


def monthly(year: int, user: Staff | None = None, by: str = CATEGORY) -> list[ReportRow]:
    """The complaints the user may see, received in a year (WIB), per month and category (or channel)."""
    return _grouped(_cells(year, user), by)


def total(rows: list[ReportRow]) -> ReportRow | None:
    """The year's totals of the grouped rows."""
    if not rows:
        return None
    return ReportRow(
        month=rows[0].month,
        group=None,
        received=sum(r.received for r in rows),
        closed=sum(r.closed for r in rows),
        within_limit=sum(r.within_limit for r in rows),
        seconds_to_close=sum(r.seconds_to_close for r in rows),
    )


def report(year: int, user: Staff | None = None) -> dict[str, Any]:
    """The year's report: rows and totals per month and category, and per month and channel."""
    cells = _cells(year, user)
    by_category, by_channel = _grouped(cells, CATEGORY), _grouped(cells, CHANNEL)
    return {
        "year": year,
        "rows": by_category,
        "channel_rows": by_channel,
        "total": total(by_category),
        "categories": CATEGORIES,
        "channels": CHANNELS,
    }


def sheets(content: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report as spreadsheet sheets: per category and per channel, each with its total."""
    header = [_("Month"), _("Received"), _("Closed"), _("Still open"), _("Answered within 14 days"),
              _("Average time to close")]  # fmt: skip

    def line(row: ReportRow) -> list[Any]:
        average = fmt_duration(row.average_to_close) if row.average_to_close is not None else ""
        return [row.received, row.closed, row.still_open, row.within_limit, average]

    result = []
    for title, column, rows, labels in (
        (_("Per category"), _("Category"), content["rows"], content["categories"]),
        (_("Per channel"), _("Received through"), content["channel_rows"], content["channels"]),
    ):
        body = [[fmt_month(r.month), str(labels.get(r.group, r.group)), *line(r)] for r in rows]
        if rows:
            body.append([_("Total"), "", *line(total(rows))])
        result.append((title, [header[0], column, *header[1:]], body))
    return result
