"""When a notice may go out: the morning digest, quiet hours (not for ABH) and retries with backoff."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app

from app.timeutil import WIB, as_utc

DAY = timedelta(days=1)


def _clock(value: str) -> time:
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def quiet_hours() -> tuple[time, time] | None:
    """The configured quiet hours (WIB) as (start, end), e.g. 21:00–06:00; None when there are none."""
    value = (current_app.config.get("NOTIFY_QUIET_HOURS") or "").strip()
    if not value:
        return None
    start, end = value.split("-")
    return _clock(start), _clock(end)


def after_quiet_hours(at: datetime) -> datetime:
    """`at`, or the end of the quiet hours it falls in (a window may span midnight)."""
    window = quiet_hours()
    if window is None:
        return at
    start, end = window
    local = as_utc(at).astimezone(WIB)
    now = local.time()
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return at
    day = local.date() if now < end else local.date() + DAY
    return datetime.combine(day, end, tzinfo=WIB).astimezone(as_utc(at).tzinfo)


def next_digest(at: datetime) -> datetime:
    """The first digest strictly after `at`: the next NOTIFY_DIGEST_HOUR o'clock WIB (07:00)."""
    hour = int(current_app.config.get("NOTIFY_DIGEST_HOUR", 7))
    local = as_utc(at).astimezone(WIB)
    moment = datetime.combine(local.date(), time(hour), tzinfo=WIB)
    if moment <= local:
        moment += DAY
    return as_utc(moment)


def send_at(now: datetime, *, urgent: bool, digest: bool) -> datetime:
    """When a notice written at `now` is first due: in the digest or at once, after quiet hours
    unless urgent (ABH runs around the clock)."""
    at = next_digest(now) if digest else as_utc(now)
    return at if urgent else as_utc(after_quiet_hours(at))


def retry_at(now: datetime, attempts: int) -> datetime:
    """The next try after `attempts` failed ones: NOTIFY_RETRY_SECONDS doubled each time (max a day)."""
    base = int(current_app.config.get("NOTIFY_RETRY_SECONDS", 60))
    return as_utc(now) + min(timedelta(seconds=base * 2 ** (attempts - 1)), DAY)
