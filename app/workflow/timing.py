"""The three moments of a step turned into waiting, handling and lead time, against the standard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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


def measure_moments(
    step: Step,
    calendar: clock.WorkingCalendar,
    ready: datetime,
    opened: datetime | None,
    finished: datetime | None,
    *,
    due: datetime | None = None,
    now: datetime | None = None,
) -> Timing:
    """Measure a step from its moments; day standards count working time, the others the wall clock.

    A step with an explicit deadline (`Step.deadline_from`) is judged against that deadline (`due`).
    """
    standard = step.standard
    working = standard is not None and standard.working_days is not None

    def span(start: datetime | None, end: datetime | None) -> timedelta | None:
        if start is None or end is None:
            return None
        start, end = as_utc(start), as_utc(end)
        return calendar.working_time_between(start, end) if working else end - start

    waiting, handling, lead = span(ready, opened), span(opened, finished), span(ready, finished)
    within = None
    if step.deadline_from and due is not None:
        if finished is not None:
            within = as_utc(finished) <= as_utc(due)
        elif as_utc(now or utcnow()) > as_utc(due):
            within = False
    elif standard is not None and working:
        # A standard in working days ends at the close of its last working day, not after n × 24 h.
        start = ready if standard.kind != HANDLING else opened
        if start is not None:
            ends = calendar.close_of_working_day(as_utc(start), standard.working_days)
            if finished is not None:
                within = as_utc(finished) <= ends
            elif standard.kind != HANDLING and as_utc(now or utcnow()) > ends:
                within = False
    elif standard is not None:
        measured = handling if standard.kind == HANDLING else lead
        if measured is not None:
            within = measured <= standard.wall
        elif standard.kind != HANDLING and span(ready, now or utcnow()) > standard.wall:
            within = False
    return Timing(waiting, handling, lead, standard, within)


def measure(
    record: StepRecord, step: Step, calendar: clock.WorkingCalendar, now: datetime | None = None
) -> Timing:
    """Measure a step record (see `measure_moments`)."""
    return measure_moments(
        step, calendar, record.ready_at, record.opened_at, record.finished_at, due=record.due_at, now=now
    )


def seconds(span: timedelta | None) -> int | None:
    """A span as whole seconds, as stored on the step record."""
    return None if span is None else int(span.total_seconds())


def stored_measures(
    step: Step,
    calendar: clock.WorkingCalendar,
    ready: datetime,
    opened: datetime | None,
    finished: datetime | None,
    due: datetime | None = None,
) -> dict[str, Any]:
    """The measured columns of a step record, written once when it is opened and when it finishes.

    Working time cannot be computed in portable SQL, so the performance figures read these columns.
    """
    timing = measure_moments(step, calendar, ready, opened, finished, due=due, now=finished or opened)
    values: dict[str, Any] = {"waiting_seconds": seconds(timing.waiting)}
    if finished is not None:
        values |= {
            "handling_seconds": seconds(timing.handling),
            "lead_seconds": seconds(timing.lead),
            "within_standard": timing.within,
        }
    return values
