"""The dashboard's figures from the monthly roll-ups plus a direct count of what they leave out.

The roll-ups hold, for whole WIB months, every finished step and the closed instances' figures; the
rest is counted from the records: open instances, the partial months at the edges of the period,
"open" and "overdue" as at the cutoff, and the finished steps named to the user that its scope
reaches only that way. Where the
roll-ups' keys cannot express the scope (a PK's teams) or an officer is chosen, everything is
counted directly. The figures equal `performance`'s direct computation (tests/reports/test_rollups.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select, true, union, union_all

from app.extensions import db
from app.models.kinerja import DurationMonth, InstanceMonth, StepMonth
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import OPEN
from app.reports.performance import (
    INSTANCE_KINDS,
    NONE,
    OFFICE,
    OFFICER,
    OFFICER_OF_STEP,
    REGION,
    SECTION,
    SERVICE,
    SI,
    SR,
    STEP,
    STEP_KINDS,
    Filters,
    instance_filters,
    step_filters,
)
from app.security import scope
from app.timeutil import wib_midnight
from app.workflow.rollups import METRICS, bucket

EVENT_MOMENT = {
    "started": SI.started_at, "finished": SI.finished_at, "limit_met": SI.started_at,
    "limit_missed": SI.started_at, "steps_finished": SR.finished_at, "within": SR.finished_at,
    "missed": SR.finished_at,
}  # fmt: skip
INSTANCE_SUMS = {
    "started": "started",
    "finished": "finished",
    "limit_met": "limit_met",
    "limit_missed": "limit_failed",
}
STEP_SUMS = {"steps_finished": "finished", "within": "within", "missed": "missed"}


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def whole_months(f: Filters) -> tuple[date, date] | None:
    """The first and last whole WIB month inside the period, or None."""
    first = f.start if f.start.day == 1 else _next_month(f.start)
    last = f.end.replace(day=1) if _next_month(f.end) - timedelta(days=1) == f.end else None
    if last is None:
        last = (f.end.replace(day=1) - timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def _some(value: Any, empty: Any) -> Any:
    return None if value == empty else value


@dataclass
class Figures:
    """Counts at the finest grain, and bucketed durations per step; aggregated per dimension."""

    instances: dict[tuple, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    steps: dict[tuple, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    durations: dict[tuple, dict[str, dict[int, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    )

    def add(self, target: dict, key: tuple, row: Any, names: dict[str, str]) -> None:
        """Add a row's sums (named by `names`: figure → column) under `key`."""
        for kind, column in names.items():
            target[key][kind] += int(row[column] or 0)


INSTANCE_DIMENSIONS = {SERVICE: lambda k: k[0], SECTION: lambda k: k[1], OFFICER: lambda k: k[2]}
STEP_DIMENSIONS = {
    SERVICE: lambda k: k[0], STEP: lambda k: (k[0], k[1]), SECTION: lambda k: k[2], OFFICER: lambda k: k[3],
}  # fmt: skip


def _grouped(counts: dict[tuple, dict[str, int]], key_of: Any, kinds: dict) -> dict[Any, dict[str, int]]:
    result: dict[Any, dict[str, int]] = {}
    for key, values in counts.items():
        if not any(values.values()):
            continue  # a row the direct count read but whose figures the roll-ups hold
        group = result.setdefault(key_of(key), dict.fromkeys(kinds, 0))
        for kind, value in values.items():
            group[kind] += value
    return result


def by(figures: Figures, of_steps: bool, dimension: str, region_of: dict[int, int] | None = None) -> dict:
    """The figures per service, step, section, officer, office or region (like `performance`)."""
    office = 4 if of_steps else 3
    dimensions = dict(STEP_DIMENSIONS if of_steps else INSTANCE_DIMENSIONS)
    dimensions[OFFICE] = lambda k: k[office]
    dimensions[REGION] = lambda k: (region_of or {}).get(k[office])
    counts = figures.steps if of_steps else figures.instances
    return _grouped(counts, dimensions[dimension], STEP_KINDS if of_steps else INSTANCE_KINDS)


def percentile(counts: dict[int, int], percent: int) -> float | None:
    """percentile_cont over bucketed durations given as {seconds: how many}."""
    n = sum(counts.values())
    if not n:
        return None
    position = 1 + (n - 1) * percent // 100
    fraction = ((n - 1) * percent % 100) / 100
    low = high = None
    seen = 0
    for seconds in sorted(counts):
        seen += counts[seconds]
        if low is None and seen >= position:
            low = seconds
        if seen >= position + 1:
            high = seconds
            break
    assert low is not None
    return float(low) if high is None or not fraction else low + (high - low) * fraction


