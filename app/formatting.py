"""How dates, times and coded values look to a user: "22 November 2026", "14.05 WIB"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime

from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime

from app.timeutil import as_utc


def fmt_date(value: date | None) -> str:
    """A date in words, e.g. 22 November 2026."""
    return babel_format_date(value, "d MMMM y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    """A moment in the office's zone, e.g. 22 November 2026 14.05 WIB."""
    if value is None:
        return ""
    return babel_format_datetime(as_utc(value), "d MMMM y HH.mm") + " WIB"


def choice_label(choices: Mapping[str, object]) -> Callable[[str | None], str]:
    """Formatter that shows the translated label of a coded value."""

    def label(value: str | None) -> str:
        return str(choices.get(value, value or "")) if value else ""

    return label
