"""Performance figures (Evaluasi Kinerja): grouped queries over the engine's tables, in the user's scope.

Every figure is a condition on `ServiceInstance` or `StepRecord` for a period; the dashboard counts
each condition per service, step, section or officer with one grouped query, and the drill-down
lists the rows behind a figure with the very same condition. Steps are judged on the durations the
engine stored when they moved (`StepRecord.*_seconds`, `within_standard`): working time for day
standards cannot be computed in SQL. "Open" and "overdue" are as at the end of the period (or now,
for a period not yet over), so the figures of a past month do not change afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.security import scope
from app.timeutil import sane_period, today_wib, utcnow, wib_midnight
from app.workflow.definitions import SERVICES

SI, SR = ServiceInstance, StepRecord
SERVICE, STEP, SECTION, OFFICER = "service", "step", "section", "officer"
OFFICE, REGION = "office", "region"  # for those who oversee several offices (Kanwil, Ditjenpas)
DIMENSIONS = (SERVICE, STEP, SECTION, OFFICER, OFFICE, REGION)
NONE = "none"  # filter value for "no section" / "no officer"

PERIOD_REFUSED = _l(
    "The period must lie between the years 2000 and 2100 and span at most 5 years; "
    "the current month is shown."
)

Condition = Callable[["Filters"], ColumnElement[bool]]


@dataclass(frozen=True)
class Filters:
    """A period (WIB dates, end inclusive) and optional service, step, section, officer, office and
    region (the last two checked against the user's reach by the view)."""

    start: date
    end: date
    service: str | None = None
    step: str | None = None
    section: str | None = None
    officer: int | str | None = None
    office: int | None = None
    region: int | None = None
    now: datetime = field(default_factory=utcnow, compare=False)

    @property
    def since(self) -> datetime:
        """The first moment of the period (UTC)."""
        return wib_midnight(self.start)

    @property
    def until(self) -> datetime:
        """The first moment after the period (UTC)."""
        return wib_midnight(self.end + timedelta(days=1))

    @property
    def cutoff(self) -> datetime:
        """The moment "open" and "overdue" are taken at: the end of the period, or now."""
        return min(self.until, self.now)

    def args(self, **changes: Any) -> dict[str, str]:
        """The filters as query-string arguments (for links to the drill-down and exports)."""
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "service": self.service,
            "step": self.step,
            "section": self.section,
            "officer": self.officer,
            "office": self.office,
            "region": self.region,
        } | changes
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def narrowed(self, **changes: Any) -> Filters:
        """The same filters with some replaced."""
        return replace(self, **changes)


def current_month() -> tuple[date, date]:
    """The first and last date of the current month (WIB)."""
    today = today_wib()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


class BadPlace(ValueError):
    """An office or region argument that is not a number (the view answers 400)."""