def spreads(figures: Figures, percents: tuple[int, ...]) -> dict[tuple[str, str], dict[str, dict[Any, Any]]]:
    """{(service, step): {metric: {50: s, 90: s, "n": count}}} (as `percentiles.step_percentiles`)."""
    result = {}
    for key, metrics in figures.durations.items():
        result[key] = {}
        for name in METRICS:
            counts = metrics.get(name, {})
            result[key][name] = {p: percentile(counts, p) for p in percents} | {"n": sum(counts.values())}
    return result


# --- the roll-up part: closed instances, whole months -------------------------------------------------


def _rollup_where(table: Any, f: Filters, user: Staff | None, months: tuple[date, date], steps: bool) -> list:
    rule = scope.rollup_clause(user, table, table.subject_id == (user.id if user else 0))
    parts = [rule, table.month >= months[0], table.month <= months[1]]
    if f.service:
        parts.append(table.service == f.service)
    if f.step and steps:
        parts.append(table.step == f.step)
    if f.section:
        column = table.step_section if steps else table.section
        parts.append(column == ("" if f.section == NONE else f.section))
    if f.office:
        parts.append(table.office_id == f.office)
    if f.region:
        parts.append(table.office_id.in_(select(Office.id).where(Office.region_id == f.region)))
    return parts


def _read_rollups(figures: Figures, f: Filters, user: Staff | None, months: tuple[date, date]) -> None:
    im, sm, dm = InstanceMonth, StepMonth, DurationMonth
    keys = (im.service, im.section, im.officer_id, im.office_id)
    stmt = select(*keys, *(func.sum(getattr(im, c)).label(c) for c in INSTANCE_SUMS.values()))
    for row in db.session.execute(
        stmt.where(*_rollup_where(im, f, user, months, False)).group_by(*keys)
    ).mappings():
        key = (
            row["service"],
            _some(row["section"], ""),
            _some(row["officer_id"], 0),
            _some(row["office_id"], 0),
        )
        figures.add(figures.instances, key, row, INSTANCE_SUMS)
    keys = (sm.service, sm.step, sm.step_section, sm.officer_id, sm.office_id)
    stmt = select(*keys, *(func.sum(getattr(sm, c)).label(c) for c in STEP_SUMS.values()))
    for row in db.session.execute(
        stmt.where(*_rollup_where(sm, f, user, months, True)).group_by(*keys)
    ).mappings():
        key = (row["service"], row["step"], _some(row["step_section"], ""), _some(row["officer_id"], 0),
               _some(row["office_id"], 0))  # fmt: skip
        figures.add(figures.steps, key, row, STEP_SUMS)
    keys = (dm.service, dm.step, dm.metric, dm.seconds)
    stmt = (
        select(*keys, func.sum(dm.count))
        .where(*_rollup_where(dm, f, user, months, True))
        .group_by(*keys)
        .having(func.sum(dm.count) != 0)  # buckets a moved instance's steps left
    )
    for service, step, metric, seconds, count in db.session.execute(stmt):
        figures.durations[(service, step)][metric][seconds] += int(count)


