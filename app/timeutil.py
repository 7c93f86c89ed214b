"""Time helpers: UTC in the database, Asia/Jakarta (WIB) on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_PERIOD_DAYS = 5 * 366

_frozen: datetime | None = None


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (frozen by `freeze` in tests of the clocks)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(moment: datetime | None) -> None:
    """Stop the clock at `moment` (aware), or let it run again with None."""
    global _frozen
    _frozen = as_utc(moment) if moment is not None else None


def today_wib() -> date:
    """Today's date in the office's zone."""
    return utcnow().astimezone(WIB).date()


def wib_midnight(day: date) -> datetime:
    """The first moment of a WIB day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=WIB).astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """Treat a naive datetime (SQLite returns them) as UTC; convert aware ones."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def age_on(birth: date, on: date) -> int:
    """Full years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def sane_period(start: date, end: date) -> bool:
    """A period a report may cover: within the years 2000–2100 and at most five years long."""
    return start.year >= FIRST_YEAR and end.year <= LAST_YEAR and (end - start).days < MAX_PERIOD_DAYS
