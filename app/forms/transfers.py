"""Forms of a client's transfer to another Bapas and of a visiting client's report on arrival."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from app.forms.fields import REQUIRED, area, text
from app.forms.letters import moment
from app.forms.ranges import RECEIVED
from app.workflow.definitions import APPROVE, DONE, REJECT, RETURN


def _office_field(required: bool = True) -> SelectField:
    return SelectField(
        _l("Destination Bapas"),
        coerce=int,
        validators=[InputRequired(message=REQUIRED) if required else Optional()],
        widget=Select2Widget(),
    )


def _missing(field: Any) -> bool:
    if (field.data or "").strip() if isinstance(field.data, str) else field.data:
        return False
    field.errors = [*field.errors, REQUIRED]
    return True


class TransferProposalForm(DynamicForm):
    """The client's PK proposes the transfer: to which Bapas, why, and where the client now lives."""

    destination_office_id = _office_field()
    reason = area(_l("Reasons for the transfer"), 2000, True)
    new_address = area(_l("New address of the client"), 500, True)


class TransferRenewalForm(DynamicForm):
    """After a return or a refusal, the PK proposes again or withdraws the transfer."""

    outcome = RadioField(
        _l("Decision"),
        choices=[(DONE, _l("Propose the transfer again")), (REJECT, _l("Withdraw the transfer"))],
        validators=[InputRequired(message=REQUIRED)],
    )
    destination_office_id = _office_field(required=False)
    reason = area(_l("Reasons for the transfer"), 2000)
    new_address = area(_l("New address of the client"), 500)
    note = area(_l("Note (for a withdrawal: why)"), 1000)

    def validate(self, extra_validators: Any = None) -> bool:
        """A new proposal needs the destination, reasons and address; a withdrawal its reasons."""
        ok = super().validate(extra_validators)
        needed = (
            (self.destination_office_id, self.reason, self.new_address) if self.outcome.data == DONE else ()
        )
        if self.outcome.data == REJECT:
            needed = (self.note,)
        for field in needed:
            ok = not _missing(field) and ok
        return ok


class TransferDecisionForm(DynamicForm):
    """The destination's Kepala accepts the client (and gives its register number here) or refuses."""

    outcome = RadioField(
        _l("Decision"),
        choices=[(APPROVE, _l("Accept the client")), (RETURN, _l("Refuse, with reasons"))],
        validators=[InputRequired(message=REQUIRED)],
    )
    register_number = text(_l("Register number at this Bapas"), 30)
    note = area(_l("Reasons / note (the origin reads them)"), 2000)

    def validate(self, extra_validators: Any = None) -> bool:
        """Accepting needs the register number; refusing, the reasons."""
        ok = super().validate(extra_validators)
        if self.outcome.data == APPROVE:
            ok = not _missing(self.register_number) and ok
        elif self.outcome.data == RETURN:
            ok = not _missing(self.note) and ok
        return ok


class TransferAssignForm(DynamicForm):
    """The destination's Kasubsi gives the client a PK of its section."""

    officer = SelectField(
        _l("PK of the client"),
        coerce=int,
        validators=[InputRequired(message=REQUIRED)],
        widget=Select2Widget(),
    )
    note = area(_l("Note"), 1000)


class ArrivalForm(DynamicForm):
    """A visiting client's report on arrival (lapor diri): when, where, a note."""

    reported_at = moment(_l("Reported at"), window=RECEIVED)
    place = text(_l("Place of the report"), 200, True)
    note = area(_l("Note"), 1000)
