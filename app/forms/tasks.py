"""Forms of the generic SOP steps: a note, a decision, a record of a repeated step."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from app.forms.fields import REQUIRED, area, checked_upload, choice, day, text, upload
from app.forms.letters import moment
from app.forms.ranges import BIRTH, HELD, RECEIVED, category_refusal
from app.models.cases import LEGAL_STAGES
from app.models.clients import CHILD, SEXES
from app.timeutil import today_wib


class NoteForm(DynamicForm):
    """A step completed with a written result and an optional document."""

    note = area(_l("Result"), 5000, True)
    attachment = upload(_l("Document (optional)"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules and the attachment check."""
        ok = super().validate(extra_validators)
        return checked_upload(self, self.attachment) and ok


class DecideForm(DynamicForm):
    """A decision with reasons (e.g. Sidang TPP)."""

    outcome = RadioField(_l("Decision"), validators=[InputRequired(message=REQUIRED)])
    note = area(_l("Reasons / recommendation"), 5000, True)


class RecordForm(DynamicForm):
    """One entry of a repeated step (accompaniment at a stage of the legal process)."""

    stage = choice(_l("Stage of the legal process"), LEGAL_STAGES)
    held_on = day(_l("Date"), True, window=HELD)
    place = text(_l("Place"), 200, True)
    note = area(_l("Notes"), 5000, True)


class AccompanyForm(DynamicForm):
    """The PK records the child (new, or a client already known) and the social inquiry."""

    arrived_at = moment(_l("Arrived at the police station"), required=False, window=RECEIVED)
    existing_client = text(_l("Register number of a known client (leave empty for a new child)"), 30)
    name = text(_l("Child's name"), 120)
    birth_date = day(_l("Date of birth"), window=BIRTH)
    sex = choice(_l("Sex"), SEXES, required=False)
    address = area(_l("Address"), 500)
    guardian_name = text(_l("Guardian's name"), 120)
    guardian_relation = text(_l("Guardian's relation"), 40)
    case_number = text(_l("Police report / case number"), 60, True)
    offence = text(_l("Offence"), 200, True)
    note = area(_l("Result of the social inquiry"), 5000, True)

    def validate(self, extra_validators: Any = None) -> bool:
        """Either a known client, or the new child's identity with a guardian."""
        ok = super().validate(extra_validators)
        if (self.existing_client.data or "").strip():
            return ok
        for field in (self.name, self.birth_date, self.sex, self.address, self.guardian_name):
            if not field.data and not field.errors:
                field.errors = [*field.errors, _l("Required for a new child.")]
                ok = False
        refusal = category_refusal(CHILD, self.birth_date.data, today_wib(), self.birth_date.label.text)
        if refusal and not self.birth_date.errors:
            self.birth_date.errors = [refusal]
            ok = False
        return ok