# --- the direct part ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Direct:
    """Which rows the direct count takes: all (`months` None), or what the roll-ups leave out."""

    f: Filters
    months: tuple[date, date] | None
    named: ColumnElement[bool]  # steps the scope reaches only by being named to the user
    user: Staff | None = None

    def edges(self, moment: Any) -> ColumnElement[bool]:
        """The moment lies in the period outside its whole months."""
        if self.months is None:
            return true()
        first, last = wib_midnight(self.months[0]), wib_midnight(_next_month(self.months[1]))
        return or_(and_(moment >= self.f.since, moment < first), and_(moment >= last, moment < self.f.until))

    def counted(self, kind: str, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """An event counted here: at the edges, a step named to the user or an open instance's; a
        state always."""
        if self.months is None or kind not in EVENT_MOMENT:
            return condition
        beyond = self.named if kind in STEP_KINDS else SI.status == OPEN
        return and_(condition, or_(self.edges(EVENT_MOMENT[kind]), beyond))

    def rows(self, steps: bool) -> ColumnElement[bool]:
        """The rows that may hold something counted here, each part found by an index."""
        if self.months is None:
            return true()
        f, first, last = self.f, wib_midnight(self.months[0]), wib_midnight(_next_month(self.months[1]))

        def between(column: Any, low: Any, high: Any) -> ColumnElement[bool]:
            return and_(column >= low, column < high)

        # Each part within the user's offices: an office's rows, not the country's, are hashed.
        if not steps:
            office = scope.office_clause(SI, self.user) if self.user else true()
            parts = [select(SI.id).where(SI.status == OPEN, office)]
            for column in (SI.started_at, SI.finished_at):
                parts += [select(SI.id).where(between(column, f.since, first), office),
                          select(SI.id).where(between(column, last, f.until), office)]  # fmt: skip
            parts.append(select(SI.id).where(SI.finished_at >= f.cutoff, office))
            return SI.id.in_(union(*parts))
        office = scope.step_office(self.user) if self.user else true()
        parts = [
            select(SR.id).where(between(SR.finished_at, f.since, first), office),
            select(SR.id).where(between(SR.finished_at, last, f.until), office),
            select(SR.id).where(SR.finished_at.is_(None), office),
            select(SR.id).where(SR.finished_at >= f.cutoff, office),
            select(SR.id).join(SR.instance).where(self.named),
        ]
        return SR.id.in_(union(*parts))


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _read_direct(figures: Figures, user: Staff | None, d: Direct) -> None:
    f = d.f
    keys = (SI.service, SI.section, SI.officer_id, SI.office_id)
    relevant = or_(*(INSTANCE_KINDS[k][1](f) for k in ("started", "finished", "open")))
    counts = [_count(d.counted(k, cond(f))).label(k) for k, (_l, cond) in INSTANCE_KINDS.items()]
    stmt = select(*keys, *counts).where(relevant, d.rows(False), *instance_filters(f, user)).group_by(*keys)
    for row in db.session.execute(stmt).mappings():
        key = (row["service"], row["section"], row["officer_id"], row["office_id"])
        figures.add(figures.instances, key, row, {k: k for k in INSTANCE_KINDS})
    keys = (SI.service, SR.step, SR.section, OFFICER_OF_STEP.label("officer"), SI.office_id)
    relevant = or_(STEP_KINDS["steps_finished"][1](f), STEP_KINDS["steps_open"][1](f))
    counts = [_count(d.counted(k, cond(f))).label(k) for k, (_l, cond) in STEP_KINDS.items()]
    where = [relevant, d.rows(True), *step_filters(f, user)]
    stmt = select(*keys, *counts).join(SR.instance).where(*where).group_by(*keys)
    for row in db.session.execute(stmt).mappings():
        key = (row["service"], row["step"], row["section"], row["officer"], row["office_id"])
        figures.add(figures.steps, key, row, {k: k for k in STEP_KINDS})
    finished = d.counted("steps_finished", STEP_KINDS["steps_finished"][1](f))
    # The rows once (a CTE used three times is computed once), then one bucket column per metric.
    rows = (
        select(SI.service.label("service"), SR.step.label("step"),
               *(bucket(column).label(name) for name, column in METRICS.items()))
        .join(SR.instance)
        .where(finished, d.rows(True), *step_filters(f, user))
        .cte("finished_steps")
    )  # fmt: skip
    parts = [
        select(
            rows.c.service, rows.c.step, literal(name).label("metric"), rows.c[name].label("seconds")
        ).where(rows.c[name].is_not(None))
        for name in METRICS
    ]
    raw = union_all(*parts).subquery()
    stmt = select(raw.c.service, raw.c.step, raw.c.metric, raw.c.seconds, func.count()).group_by(
        raw.c.service, raw.c.step, raw.c.metric, raw.c.seconds
    )
    for service, step, metric, seconds, count in db.session.execute(stmt):
        figures.durations[(service, step)][metric][int(seconds)] += int(count)


def _named(user: Staff | None) -> ColumnElement[bool]:
    """Steps named to the user (ANYONE) that the roll-up's scope does not hold."""
    if user is None:
        return false()
    raw = SimpleNamespace(
        office_id=SI.office_id, service=SI.service, section=func.coalesce(SI.section, ""),
        step_section=func.coalesce(SR.section, ""), actor_role=SR.actor_role,
    )  # fmt: skip
    held = scope.rollup_clause(user, raw, func.coalesce(scope.EXCLUDED[SR](user), false()))
    return and_(SR.assignee_id == user.id, ~held)


def compute(f: Filters, user: Staff | None) -> Figures:
    """Every figure of the period in the user's scope: from the roll-ups where they serve."""
    figures = Figures()
    months = whole_months(f)
    keyed = SimpleNamespace(office_id=SI.office_id, service=SI.service, section=SI.section)
    if f.officer or months is None or scope.rollup_clause(user, keyed, false()) is None:
        _read_direct(figures, user, Direct(f, None, false()))
        return figures
    _read_rollups(figures, f, user, months)
    _read_direct(figures, user, Direct(f, months, _named(user), user))
    return figures
