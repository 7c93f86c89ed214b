"""How dates, times and coded values look to a user: "22 November 2026", "14.05 WIB"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from babel.dates import get_month_names
from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.timeutil import WIB, as_utc, utcnow
from app.workflow.definitions import HANDLING, Standard


@lru_cache(maxsize=16)
def _month_names(locale: str) -> dict[int, str]:
    # Babel looks the names up for every date it formats: 60 µs a date, 30 ms of a list of 500.
    return dict(get_month_names("wide", locale=locale))


def _month_name(value: date) -> str:
    return _month_names(str(get_locale() or "id"))[value.month]


def fmt_date(value: date | str | None) -> str:
    """A date in words, e.g. 22 November 2026 (text, e.g. a masked birth year, as it is)."""
    if isinstance(value, str):
        return value
    return f"{value.day} {_month_name(value)} {value.year}" if value else ""


def fmt_month(value: date | None) -> str:
    """A month in words, e.g. November 2026."""
    return f"{_month_name(value)} {value.year}" if value else ""


def fmt_datetime(value: datetime | None) -> str:
    """A moment in the office's zone, e.g. 22 November 2026 14.05 WIB."""
    if value is None:
        return ""
    local = as_utc(value).astimezone(WIB)
    return f"{fmt_date(local.date())} {local:%H.%M} WIB"


def fmt_time(value: time | None) -> str:
    """A time of day on the office's clock, e.g. 09.00 WIB."""
    return f"{value:%H.%M} WIB" if value else ""


def fmt_deadline(value: datetime | None) -> str:
    """A deadline: one at midnight WIB is the close of the day before, e.g. "14 April 2026, akhir hari
    kerja" (docs/decisions.md: a standard in working days ends at the close of its last working day)."""
    if value is None:
        return ""
    local = as_utc(value).astimezone(WIB)
    if local.timetz().replace(tzinfo=None) != time(0):
        return fmt_datetime(value)
    from app.workflow.deadlines import calendar

    day = local.date() - timedelta(days=1)
    if calendar().is_working_day(day):
        return _("%(day)s, end of the working day", day=fmt_date(day))
    return _("%(day)s, end of the day", day=fmt_date(day))


def choice_label(choices: Mapping[str, object]) -> Callable[[str | None], str]:
    """Formatter that shows the translated label of a coded value."""

    def label(value: str | None) -> str:
        return str(choices.get(value, value or "")) if value else ""

    return label


def fmt_duration(value: timedelta | None) -> str:
    """A span of time in words, e.g. 1 hari 2 jam 5 menit."""
    if value is None:
        return ""
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d day(s)", n=days))
    if hours:
        parts.append(_("%(n)d hour(s)", n=hours))
    if minutes or not parts:
        parts.append(_("%(n)d minute(s)", n=minutes))
    return " ".join(parts)


def fmt_standard(standard: Standard | None) -> str:
    """A time standard in words, with its kind: e.g. 5 menit (waktu penanganan)."""
    if standard is None:
        return "—"
    if standard.working_days is not None:
        amount = _("%(n)g working day(s)", n=standard.working_days)
    else:
        amount = fmt_duration(standard.wall)
    kind = _("handling time") if standard.kind == HANDLING else _("response time")
    return f"{amount} ({kind})"


def is_past(moment: datetime | None) -> bool:
    """Whether a moment has passed."""
    return moment is not None and as_utc(moment) < utcnow()


def time_left(due: datetime) -> str:
    """Time until a due moment, or how late it is."""
    delta = as_utc(due) - utcnow()
    if delta >= timedelta(0):
        return _("%(span)s left", span=fmt_duration(delta))
    return _("%(span)s late", span=fmt_duration(-delta))


def time_late(due: datetime) -> str:
    """How long ago a due moment passed, e.g. 1 jam 5 menit (shown next to "Overdue")."""
    return fmt_duration(utcnow() - as_utc(due))


def iso_utc(moment: datetime | None) -> str:
    """A moment as ISO 8601 in UTC (for data attributes), or an empty string."""
    return as_utc(moment).isoformat() if moment is not None else ""


EXCERPT_CHARS = 160


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> object:
    """A long text cut after its first words with "…", for lists and tables (the detail page shows it
    whole); anything else as it is."""
    if not isinstance(value, str) or isinstance(value, Markup) or len(value) <= limit:
        return value
    head = value[:limit]
    head = head.rsplit(None, 1)[0] if " " in head.strip() else head
    # The span may break anywhere: an unbroken run of characters cannot widen the table.
    return Markup('<span class="bapas-excerpt">{}…</span>').format(head.rstrip())


def shown(value: object) -> object:
    """What `{{ value }}` prints: "—" for a missing value, Ya/Tidak for a yes/no, never None/True."""
    if value is None:
        return "—"
    if value is True or value is False:
        return _("Yes") if value else _("No")
    return value


def register(app: Flask) -> None:
    """Make the formatters, and the office the page is for, available to every template."""
    from app import offices

    @app.context_processor
    def _office() -> dict[str, Any]:
        # The reader's office (letterhead, contacts); a page about a record passes the record's own.
        return {"office": offices.current_office(), "several_offices": offices.several_offices}

    from app.models.workflow import INSTANCE_STATUSES
    from app.security.roles import ASSIGNEE, PUBLIC
    from app.workflow.definitions import OUTCOME_LABELS, SERVICES
    from app.workflow.inbox import after_departure
    from app.workflow.sop import DECISION_LABELS

    actors = {ASSIGNEE: _l("Named official"), PUBLIC: _l("Applicant")}

    from app import masking

    # Every template, FAB's lists and detail pages included, prints through this.
    app.jinja_env.finalize = shown
    app.jinja_env.filters.update(
        date_id=fmt_date,
        time_wib=fmt_time,
        excerpt=excerpt,
        month_id=fmt_month,
        datetime_wib=fmt_datetime,
        deadline_wib=fmt_deadline,
        is_past=is_past,
        iso_utc=iso_utc,
        # A client's column as the signed-in reader may see it: `client|identity("name")`.
        identity=lambda client, column: masking.masked_value(client, column, getattr(client, column)),
        masked=masking.is_masked,
        # A service instance's subject, a child client's name in it masked: `instance|subject`.
        subject=masking.subject,
    )
    app.jinja_env.globals.update(
        duration=fmt_duration,
        standard=fmt_standard,
        time_left=time_left,
        time_late=time_late,
        status_label=choice_label(INSTANCE_STATUSES),
        outcome_label=choice_label(OUTCOME_LABELS),
        decision_label=choice_label(DECISION_LABELS),
        actor_label=lambda role: str(actors.get(role, role)),
        service_name=lambda code: str(SERVICES[code].title),
        step_title=lambda record: str(SERVICES[record.instance.service].step(record.step).title),
        after_departure=after_departure,
    )
