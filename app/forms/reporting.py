"""Forms of wajib lapor: a client's schedule, a report at the counter, the PK's follow-up of a miss."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from app.extensions import db
from app.forms.fields import REQUIRED, area, choice, text
from app.forms.fields import day as date_field
from app.forms.ranges import RECEIVED, SUPERVISION_START
from app.models.clients import ACTIVE, Client
from app.models.reporting import FREQUENCIES, REPORTING_BASES, ReportingSchedule
from app.security import scope

DAY_RANGE = _l("Choose a day of the month from 1 to 28, or a weekday from 1 (Monday) to 7 (Sunday).")


def reporting_clients() -> list[Client]:
    """The user's clients on PB, CB or CMB under supervision that have no schedule yet, by name."""
    stmt = (
        select(Client)
        .where(Client.status == ACTIVE, Client.legal_basis.in_(REPORTING_BASES))
        .where(~select(ReportingSchedule.id).where(ReportingSchedule.client_id == Client.id).exists())
        .order_by(Client.name)
    )
    return list(db.session.scalars(scope.restrict(stmt, Client)))


def _day() -> IntegerField:
    return IntegerField(
        _l("Day (date of the month, or weekday 1 = Monday)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=1, max=28, message=DAY_RANGE)],
        render_kw={"class": "form-control"},
    )


class ScheduleEditForm(DynamicForm):
    """How often and on which day the client reports, from when, and where."""

    frequency = choice(_l("Frequency"), FREQUENCIES)
    day = _day()
    starts_on = date_field(_l("Reporting starts on"), True, window=SUPERVISION_START)
    place = text(_l("Place of reporting"), 200)
    active = BooleanField(_l("Active"), default=True)


class ScheduleAddForm(ScheduleEditForm):
    """A new schedule for one of the PK's clients on parole or conditional release."""

    client = QuerySelectField(
        _l("Client"),
        query_func=reporting_clients,
        get_pk_func=lambda client: client.id,
        widget=Select2Widget(),
        validators=[InputRequired(message=REQUIRED)],
    )


class AttendanceForm(DynamicForm):
    """A client reporting at the office's counter, found by guidance card or register number."""

    card = text(_l("Guidance card or register number"), 30, True)
    attended_on = date_field(_l("Date of the report"), True, window=RECEIVED)
    note = area(_l("Note"), 1000)


class ContactForm(DynamicForm):
    """What the client said about the missed report, and whether the reason is valid."""

    reason = area(_l("Reason given by the client"), 3000, True)
    valid = RadioField(
        _l("Is the reason valid?"),
        choices=[("ya", _l("Yes: close the matter")), ("tidak", _l("No: a warning letter follows"))],
        validators=[InputRequired(message=REQUIRED)],
    )

    def is_valid_reason(self) -> bool:
        """Whether the PK accepted the reason."""
        return self.valid.data == "ya"


class WarningDraftForm(DynamicForm):
    """The facts the warning letter states (dates missed, the client's answer)."""

    facts = area(_l("Facts stated in the warning letter"), 3000, True)


def as_fields(form: Any) -> dict[str, Any]:
    """The schedule's fields from a schedule form."""
    return {name: getattr(form, name).data for name in ("frequency", "day", "starts_on", "place", "active")}
