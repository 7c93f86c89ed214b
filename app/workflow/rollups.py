"""Monthly roll-ups of the Kinerja figures (app.models.kinerja), kept by the engine and rebuilt
set-based by `flask bapas rebuild-rollups`.

A finished step is added when it finishes (`add_steps`), a closed instance when it closes
(`add_closed`): neither changes again, except that a running instance's office, section or complaint
subject may change while its finished steps are rolled up under them. Those changes move the steps'
contribution with them: ORM changes through the flush listener below, bulk UPDATEs through `moving`.
Every figure is grouped by the WIB month of its moment: started and the overall limit by the month
the instance started, finished by the month it finished, a step by the month it finished. Durations
are counted per bucket (`RESOLUTION`, see docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, and_, case, cast, event, func, inspect, literal, select, true, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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


STEP_TABLES = ((StepMonth, step_rows), (DurationMonth, duration_rows))
# What a running instance's finished steps are rolled up under, besides the steps' own columns.
STEP_KEYS = {ServiceInstance: ("office_id", "section", "service"), Complaint: ("subject_staff_id",)}


def _upsert(model: type, rows: Any, sign: int = 1, session: Any = None) -> None:
    table = model.__table__  # type: ignore[attr-defined]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    keys = [c.name for c in table.primary_key.columns]
    if sign < 0:
        raw = rows.subquery()
        # WHERE true: SQLite would read "ON CONFLICT" after a bare FROM as a join's ON.
        rows = select(*(c if c.name in keys else (-c).label(c.name) for c in raw.c)).where(true())
    names = [c.name for c in rows.selected_columns]
    stmt = dialect.insert(table).from_select(names, rows)
    added = {n: table.c[n] + stmt.excluded[n] for n in names if n not in keys}
    (session or db.session).execute(stmt.on_conflict_do_update(index_elements=keys, set_=added))


def add_steps(step_ids: list[int]) -> None:
    """Add the contribution of steps that have just finished (two statements)."""
    for model, rows in STEP_TABLES:
        _upsert(model, rows(SR.id.in_(step_ids)))


def add_closed(instance_ids: list[int]) -> None:
    """Add the instance figures of instances that have just closed (one statement)."""
    _upsert(InstanceMonth, instance_rows(and_(SI.id.in_(instance_ids), SI.status != OPEN)))


def _steps_of(instance_ids: list[int], sign: int, session: Any = None) -> None:
    for model, rows in STEP_TABLES:
        _upsert(model, rows(SI.id.in_(instance_ids)), sign, session)


@contextmanager
def moving(instance_ids: list[int]) -> Iterator[None]:
    """Around a bulk UPDATE of running instances' office or section: their finished steps' figures
    leave the old keys and join the new ones (four statements)."""
    if instance_ids:
        _steps_of(instance_ids, -1)
    yield
    if instance_ids:
        _steps_of(instance_ids, 1)


def _moved_keys(session: Session) -> list[int]:
    """Instances whose rolled-up keys this flush changes (pending ORM changes)."""
    ids = set()
    for obj in (*session.dirty, *session.new):
        columns = STEP_KEYS.get(type(obj))
        if not columns:
            continue
        state = inspect(obj)
        if any(state.attrs[c].history.has_changes() for c in columns):
            ids.add(obj.id if isinstance(obj, ServiceInstance) else obj.instance_id)
    return sorted(i for i in ids if i is not None)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    moved = _moved_keys(session)
    if moved:
        _steps_of(moved, -1, session)
        session.info.setdefault("rollups_moved", []).extend(moved)


def _after_flush(session: Session, _context: Any) -> None:
    moved = session.info.pop("rollups_moved", None)
    if moved:
        _steps_of(moved, 1, session)


def install() -> None:
    """Keep the finished steps' figures under their instance's keys across ORM changes (once)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def rebuild() -> None:
    """Recompute every roll-up from the step records, set-based (the caller commits)."""
    for model in (InstanceMonth, StepMonth, DurationMonth):
        db.session.execute(model.__table__.delete())  # type: ignore[attr-defined]
    _upsert(InstanceMonth, instance_rows(SI.status != OPEN))
    for model, rows in STEP_TABLES:
        _upsert(model, rows(SI.id.is_not(None)))
