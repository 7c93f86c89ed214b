"""The three moments of a step turned into waiting, handling and lead time, against the standard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.models.workflow import StepRecord
from app.timeutil import as_utc, utcnow
from app.workflow import clock
from app.workflow.definitions import HANDLING, Standard, Step


@dataclass(frozen=True)
class Timing:
    """Measured times of one step; `within` is None while it cannot be judged yet."""

    waiting: timedelta | None
    handling: timedelta | None
    lead: timedelta | None
    standard: Standard | None
    within: bool | None


def measure(
    record: StepRecord, step: Step, calendar: clock.WorkingCalendar, now: datetime | None = None
) -> Timing:
    """Measure a step; day standards count working time, the others the wall clock."""
    standard = step.standard
    working = standard is not None and standard.working_days is not None

    def span(start: datetime | None, end: datetime | None) -> timedelta | None:
        if start is None or end is None:
            return None
        start, end = as_utc(start), as_utc(end)
        return calendar.working_time_between(start, end) if working else end - start

    ready, opened, finished = record.ready_at, record.opened_at, record.finished_at
    waiting, handling, lead = span(ready, opened), span(opened, finished), span(ready, finished)
    within = None
    if step.deadline_from and record.due_at is not None:
        # A step with a set deadline (end of the month, of the stage, in the letter) is judged on it.
        within = as_utc(finished or now or utcnow()) <= as_utc(record.due_at)
        if finished is None and within:
            within = None
    elif standard is not None:
        limit = standard.wall if standard.wall is not None else timedelta(days=standard.working_days)
        measured = handling if standard.kind == HANDLING else lead
        if measured is not None:
            within = measured <= limit
        elif standard.kind != HANDLING and span(ready, now or utcnow()) > limit:
            within = False
    return Timing(waiting, handling, lead, standard, within)
