"""Plausible ranges for every date a person enters, and the client's category against its age.

One window per kind of date, relative to today in WIB; every date field of every form takes one
(`app.forms.fields.day` and `moment` require it, tests/test_date_ranges.py walks the forms).
The windows are explained in docs/decisions.md ("Plausible dates").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import has_request_context, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError
from wtforms.widgets import DateInput

from app.extensions import db
from app.formatting import fmt_date
from app.models.clients import ADULT, ADULT_AGE, CHILD
from app.timeutil import WIB, age_on, as_utc, today_wib, utcnow

RECENT_DAYS = 60  # how far back a person may record what arrived or happened
YEAR_DAYS = 366
TWO_YEARS, TEN_YEARS = 731, 3653
MIN_CLIENT_AGE = 12  # UU 11/2012 (SPPA) art. 1(3): a child in conflict with the law is 12 to under 18
FIRST_BIRTH = date(1900, 1, 1)


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February falls on 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Window:
    """The dates one kind of field accepts: from `back` days before today to `ahead` days after it
    (or a fixed first day, or a minimum age), with the rule in words for the refusal."""

    rule: LazyString
    back: int | None = None
    ahead: int | None = 0
    first: date | None = None
    last: date | None = None
    min_years: int = 0

    def bounds(self, today: date) -> tuple[date, date]:
        """The earliest and the latest date accepted today."""
        low = self.first if self.back is None else today - timedelta(days=self.back)
        if self.last is not None:
            high = self.last
        else:
            high = years_before(today, self.min_years) + timedelta(days=self.ahead or 0)
        return low or date.min, high


def _past(days: int) -> LazyString:
    return _l("not in the future and at most %(days)d days ago", days=days)


RECEIVED = Window(_past(RECENT_DAYS), back=RECENT_DAYS)  # letters, complaints received; things done
HELD = RECEIVED  # a guidance session, an accompaniment, an outreach held: recorded within the same window
LETTER_DATE = Window(_past(YEAR_DAYS - 1), back=YEAR_DAYS - 1)
PLANNED = Window(_l("from today up to one year ahead"), back=0, ahead=YEAR_DAYS - 1)
SITTING = Window(  # a Sidang TPP or an appointment: planned, or recorded shortly after
    _l("at most %(days)d days ago and up to one year ahead", days=RECENT_DAYS),
    back=RECENT_DAYS,
    ahead=YEAR_DAYS - 1,
)
TRIP_RETURN = Window(_l("from today up to two years ahead"), back=0, ahead=TWO_YEARS)
BIRTH = Window(
    _l("from 1 January 1900, and a client is at least %(age)d years old", age=MIN_CLIENT_AGE),
    first=FIRST_BIRTH,
    min_years=MIN_CLIENT_AGE,
)
SUPERVISION_START = Window(
    _l("at most ten years ago and up to one year ahead"), back=TEN_YEARS, ahead=YEAR_DAYS
)
SUPERVISION_END = Window(
    _l("at most ten years ago and up to ten years ahead"), back=TEN_YEARS, ahead=TEN_YEARS
)
HANDOVER = Window(_l("not in the future and at most ten years ago"), back=TEN_YEARS)
REPORT_MONTH = SUPERVISION_START  # loose: the domain rule (a month of the period up to this one) speaks
TOKEN_EXPIRY = Window(_l("from tomorrow up to one year ahead"), back=-1, ahead=YEAR_DAYS)
CALENDAR_DAY = Window(_l("at most two years ago and up to two years ahead"), back=TWO_YEARS, ahead=TWO_YEARS)
PERIOD = Window(_l("a report covers the years 2000 to 2100"), first=date(2000, 1, 1), last=date(2100, 12, 31))


class InWindow:
    """WTForms validator: the field's date (a date-time is read in WIB) lies in its window."""

    def __init__(self, window: Window) -> None:
        self.window = window

    def __call__(self, form: Any, field: Any) -> None:
        value = field.data
        if value is None or kept(form, field):
            return
        refusal = refusal_for(self.window, value, field.label.text)
        if refusal:
            raise ValidationError(refusal)


