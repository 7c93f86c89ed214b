"""The dashboard's figures from the monthly roll-ups plus a direct count of what they leave out
(app.reports.kinerja_direct).

The roll-ups hold, for whole WIB months, every finished step and the closed instances' figures.
Where their keys cannot express the scope (a PK's teams) or an officer is chosen, everything is
counted directly. The figures equal `performance`'s direct computation (tests/reports/test_rollups.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import false, func, select

from app.extensions import db
from app.models.kinerja import DurationMonth, InstanceMonth, StepMonth
from app.models.offices import Office
from app.models.staff import Staff
from app.reports.kinerja_direct import Direct, named, next_month, read_direct
from app.reports.performance import (
    INSTANCE_KINDS,
    NONE,
    OFFICE,
    OFFICER,
    REGION,
    SECTION,
    SERVICE,
    SI,
    STEP,
    STEP_KINDS,
    Filters,
)
from app.security import scope
from app.workflow.rollups import METRICS

INSTANCE_SUMS = {
    "started": "started",
    "finished": "finished",
    "limit_met": "limit_met",
    "limit_missed": "limit_failed",
}
STEP_SUMS = {"steps_finished": "finished", "within": "within", "missed": "missed"}


def whole_months(f: Filters) -> tuple[date, date] | None:
    """The first and last whole WIB month inside the period, or None."""
    first = f.start if f.start.day == 1 else next_month(f.start)
    last = f.end.replace(day=1) if next_month(f.end) - timedelta(days=1) == f.end else None
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


# --- the roll-up part: finished steps and closed instances, whole months -------------------------


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


def compute(f: Filters, user: Staff | None) -> Figures:
    """Every figure of the period in the user's scope: from the roll-ups where they serve."""
    figures = Figures()
    months = whole_months(f)
    keyed = SimpleNamespace(office_id=SI.office_id, service=SI.service, section=SI.section)
    if f.officer or months is None or scope.rollup_clause(user, keyed, false()) is None:
        read_direct(figures, user, Direct(f, None, false()))
        return figures
    _read_rollups(figures, f, user, months)
    read_direct(figures, user, Direct(f, months, named(user), user))
    return figures
