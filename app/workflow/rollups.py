"""Monthly roll-ups of closed instances (app.models.kinerja): what each contributes, added by the
engine when an instance closes and rebuilt set-based by `flask bapas rebuild-rollups`.

A closed instance never changes again (hand-overs and transfers move open instances only), so its
contribution is added once. Every figure is grouped by the WIB month of its moment: started and the
overall limit by the month the instance started, finished by the month it finished, a step by the
month it finished. Durations are counted per bucket (`BUCKETS`, see docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, cast, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.complaints import Complaint
from app.models.kinerja import DurationMonth, InstanceMonth, StepMonth
from app.models.workflow import OPEN, ServiceInstance, StepRecord

SI, SR = ServiceInstance, StepRecord
MINUTE, HOUR, DAY = 60, 3600, 86400
# (up to, width): durations are counted to the minute below an hour, to the quarter hour below a
# day, to the hour below a week and to the day beyond.
RESOLUTION = ((HOUR, MINUTE), (DAY, 15 * MINUTE), (7 * DAY, HOUR), (None, DAY))
METRICS = {"waiting": SR.waiting_seconds, "handling": SR.handling_seconds, "lead": SR.lead_seconds}


def bucket(seconds: Any) -> ColumnElement[int]:
    """SQL: a duration in seconds truncated to its resolution (the lower bound of its bucket)."""
    whens = []
    for upto, width in RESOLUTION:
        truncated = seconds // width * width  # integer division on both databases
        if upto is None:
            return case(*whens, else_=truncated)
        whens.append((seconds < upto, truncated))
    raise AssertionError("the last resolution has no bound")


def truncate(seconds: int) -> int:
    """A duration in seconds truncated to its resolution (as `bucket` does in SQL)."""
    for upto, width in RESOLUTION:
        if upto is None or seconds < upto:
            return seconds // width * width
    raise AssertionError("the last resolution has no bound")


def wib_month(moment: Any) -> ColumnElement[Any]:
    """SQL: the first day of the WIB month of a stored UTC moment."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.date_trunc("month", func.timezone("Asia/Jakarta", moment)), db.Date)
    return func.date(moment, "+7 hours", "start of month")


def _subject() -> ColumnElement[int]:
    about = select(Complaint.subject_staff_id).where(Complaint.instance_id == SI.id).limit(1)
    return func.coalesce(about.scalar_subquery(), 0)


def _keys() -> list[ColumnElement[Any]]:
    return [
        func.coalesce(SI.office_id, 0).label("office_id"),
        SI.service.label("service"),
        func.coalesce(SI.section, "").label("section"),
    ]


def instance_rows(where: ColumnElement[bool]) -> Any:
    """Grouped InstanceMonth rows of the closed instances matching `where`."""
    flag = lambda c: case((c, 1), else_=0)  # noqa: E731
    common = [*_keys(), func.coalesce(SI.officer_id, 0).label("officer_id"), _subject().label("subject_id")]
    started = select(
        wib_month(SI.started_at).label("month"), *common, literal(1).label("started"),
        literal(0).label("finished"), flag(SI.limit_met.is_(True)).label("limit_met"),
        flag(SI.limit_met.is_(False)).label("limit_failed"),
    ).where(where)  # fmt: skip
    finished = select(
        wib_month(SI.finished_at).label("month"), *common, literal(0), literal(1), literal(0), literal(0)
    ).where(where, SI.finished_at.is_not(None))
    both = union_all(started, finished).subquery()
    keys = [both.c[k] for k in ("month", "office_id", "service", "section", "officer_id", "subject_id")]
    sums = [func.sum(both.c[k]).label(k) for k in ("started", "finished", "limit_met", "limit_failed")]
    return select(*keys, *sums).group_by(*keys)


def _step_keys() -> list[ColumnElement[Any]]:
    return [
        wib_month(SR.finished_at).label("month"),
        *_keys(),
        SR.step.label("step"),
        func.coalesce(SR.section, "").label("step_section"),
        SR.actor_role.label("actor_role"),
    ]


def step_rows(where: ColumnElement[bool]) -> Any:
    """Grouped StepMonth rows of the finished steps of the closed instances matching `where`."""
    raw = (
        select(*_step_keys(), func.coalesce(SR.finished_by_id, SR.assignee_id, 0).label("officer_id"),
               _subject().label("subject_id"), SR.within_standard.label("judged"))
        .join(SR.instance)
        .where(where, SR.finished_at.is_not(None))
        .subquery()
    )  # fmt: skip
    names = ("month", "office_id", "service", "section", "step", "step_section", "actor_role",
             "officer_id", "subject_id")  # fmt: skip
    keys = [raw.c[n] for n in names]
    flag = lambda c: func.sum(case((c, 1), else_=0))  # noqa: E731
    sums = [func.count().label("finished"), flag(raw.c.judged.is_(True)).label("within"),
            flag(raw.c.judged.is_(False)).label("missed")]  # fmt: skip
    return select(*keys, *sums).group_by(*keys)


def duration_rows(where: ColumnElement[bool]) -> Any:
    """Grouped DurationMonth rows: per metric and bucket, the finished steps of `where`'s instances."""
    parts = []
    for name, column in METRICS.items():
        parts.append(
            select(*_step_keys(), _subject().label("subject_id"), literal(name).label("metric"),
                   bucket(column).label("seconds"))
            .join(SR.instance)
            .where(where, SR.finished_at.is_not(None), column.is_not(None))
        )  # fmt: skip
    raw = union_all(*parts).subquery()
    names = ("month", "office_id", "service", "section", "step", "step_section", "actor_role",
             "subject_id", "metric", "seconds")  # fmt: skip
    keys = [raw.c[n] for n in names]
    return select(*keys, func.count().label("count")).group_by(*keys)


TABLES = ((InstanceMonth, instance_rows), (StepMonth, step_rows), (DurationMonth, duration_rows))


def _upsert(model: type, rows: Any) -> None:
    table = model.__table__  # type: ignore[attr-defined]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    names = [c.name for c in rows.selected_columns]
    stmt = dialect.insert(table).from_select(names, rows)
    keys = [c.name for c in table.primary_key.columns]
    added = {n: table.c[n] + stmt.excluded[n] for n in names if n not in keys}
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=added))


def add_closed(instance_ids: list[int]) -> None:
    """Add the contribution of instances that have just closed (three statements)."""
    where = and_(SI.id.in_(instance_ids), SI.status != OPEN)
    for model, rows in TABLES:
        _upsert(model, rows(where))


def rebuild() -> None:
    """Recompute every roll-up from the step records, set-based (the caller commits)."""
    closed = SI.status != OPEN
    for model, rows in TABLES:
        db.session.execute(model.__table__.delete())  # type: ignore[attr-defined]
        _upsert(model, rows(closed))
