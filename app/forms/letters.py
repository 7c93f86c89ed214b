"""Forms of the correspondence: registering a letter, disposing it, assigning PKs."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import Select2ManyWidget, Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, SelectMultipleField, widgets
from wtforms.validators import InputRequired, Optional

from app.forms.clients import PHONE
from app.forms.fields import REQUIRED, area, checked_upload, choice, day, text, upload
from app.forms.ranges import LETTER_DATE, PLANNED, RECEIVED, InWindow, Window, WindowMomentInput
from app.models.letters import INSTRUCTIONS, SENDER_KINDS, URGENCIES
from app.models.outreach import INSTITUTION_KINDS
from app.timeutil import WIB, utcnow
from app.workflow.definitions import CHILD_ACCOMPANIMENT, INCOMING_LETTER, OUTREACH

SERVICES_FOR_LETTERS = {
    INCOMING_LETTER.code: _l("General letter (disposition only)"),
    CHILD_ACCOMPANIMENT.code: _l("Request for accompaniment of a child (ABH, 24 hours)"),
    OUTREACH.code: _l("Request for a Bambang Solah outreach (village or school)"),
}
ONLY_OUTREACH = _l("Only for a Bambang Solah request")


def moment(label: str, required: bool = True, *, window: Window) -> DateTimeLocalField:
    """A date and time in WIB, in its plausible window, in the browser's own date-time input."""
    return DateTimeLocalField(
        label,
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[InputRequired(message=REQUIRED) if required else Optional(), InWindow(window)],
        widget=WindowMomentInput(),
        render_kw={"class": "form-control"},
        description=_l("Date and time in WIB"),
    )


def as_wib(value: Any) -> Any:
    """A naive datetime typed by a user, read as WIB."""
    return value.replace(tzinfo=WIB) if value is not None and value.tzinfo is None else value


class LetterForm(DynamicForm):
    """TU registers an incoming letter."""

    service = choice(_l("Kind of letter"), SERVICES_FOR_LETTERS)
    sender = text(_l("Sender"), 200, True)
    sender_kind = choice(_l("Kind of sender"), SENDER_KINDS)
    letter_number = text(_l("Letter number"), 100, True)
    letter_date = day(_l("Letter date"), True, window=LETTER_DATE)
    subject = text(_l("Subject"), 300, True)
    received_at = moment(_l("Received at"), window=RECEIVED)
    attachment = upload(_l("Scanned letter"))
    requested_on = day(_l("Requested date of the outreach"), window=PLANNED)
    place = area(_l("Place (address of the venue)"), 300)
    audience = text(_l("Audience (who, and how many people)"), 300)
    contact_name = text(_l("Contact person"), 120)
    contact_phone = text(_l("Contact person's phone / WhatsApp"), 20, False, PHONE)

    OUTREACH_FIELDS = ("requested_on", "place", "audience", "contact_name", "contact_phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.OUTREACH_FIELDS:
            self[name].description = ONLY_OUTREACH

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules and windows, then: the letter not dated after receipt, and for an outreach
        request its details, from a village or school."""
        ok = super().validate(extra_validators)
        if self.service.data == OUTREACH.code:
            ok = self._validate_outreach() and ok
        received = as_wib(self.received_at.data)
        if received is not None and self.letter_date.data and self.letter_date.data > received.date():
            self.letter_date.errors = [
                *self.letter_date.errors,
                _l("The letter cannot be dated after it arrived."),
            ]
            ok = False
        return checked_upload(self, self.attachment) and ok

    def _validate_outreach(self) -> bool:
        ok = True
        for name in self.OUTREACH_FIELDS:
            field = self[name]
            if not field.data and not field.errors:
                field.errors = [*field.errors, REQUIRED]
                ok = False
        if self.sender_kind.data not in INSTITUTION_KINDS:
            self.sender_kind.errors = [
                *self.sender_kind.errors,
                _l("A Bambang Solah request comes from a village or a school."),
            ]
            ok = False
        return ok


class DispositionForm(DynamicForm):
    """The Kepala's disposition: to whom, what to do, how urgent, by when."""

    to = SelectField(
        _l("Dispose to"), coerce=int, validators=[InputRequired(message=REQUIRED)], widget=Select2Widget()
    )
    instructions = SelectMultipleField(
        _l("Instructions"),
        choices=list(INSTRUCTIONS.items()),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    note = area(_l("Note"), 1000)
    urgency = choice(_l("Urgency"), URGENCIES)
    deadline = moment(_l("Deadline"), required=False, window=PLANNED)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then: an instruction or a note, and a deadline in the future."""
        ok = super().validate(extra_validators)
        if not self.instructions.data and not (self.note.data or "").strip():
            self.instructions.errors = [
                *self.instructions.errors,
                _l("Choose an instruction or write a note."),
            ]
            ok = False
        deadline = as_wib(self.deadline.data)
        if deadline is not None and not self.deadline.errors and deadline <= utcnow():
            self.deadline.errors = [*self.deadline.errors, _l("The deadline must be in the future.")]
            ok = False
        return ok


class AssignForm(DynamicForm):
    """The Kasubsi assigns one or more PK; the first is responsible."""

    officers = SelectMultipleField(
        _l("PK to assign (the first is responsible)"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose at least one PK."))],
        widget=Select2ManyWidget(),
    )
    note = area(_l("Note"), 1000)
