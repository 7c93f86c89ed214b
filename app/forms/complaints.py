"""Forms of complaint handling: the complaint (portal or complaint unit) and the steps of its handling."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import InputRequired

from app.forms.fields import REQUIRED, area, checked_upload, choice, consent, spam_trap, text, upload
from app.forms.letters import moment
from app.forms.ranges import RECEIVED
from app.models.complaints import CATEGORIES, SOPS, STAFF_CHANNELS
from app.models.staff import Staff
from app.workflow import complaint_names
from app.workflow.definitions import DONE, RETURN
from app.workflow.engine import MoveRefused

NOBODY = 0


def staff_field(label: str, required: bool = False) -> SelectField:
    """A drop-down of staff members (choices set per request); 0 stands for nobody."""
    validators = [InputRequired(message=REQUIRED)] if required else []
    return SelectField(label, coerce=int, validators=validators, widget=Select2Widget())


def no_staff_field() -> BooleanField:
    """The complaint unit's confirmation that the staff its text names are not complained about."""
    return BooleanField(_l("No staff member is complained about"))


def check_named(form: Any, named: list[Staff]) -> bool:
    """A text naming staff needs the staff member complained about or the confirmation that none
    is (app.workflow.complaint_names); the warning names who was found."""
    try:
        complaint_names.require_answer(named, form.subject_staff.data, form.no_staff_concerned.data)
    except MoveRefused as refused:
        form.subject_staff.errors = [*form.subject_staff.errors, str(refused)]
        return False
    return True


class ComplaintFields(FlaskForm):
    """What the complainant tells, shared by the portal and the complaint unit's intake."""

    category = choice(_l("Category"), CATEGORIES)
    sop = choice(_l("Service concerned"), SOPS)
    title = text(_l("Subject of the complaint"), 200, True)
    description = area(_l("What happened (when, where, who)"), 4000, True)
    staff_named = text(_l("Name of the staff member concerned, if any"), 120)
    complainant_name = text(_l("Name of the complainant (leave empty to stay anonymous)"), 120)
    complainant_contact = text(_l("Phone or e-mail of the complainant (optional)"), 120)
    evidence = upload(_l("Evidence (optional)"))
    notify_consent = consent()

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules and the evidence file."""
        ok = super().validate(extra_validators)
        return checked_upload(self, self.evidence) and ok


class PublicComplaintForm(ComplaintFields):
    """A complaint on the public portal, anonymous if the complainant wishes."""

    complainant_name = text(_l("Your name (leave empty to stay anonymous)"), 120)
    complainant_contact = text(_l("Your phone or e-mail (optional, if you want to be contacted)"), 120)
    website = spam_trap()


PUBLIC_FIELDS = [
    "category", "sop", "title", "description", "staff_named", "complainant_name", "complainant_contact",
    "evidence", "notify_consent",
]  # fmt: skip


class IntakeForm(ComplaintFields):
    """The complaint unit records a complaint received in person, by phone, letter or social media."""

    channel = choice(_l("Received through"), STAFF_CHANNELS)
    received_at = moment(_l("Received at"), window=RECEIVED)
    subject_staff = staff_field(_l("Staff member complained about (if any)"))
    no_staff_concerned = no_staff_field()

    office_id: int | None = None  # the office whose staff the text may name

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules (the window of the receipt among them) and the staff the text names."""
        ok = super().validate(extra_validators)
        text = complaint_names.text_of(self.title.data, self.description.data, self.staff_named.data)
        return check_named(self, complaint_names.named_staff(text, self.office_id)) and ok


INTAKE_FIELDS = [
    "channel", "received_at", *PUBLIC_FIELDS[:5], "subject_staff", "no_staff_concerned", *PUBLIC_FIELDS[5:],
]  # fmt: skip


class RecordForm(FlaskForm):
    """The complaint unit checks the complaint and recommends a response to the Kepala."""

    category = choice(_l("Category"), CATEGORIES)
    sop = choice(_l("Service concerned"), SOPS)
    subject_staff = staff_field(_l("Staff member complained about (if any)"))
    no_staff_concerned = no_staff_field()
    recommendation = area(_l("Recommendation to the Kepala"), 4000, True)

    named: list[Staff] = []  # the staff the complaint's text names

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; staff named in the text need an answer."""
        ok = super().validate(extra_validators)
        return check_named(self, self.named) and ok


class DirectionForm(FlaskForm):
    """The Kepala's direction and the official who is to act on it."""

    direction = area(_l("Direction"), 4000, True)
    responsible = staff_field(_l("Official responsible for the follow-up"), required=True)

    subject_id: int | None = None  # the staff member complained about, who may not be named
    barred: frozenset[int] = frozenset()  # the staff the complaint's text names, who may not be named

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; neither the person complained about nor anyone named may answer it."""
        ok = super().validate(extra_validators)
        if self.subject_id is not None and self.responsible.data == self.subject_id:
            self.responsible.errors = [_l("The staff member complained about cannot handle the complaint.")]
            ok = False
        elif self.responsible.data in self.barred:
            self.responsible.errors = [_l("A staff member named in the complaint cannot handle it.")]
            ok = False
        return ok


class ResponseForm(FlaskForm):
    """The official's fix and/or clarification; the clarification is shown to the complainant."""

    fix = area(_l("Fix made (internal)"), 4000)
    clarification = area(_l("Clarification to the complainant (shown on the status page)"), 4000)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, and a fix or a clarification."""
        ok = super().validate(extra_validators)
        if not (self.fix.data or "").strip() and not (self.clarification.data or "").strip():
            self.clarification.errors = [
                *self.clarification.errors,
                _l("Write the fix made or the clarification, or both."),
            ]
            ok = False
        return ok


class CloseForm(FlaskForm):
    """The complaint unit closes the complaint, or returns it to the official with reasons."""

    outcome = RadioField(
        _l("Decision"),
        choices=[(DONE, _l("Close the complaint")), (RETURN, _l("Return to the official with reasons"))],
        validators=[InputRequired(message=REQUIRED)],
    )
    note = area(_l("Note"), 2000)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; a return says why."""
        ok = super().validate(extra_validators)
        if self.outcome.data == RETURN and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, _l("Say why the complaint goes back.")]
            ok = False
        return ok
