"""The part of the Kinerja figures the roll-ups leave out, counted from the records: open instances,
the partial months at the edges of the period, "open" and "overdue" as at the cutoff, and the
finished steps named to the user that its scope reaches only that way (app.reports.kinerja).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select, true, union, union_all
from sqlalchemy.sql.util import find_tables

from app.extensions import db
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import OPEN
from app.reports.performance import (
    INSTANCE_KINDS,
    NONE,
    OFFICER_OF_STEP,
    SI,
    SR,
    STEP_KINDS,
    Filters,
    instance_filters,
    overdue_counted,
    step_filters,
)
from app.security import scope
from app.timeutil import wib_midnight
from app.workflow.rollups import METRICS, bucket

if TYPE_CHECKING:
    from app.reports.kinerja import Figures

EVENT_MOMENT = {
    "started": SI.started_at, "finished": SI.finished_at, "limit_met": SI.started_at,
    "limit_missed": SI.started_at, "steps_finished": SR.finished_at, "within": SR.finished_at,
    "missed": SR.finished_at,
}  # fmt: skip
OPEN_KINDS = ("steps_open", "steps_overdue")  # the only step figures a running step can hold


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


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
        first, last = wib_midnight(self.months[0]), wib_midnight(next_month(self.months[1]))
        return or_(and_(moment >= self.f.since, moment < first), and_(moment >= last, moment < self.f.until))

    def counted(self, kind: str, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """An event counted here: at the edges, a step named to the user or an open instance's; a
        state always."""
        if self.months is None or kind not in EVENT_MOMENT:
            return condition
        beyond = self.named if kind in STEP_KINDS else SI.status == OPEN
        return and_(condition, or_(self.edges(EVENT_MOMENT[kind]), beyond))

    def rows(self, steps: bool) -> ColumnElement[bool]:
        """The rows that may hold something counted here, each part found by an index; with the
        roll-ups, all but the running work, which `read_direct` reads apart."""
        if self.months is None:
            return true()
        f, first, last = self.f, wib_midnight(self.months[0]), wib_midnight(next_month(self.months[1]))

        def between(column: Any, low: Any, high: Any) -> ColumnElement[bool]:
            return and_(column >= low, column < high)

        # Each part within the user's offices: an office's rows, not the country's, are hashed.
        if not steps:
            office = scope.office_clause(SI, self.user) if self.user else true()
            parts = []
            for column in (SI.started_at, SI.finished_at):
                parts += [select(SI.id).where(between(column, f.since, first), office),
                          select(SI.id).where(between(column, last, f.until), office)]  # fmt: skip
            parts.append(select(SI.id).where(SI.finished_at >= f.cutoff, office))
            return and_(SI.id.in_(union(*parts)), SI.status != OPEN)
        office = scope.step_office(self.user) if self.user else true()
        parts = [
            select(SR.id).where(between(SR.finished_at, f.since, first), office),
            select(SR.id).where(between(SR.finished_at, last, f.until), office),
            select(SR.id).where(SR.finished_at >= f.cutoff, office),
            select(SR.id).join(SR.instance).where(self.named),
        ]
        return SR.id.in_(union(*parts))


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _instances(
    figures: Figures,
    user: Staff | None,
    d: Direct,
    rows: ColumnElement[bool],
    kinds: tuple[str, ...],
    running: bool = False,
) -> None:
    f = d.f
    keys = (SI.service, SI.section, SI.officer_id, SI.office_id)
    # Overdue lies within open: only what the kinds asked for can hold a figure.
    relevant = or_(*(INSTANCE_KINDS[k][1](f) for k in ("started", "finished", "open") if k in kinds))
    conditions = {k: INSTANCE_KINDS[k][1] for k in kinds}
    if running and "overdue" in kinds:  # an office's running services: the late steps as one set
        conditions["overdue"] = overdue_counted
    counts = [_count(d.counted(k, cond(f))).label(k) for k, cond in conditions.items()]
    stmt = select(*keys, *counts).where(relevant, rows, *instance_filters(f, user)).group_by(*keys)
    for row in db.session.execute(stmt).mappings():
        key = (row["service"], row["section"], row["officer_id"], row["office_id"])
        figures.add(figures.instances, key, row, {k: k for k in kinds})


def _open_steps(figures: Figures, user: Staff, f: Filters) -> None:
    """The running steps in the roll-ups' scope, from the step rows alone: their copies of the
    instance's service and office are its keys, so no step probes its instance; the instance is
    joined only where the scope reads its section (a Kasubsi's)."""
    keys = SimpleNamespace(
        office_id=SR.office_id, service=SR.service, section=func.coalesce(SI.section, ""),
        step_section=func.coalesce(SR.section, ""), actor_role=SR.actor_role,
    )  # fmt: skip
    held = scope.rollup_clause(user, keys, func.coalesce(scope.EXCLUDED[SR](user), false()))
    where = [SR.finished_at.is_(None), STEP_KINDS["steps_open"][1](f), held]
    if f.service:
        where.append(SR.service == f.service)
    if f.step:
        where.append(SR.step == f.step)
    if f.section:
        where.append(SR.section.is_(None) if f.section == NONE else SR.section == f.section)
    if f.office:
        where.append(SR.office_id == f.office)
    if f.region:
        where.append(SR.office_id.in_(select(Office.id).where(Office.region_id == f.region)))
    group = (SR.service, SR.step, SR.section, OFFICER_OF_STEP.label("officer"), SR.office_id)
    counts = [_count(STEP_KINDS[k][1](f)).label(k) for k in OPEN_KINDS]
    stmt = select(*group, *counts).select_from(SR).where(*where).group_by(*group)
    if SI.__table__ in find_tables(held, check_columns=True):
        stmt = stmt.join(SR.instance)
    for row in db.session.execute(stmt).mappings():
        key = (row["service"], row["step"], row["section"], row["officer"], row["office_id"])
        figures.add(figures.steps, key, row, {k: k for k in OPEN_KINDS})


def read_direct(figures: Figures, user: Staff | None, d: Direct) -> None:
    """Add what `d` counts directly to `figures`: instance and step figures, bucketed durations.
    Beside the roll-ups, what runs now is read apart from the rest, each from an index of its own."""
    f = d.f
    _instances(figures, user, d, d.rows(False), tuple(INSTANCE_KINDS))
    if d.months is not None:
        assert user is not None and f.officer is None  # an officer is counted directly (kinerja.compute)
        # Running instances: a state over all of them (an index-only range), their events over those
        # that started in the period; one pass over both would judge every event on every row.
        _instances(figures, user, d, SI.status == OPEN, ("open", "overdue"), running=True)
        began = and_(SI.status == OPEN, SI.started_at >= f.since, SI.started_at < f.until)
        _instances(figures, user, d, began, ("started", "limit_met", "limit_missed"))
        _open_steps(figures, user, f)
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


def named(user: Staff | None) -> ColumnElement[bool]:
    """Steps named to the user (ANYONE) that the roll-up's scope does not hold."""
    if user is None:
        return false()
    raw = SimpleNamespace(
        office_id=SI.office_id, service=SI.service, section=func.coalesce(SI.section, ""),
        step_section=func.coalesce(SR.section, ""), actor_role=SR.actor_role,
    )  # fmt: skip
    held = scope.rollup_clause(user, raw, func.coalesce(scope.EXCLUDED[SR](user), false()))
    return and_(SR.assignee_id == user.id, ~held)