def _place(args: Mapping[str, str], name: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:  # a number the database's integer holds
        raise BadPlace(name)
    return int(raw)


def parse(args: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """Filters from query-string arguments; bad values fall back to the default, with a message.
    A malformed office or region raises BadPlace: those are picked from a list, never typed."""
    first, last = current_month()
    errors: list[str] = []

    def day(name: str, default: date) -> date:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(str(_l("Not a valid date: %(value)s", value=raw[:20])))
            return default

    start, end = day("start", first), day("end", last)
    if end < start:
        errors.append(str(_l("The end of the period is before its start; the current month is shown.")))
        start, end = first, last
    elif not sane_period(start, end):
        errors.append(str(PERIOD_REFUSED))
        start, end = first, last
    service = args.get("service") or None
    if service is not None and service not in SERVICES:
        service = None
    officer: int | str | None = args.get("officer") or None
    if officer is not None and officer != NONE:
        officer = int(officer) if officer.isascii() and officer.isdigit() and len(officer) < 10 else None
    section = (args.get("section") or "")[:3] or None
    step = (args.get("step") or "")[:30] or None
    office, region = _place(args, "office"), _place(args, "region")
    return Filters(start, end, service, step, section, officer, office, region), errors


# --- conditions: each figure once, for the counts and for the drill-down ----------------------------


def _within(column: Any, f: Filters) -> ColumnElement[bool]:
    return and_(column >= f.since, column < f.until)


def _instance_open(f: Filters) -> ColumnElement[bool]:
    return and_(SI.started_at < f.cutoff, or_(SI.finished_at.is_(None), SI.finished_at >= f.cutoff))


def _step_open(f: Filters, record: Any = SR) -> ColumnElement[bool]:
    return and_(record.ready_at < f.cutoff, or_(record.finished_at.is_(None), record.finished_at >= f.cutoff))


def _step_overdue(f: Filters, record: Any = SR) -> ColumnElement[bool]:
    return and_(_step_open(f, record), record.due_at < f.cutoff)


def _instance_overdue(f: Filters, as_set: bool = False) -> ColumnElement[bool]:
    late = aliased(StepRecord)
    limit_passed = and_(SI.limit_due_at < f.cutoff, or_(SI.limit_met.is_(None), SI.limit_met.is_(False)))
    if as_set:  # `_step_overdue` in two parts: open steps by due time, steps finished since the cutoff
        due = and_(late.ready_at < f.cutoff, late.due_at < f.cutoff)
        parts = [late.finished_at.is_(None), late.finished_at >= f.cutoff]
        step_late = SI.id.in_(union_all(*(select(late.instance_id).where(p, due) for p in parts)))
    else:
        step_late = exists().where(late.instance_id == SI.id, _step_overdue(f, late))
    return and_(_instance_open(f), or_(limit_passed, step_late))


def overdue_counted(f: Filters) -> ColumnElement[bool]:
    """The "overdue" condition for counting many instances at once: while the period runs, the late
    steps are few (a partial index's range) and read once as a set, where a probe per instance would
    cost a look-up for each of an office's running services. A past period keeps the probe: every
    step finished since its end would join that set."""
    return _instance_overdue(f, as_set=f.cutoff >= f.now)


def _limit_missed(f: Filters) -> ColumnElement[bool]:
    running_late = and_(SI.limit_met.is_(None), SI.limit_due_at < f.cutoff)
    return and_(_within(SI.started_at, f), or_(SI.limit_met.is_(False), running_late))


INSTANCE_KINDS: dict[str, tuple[Any, Condition]] = {
    "started": (_l("Started"), lambda f: _within(SI.started_at, f)),
    "finished": (_l("Finished"), lambda f: _within(SI.finished_at, f)),
    "open": (_l("In progress"), _instance_open),
    "overdue": (_l("Overdue"), _instance_overdue),
    "limit_met": (_l("Overall limit met"), lambda f: and_(_within(SI.started_at, f), SI.limit_met.is_(True))),
    "limit_missed": (_l("Overall limit missed"), _limit_missed),
}
STEP_KINDS: dict[str, tuple[Any, Condition]] = {
    "steps_finished": (_l("Steps finished"), lambda f: _within(SR.finished_at, f)),
    "within": (
        _l("Steps within standard"),
        lambda f: and_(_within(SR.finished_at, f), SR.within_standard.is_(True)),
    ),
    "missed": (
        _l("Steps over standard"),
        lambda f: and_(_within(SR.finished_at, f), SR.within_standard.is_(False)),
    ),
    "steps_open": (_l("Steps in progress"), _step_open),
    "steps_overdue": (_l("Steps overdue"), _step_overdue),
}
KINDS = INSTANCE_KINDS | STEP_KINDS
OFFICER_OF_STEP = func.coalesce(SR.finished_by_id, SR.assignee_id)  # who did it, or whose it is


def _matches(column: Any, value: Any) -> ColumnElement[bool]:
    return column.is_(None) if value == NONE else column == value


def _place_filters(f: Filters) -> list[ColumnElement[bool]]:
    parts = []
    if f.office:
        parts.append(SI.office_id == f.office)
    if f.region:
        parts.append(SI.office_id.in_(select(Office.id).where(Office.region_id == f.region)))
    return parts


def instance_filters(f: Filters, user: Staff | None) -> list[ColumnElement[bool]]:
    """Service, section, officer, office, region and row scope on instances."""
    parts = [scope.clause(ServiceInstance, user), *_place_filters(f)]
    if f.service:
        parts.append(SI.service == f.service)
    if f.section:
        parts.append(_matches(SI.section, f.section))
    if f.officer:
        parts.append(_matches(SI.officer_id, f.officer))
    return parts


def step_filters(f: Filters, user: Staff | None) -> list[ColumnElement[bool]]:
    """Service, step, section, officer, office, region and row scope on steps (joined to their
    instance)."""
    parts = [scope.clause(StepRecord, user), *_place_filters(f)]
    if f.service:
        parts.append(SI.service == f.service)
    if f.step:
        parts.append(SR.step == f.step)
    if f.section:
        parts.append(_matches(SR.section, f.section))
    if f.officer:
        parts.append(_matches(OFFICER_OF_STEP, f.officer))
    return parts


INSTANCE_KEYS = {
    SERVICE: (SI.service,),
    SECTION: (SI.section,),
    OFFICER: (SI.officer_id,),
    OFFICE: (SI.office_id,),
    REGION: (Office.region_id,),
}
STEP_KEYS = {
    SERVICE: (SI.service,),
    STEP: (SI.service, SR.step),
    SECTION: (SR.section,),
    OFFICER: (OFFICER_OF_STEP,),
    OFFICE: (SI.office_id,),
    REGION: (Office.region_id,),
}


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _grouped(keys: tuple, kinds: Mapping[str, tuple[Any, Condition]], where: list, f: Filters) -> dict:
    labels = [f"k{i}" for i in range(len(keys))]
    stmt = (
        select(*(k.label(n) for k, n in zip(keys, labels, strict=True)),
               *(_count(cond(f)).label(name) for name, (_label, cond) in kinds.items()))
        .select_from(SR if kinds is STEP_KINDS else SI)
        .where(*where)
        .group_by(*keys)
    )  # fmt: skip
    if kinds is STEP_KINDS:
        stmt = stmt.join(SR.instance)
    if any(getattr(k, "table", None) is Office.__table__ for k in keys):
        stmt = stmt.join(Office, Office.id == SI.office_id)
    result = {}
    for row in db.session.execute(stmt).mappings():
        key = tuple(row[n] for n in labels)
        result[key[0] if len(key) == 1 else key] = {name: int(row[name]) for name in kinds}
    return result


def instance_figures(f: Filters, user: Staff | None, by: str) -> dict[Any, dict[str, int]]:
    """Instances started, finished, open, overdue and overall limits met/missed, per `by`."""
    relevant = or_(*(INSTANCE_KINDS[k][1](f) for k in ("started", "finished", "open")))
    return _grouped(INSTANCE_KEYS[by], INSTANCE_KINDS, [relevant, *instance_filters(f, user)], f)


def step_figures(f: Filters, user: Staff | None, by: str) -> dict[Any, dict[str, int]]:
    """Steps finished (within / over their standard), open and overdue, per `by`."""
    relevant = or_(STEP_KINDS["steps_finished"][1](f), STEP_KINDS["steps_open"][1](f))
    return _grouped(STEP_KEYS[by], STEP_KINDS, [relevant, *step_filters(f, user)], f)


def condition(kind: str, f: Filters) -> ColumnElement[bool]:
    """The condition behind a figure (for the drill-down)."""
    return KINDS[kind][1](f)


def officer_names(ids: set[Any]) -> dict[int, str]:
    """Full names of staff, by id, in one query: the reader's colleagues by name; staff of another
    office (who did the earlier steps of a client transferred here) under one label."""
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return {}
    stmt = select(Staff.id, Staff.first_name, Staff.last_name, scope.staff_clause(scope.current_staff()))
    rows = db.session.execute(stmt.where(Staff.id.in_(wanted)))
    other = str(_l("Staff of another office"))
    return {i: " ".join(p for p in (first, last) if p) if mine else other for i, first, last, mine in rows}
