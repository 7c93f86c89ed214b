"""Forms of the guidance of clients: guidance sessions, progress reports and stage plans."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import MonthField
from wtforms.validators import InputRequired

from app.extensions import db
from app.forms.fields import REQUIRED, area, choice, day, text
from app.forms.ranges import HELD, REPORT_MONTH, SITTING, InWindow, WindowMonthInput
from app.models.clients import ACTIVE, Client
from app.models.guidance import HOME_VISIT, KINDS, OFFICE, PLACES, RISK_LEVELS
from app.security import scope
from app.workflow import guidance


def own_clients() -> list[Client]:
    """The clients under supervision the signed-in user may work with, by name."""
    stmt = select(Client).where(Client.status == ACTIVE).order_by(Client.name)
    return list(db.session.scalars(scope.restrict(stmt, Client)))


def client_field() -> QuerySelectField:
    """A choice among the user's clients under supervision."""
    return QuerySelectField(
        _l("Client"),
        query_func=own_clients,
        get_pk_func=lambda client: client.id,
        widget=Select2Widget(),
        validators=[InputRequired(message=REQUIRED)],
    )


def refuse(form: Any, refused: guidance.Refused) -> bool:
    """Show a domain refusal next to its field; False for validate()."""
    field = getattr(form, refused.field)
    field.errors = [*field.errors, str(refused)]
    return False


class SessionNoteForm(DynamicForm):
    """What a guidance session was about: kind, notes, confidential notes, next appointment."""

    kind = choice(_l("Kind of guidance"), KINDS)
    notes = area(_l("Guidance notes"), 5000, True)
    confidential_notes = area(_l("Confidential notes (PK, Kasubsi and Kepala only)"), 5000)
    next_appointment = day(_l("Next appointment"), window=SITTING)

    def fields_data(self) -> dict[str, Any]:
        """The session's fields for app.workflow.guidance.record_log."""
        return {
            "kind": self.kind.data,
            "notes": self.notes.data,
            "confidential_notes": self.confidential_notes.data or None,
            "next_appointment": self.next_appointment.data,
        }


class GuidanceLogForm(SessionNoteForm):
    """A guidance session at the office or on a home visit."""

    client = client_field()
    held_on = day(_l("Date"), True, window=HELD)
    place = choice(_l("Place"), {OFFICE: PLACES[OFFICE], HOME_VISIT: PLACES[HOME_VISIT]})

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; the date lies in the client's period and not in the future."""
        ok = super().validate(extra_validators)
        if not ok:
            return False
        try:
            guidance.check_guidance_day(self.client.data, self.held_on.data)
        except guidance.Refused as refused:
            return refuse(self, refused)
        if self.next_appointment.data and self.next_appointment.data <= self.held_on.data:
            self.next_appointment.errors = [_l("The next appointment comes after the session.")]
            return False
        return True


class ReportFieldsForm(DynamicForm):
    """The content of a monthly progress report."""

    progress = area(_l("Progress of the client this month"), 5000, True)
    problems = area(_l("Problems and risks"), 5000)
    next_plan = area(_l("Plan for next month"), 5000, True)

    def fields_data(self) -> dict[str, Any]:
        """The report's content for app.workflow.guidance.file_report."""
        return {
            "progress": self.progress.data,
            "problems": self.problems.data,
            "next_plan": self.next_plan.data,
        }


class ProgressReportForm(ReportFieldsForm):
    """A progress report filed from the report list: client and month chosen."""

    client = client_field()
    month = MonthField(
        _l("Month"),
        validators=[InputRequired(message=REQUIRED), InWindow(REPORT_MONTH)],
        widget=WindowMonthInput(),
        render_kw={"class": "form-control"},
    )


class StagePlanForm(DynamicForm):
    """The assessment and guidance program of a stage (re-assessment and classification in the final one)."""

    risk_level = choice(_l("Risk level (risk assessment)"), RISK_LEVELS)
    needs = area(_l("Needs (needs assessment)"), 5000, True)
    classification = text(_l("Classification (final stage)"), 120)
    personality_program = area(_l("Personality guidance program"), 5000, True)
    independence_program = area(_l("Independence guidance program"), 5000, True)

    def fields_data(self) -> dict[str, Any]:
        """The plan's fields for app.workflow.guidance.submit_plan."""
        return {name: getattr(self, name).data or None for name in PLAN_FIELDS}


PLAN_FIELDS = ("risk_level", "needs", "classification", "personality_program", "independence_program")
LOG_FIELDS = ["client", "held_on", "place", "kind", "notes", "confidential_notes", "next_appointment"]