def kept(form: Any, field: Any) -> bool:
    """True when an edit keeps the date the record holds (a session held last year may stay so)."""
    model = getattr(form, "edited_model", None)
    pk = str((request.view_args or {}).get("pk", "")) if has_request_context() else ""
    if model is None or not pk.isdigit():
        return False
    item = db.session.get(model, int(pk))  # FAB's edit has loaded it: no query
    stored = getattr(item, field.name, None) if item is not None else None
    if isinstance(stored, datetime) and isinstance(field.data, datetime):
        return _minute(as_utc(stored)) == _minute(field.data)
    return stored is not None and stored == field.data


def _minute(moment: datetime) -> datetime | None:
    """A moment as WIB wall-clock time to the minute (typed moments are WIB); None if out of range."""
    try:
        local = moment.astimezone(WIB) if moment.tzinfo is not None else moment
    except OverflowError:  # e.g. 1 January of the year 1 in another zone
        return None
    return local.replace(tzinfo=None, second=0, microsecond=0)


def refusal_for(window: Window, value: date | datetime, label: Any) -> str | None:
    """The refusal naming the field when `value` lies outside `window`, else None."""
    today = today_wib()
    low, high = window.bounds(today)
    if isinstance(value, datetime):
        local = _minute(value)
        day = local.date() if local is not None else date.min
        # A moment that may not lie in the future may not lie later today either.
        late = day == high == today and local is not None and local > _minute(utcnow())
    else:
        day, late = value, False
    if low <= day <= high and not late:
        return None
    return _(
        "%(field)s must be between %(low)s and %(high)s: %(rule)s.",
        field=str(label),
        low=fmt_date(low),
        high=_("now") if high == today and isinstance(value, datetime) else fmt_date(high),
        rule=str(window.rule),
    )


def category_refusal(category: str | None, born: date | None, on: date, label: Any) -> str | None:
    """Why a client of `category` born on `born` cannot be one on `on` (the reference day), or None.

    A child (Anak, BKA) is 12 to under 18 and an adult (Dewasa, BKD) 18 or older (UU 11/2012)."""
    if born is None or category not in (ADULT, CHILD):
        return None
    age = age_on(born, on)
    params = {"field": str(label), "age": age, "day": fmt_date(on)}
    if category == CHILD and age >= ADULT_AGE:
        return _(
            "%(field)s: a child is under 18; this client was %(age)d years old on %(day)s. "
            "Choose Adult or correct the date of birth.",
            **params,
        )
    if category == CHILD and age < MIN_CLIENT_AGE:
        return _(
            "%(field)s: a child in conflict with the law is at least 12; this client was %(age)d years old "
            "on %(day)s. Correct the date of birth.",
            **params,
        )
    if category == ADULT and age < ADULT_AGE:
        return _(
            "%(field)s: an adult is 18 or older; this client was %(age)d years old on %(day)s. "
            "Choose Child or correct the date of birth.",
            **params,
        )
    return None


def window_of(field: Any) -> Window | None:
    """The window a field's validators hold, if any."""
    return next((v.window for v in field.validators if isinstance(v, InWindow)), None)


class WindowInput(DateInput):
    """The browser's date input with `min` and `max` from the field's window, computed per page."""

    def limits(self, low: date, high: date) -> tuple[str, str]:
        """The window's ends as this input writes them."""
        return low.isoformat(), high.isoformat()

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        window = window_of(field)
        if window is not None:
            low, high = self.limits(*window.bounds(today_wib()))
            kwargs.setdefault("min", low)
            kwargs.setdefault("max", high)
        return super().__call__(field, **kwargs)


class WindowMomentInput(WindowInput):
    """The browser's date-and-time input, bounded the same way."""

    input_type = "datetime-local"

    def limits(self, low: date, high: date) -> tuple[str, str]:
        """Whole days: from the first minute of the first to the last minute of the last."""
        return f"{low.isoformat()}T00:00", f"{high.isoformat()}T23:59"


class WindowMonthInput(WindowInput):
    """The browser's month input, bounded by the months of the window."""

    input_type = "month"

    def limits(self, low: date, high: date) -> tuple[str, str]:
        """The months of the window's ends."""
        return low.strftime("%Y-%m"), high.strftime("%Y-%m")
