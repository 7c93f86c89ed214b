"""Office hours, read from the text the portal shows (BAPAS_OFFICE_HOURS), and the duty day a moment
falls in: the ABH duty of a date runs from its opening time to the next day's."""

from __future__ import annotations

import functools
import logging
import re
from datetime import date, datetime, time, timedelta

from flask import current_app, has_app_context

from app.timeutil import WIB, as_utc
from app.workflow.clock import WorkingCalendar

DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6}
DEFAULT = "Senin–Kamis 07.30–16.00 WIB, Jumat 07.30–16.30 WIB"
_PART = re.compile(
    r"(?P<first>[a-z']+)\s*(?:[–-]\s*(?P<last>[a-z']+))?\s+(?P<open>\d{1,2})[.:](?P<om>\d{2})\s*[–-]\s*"
    r"(?P<close>\d{1,2})[.:](?P<cm>\d{2})"
)
log = logging.getLogger("bapas.duty")
Hours = dict[int, tuple[time, time]]


@functools.lru_cache
def parse(text: str) -> Hours:
    """Opening and closing time per weekday (0 Monday) from e.g. "Senin–Kamis 07.30–16.00 WIB, …"."""
    found: Hours = {}
    for match in _PART.finditer(text.lower()):
        first, last = DAYS.get(match["first"]), DAYS.get(match["last"] or match["first"])
        if first is None or last is None:
            continue
        span = (time(int(match["open"]), int(match["om"])), time(int(match["close"]), int(match["cm"])))
        for weekday in range(first, last + 1):
            found[weekday] = span
    if not found and text != DEFAULT:
        log.warning("BAPAS_OFFICE_HOURS not understood (%r): the usual hours apply", text)
        return parse(DEFAULT)
    return found


def hours() -> Hours:
    """The configured office hours per weekday."""
    text = current_app.config.get("OFFICE_HOURS") if has_app_context() else None
    return parse(text or DEFAULT)


def opening() -> time:
    """The earliest opening time of the week: where one duty day hands over to the next."""
    return min((span[0] for span in hours().values()), default=time(7, 30))


def within(moment: datetime, calendar: WorkingCalendar) -> bool:
    """Whether a moment falls in office hours: a working day of the office, between opening and closing."""
    local = as_utc(moment).astimezone(WIB)
    span = hours().get(local.weekday())
    if span is None or not calendar.is_working_day(local.date()):
        return False
    return span[0] <= local.time() < span[1]


def duty_day(moment: datetime) -> date:
    """The date whose duty covers a moment: before the opening time, the previous day's."""
    local = as_utc(moment).astimezone(WIB)
    return local.date() - timedelta(days=1) if local.time() < opening() else local.date()
