"""The office's clocks: wall-clock time and time on working days (WIB calendar, Indonesian holidays).

A working day is a WIB date, Monday to Friday, that is not a holiday. Holidays are the public and
government holidays of the `holidays` package (which include *cuti bersama*), plus dates an admin
adds, minus dates an admin marks as not a holiday (corrections of estimated dates).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays

from app.timeutil import WIB, as_utc, wib_midnight

DAY = timedelta(days=1)
# WIB has had no daylight saving time since 1964, so every calendar day is exactly 24 h long.


@functools.lru_cache
def package_holidays(year: int) -> Mapping[date, str]:
    """Indonesia's public and government holidays of a year, by date, with their Indonesian names."""
    found = holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")
    return MappingProxyType(dict(found.items()))


def _weekdays_in(first: date, stop: date) -> int:
    """Monday–Friday dates in [first, stop)."""
    span = (stop - first).days
    if span <= 0:
        return 0
    weeks, rest = divmod(span, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for offset in range(rest) if (start + offset) % 7 < 5)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days of the office: the package's holidays, plus admin additions, minus admin corrections."""

    extra_holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def is_holiday(self, day: date) -> bool:
        """Whether a date is a holiday (whatever its weekday)."""
        if day in self.extra_working_days:
            return False
        return day in self.extra_holidays or day in package_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        """Whether a WIB date is Monday–Friday and not a holiday."""
        return day.weekday() < 5 and not self.is_holiday(day)

    def holiday_name(self, day: date) -> str | None:
        """The Indonesian name of the package's holiday on a date, or None (also when corrected away)."""
        if day in self.extra_working_days:
            return None
        return package_holidays(day.year).get(day)

    def working_days_in(self, first: date, stop: date) -> int:
        """Number of working days in the dates [first, stop)."""
        if stop <= first:
            return 0
        candidates = set(self.extra_holidays)
        for year in range(first.year, (stop - DAY).year + 1):
            candidates.update(package_holidays(year))
        closed = sum(
            1 for day in candidates - self.extra_working_days if first <= day < stop and day.weekday() < 5
        )
        return _weekdays_in(first, stop) - closed

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The part of [start, end) that lies on working days; zero if end <= start."""
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            return timedelta(0)
        first, last = start.astimezone(WIB).date(), end.astimezone(WIB).date()
        if first == last:
            return end - start if self.is_working_day(first) else timedelta(0)
        total = self.working_days_in(first + DAY, last) * DAY
        if self.is_working_day(first):
            total += wib_midnight(first + DAY) - start
        if self.is_working_day(last):
            total += end - wib_midnight(last)
        return total

    def working_days_between(self, start: datetime, end: datetime) -> float:
        """Working time between two moments, in days of 24 h."""
        return self.working_time_between(start, end) / DAY

    def nth_working_day(self, first: date, n: int) -> date:
        """The n-th working day (n >= 1) counting from `first` inclusive."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = first
        while n > 5:
            # A week holds at most 5 working days, so (n - 1) // 5 weeks leave at least one to find.
            stop = day + timedelta(weeks=(n - 1) // 5)
            n -= self.working_days_in(day, stop)
            day = stop
        while True:
            if self.is_working_day(day):
                n -= 1
                if n == 0:
                    return day
            day += DAY

    def add_working_days(self, start: datetime, days: int | float) -> datetime:
        """The earliest moment (UTC) after which `days` × 24 h on working days have passed since start."""
        if days < 0:
            raise ValueError("days must not be negative")
        start = as_utc(start)
        remaining = timedelta(days=days)
        if not remaining:
            return start
        today = start.astimezone(WIB).date()
        if self.is_working_day(today):
            rest_of_today = wib_midnight(today + DAY) - start
            if remaining <= rest_of_today:
                return start + remaining
            remaining -= rest_of_today
        whole, part = divmod(remaining, DAY)
        if not part:
            # Due at the end of the last whole working day, not at the start of the next one.
            return wib_midnight(self.nth_working_day(today + DAY, whole) + DAY)
        return wib_midnight(self.nth_working_day(today + DAY, whole + 1)) + part

    def close_of_working_day(self, start: datetime, days: int | float) -> datetime:
        """When a standard of `days` working days started at `start` runs out (docs/decisions.md).

        Whole days end at the close of the last one (24.00 WIB of the n-th working day after the
        start's date), whatever the hour of the start; a fraction of a day is working time.
        """
        if days != int(days) or days <= 0:
            return self.add_working_days(start, days)
        first = as_utc(start).astimezone(WIB).date() + DAY
        return wib_midnight(self.nth_working_day(first, int(days)) + DAY)


def due_at(
    start: datetime, standard: timedelta | None, working_days: float | None, calendar: WorkingCalendar
) -> datetime | None:
    """When a standard started at `start` falls due: wall clock around the clock, or in working days."""
    if standard is not None and working_days is not None:
        raise ValueError("a standard is either on the wall clock or in working days, not both")
    if standard is not None:
        return as_utc(start) + standard
    if working_days is not None:
        return calendar.close_of_working_day(start, working_days)
    return None
