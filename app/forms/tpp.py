"""Forms of the Sidang TPP and of the permit steps a PK takes."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget, Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from app.extensions import db
from app.forms.fields import REQUIRED, area, day, text
from app.forms.ranges import SITTING
from app.models.staff import Staff
from app.security import scope
from app.security.roles import KASUBSI, KEPALA, PK
from app.workflow.definitions import APPROVE, DONE, OUTCOME_LABELS, REJECT, RETURN


def staff_with(*roles: str) -> Any:
    """Query function: active staff holding one of the roles."""

    def query() -> list[Staff]:
        from flask_appbuilder.security.sqla.models import Role

        stmt = (
            select(Staff)
            .join(Staff.roles)
            .where(Role.name.in_(roles), Staff.active.is_(True), scope.staff_clause(scope.current_staff()))
        )
        return list(db.session.scalars(stmt.order_by(Staff.first_name)).unique())

    return query


class TppSessionForm(DynamicForm):
    """A sitting of the TPP: when, where, who chairs, who keeps the minutes, who attends."""

    held_on = day(_l("Date"), True, window=SITTING)
    place = text(_l("Place"), 120, True)
    chair = QuerySelectField(
        _l("Chair"), query_func=staff_with(KEPALA), get_pk_func=lambda s: s.id, widget=Select2Widget(),
        validators=[InputRequired(message=REQUIRED)],
    )  # fmt: skip
    secretary = QuerySelectField(
        _l("Secretary"), query_func=staff_with(KASUBSI, PK), get_pk_func=lambda s: s.id,
        widget=Select2Widget(), validators=[InputRequired(message=REQUIRED)],
    )  # fmt: skip
    members = QuerySelectMultipleField(
        _l("Members present"), query_func=staff_with(KEPALA, KASUBSI, PK), get_pk_func=lambda s: s.id,
        widget=Select2ManyWidget(),
    )  # fmt: skip


class TppDecisionForm(FlaskForm):
    """The TPP's decision on one agenda item."""

    decision = RadioField(
        _l("Decision"),
        choices=[(APPROVE, OUTCOME_LABELS[APPROVE]), (REJECT, OUTCOME_LABELS[REJECT])],
        validators=[InputRequired(message=REQUIRED)],
    )
    notes = area(_l("Reasons / recommendation"), 2000, True)


class PermitCheckForm(DynamicForm):
    """The PK's check of a permit request: complete, or back to the applicant for a correction."""

    outcome = RadioField(
        _l("Result of the check"),
        choices=[
            (DONE, _l("Complete: put it before the Sidang TPP")),
            (RETURN, _l("Ask the applicant to correct it")),
        ],
        validators=[InputRequired(message=REQUIRED)],
    )
    note = area(_l("Note (for a correction: what must be corrected; the applicant will read it)"), 1000)

    def validate(self, extra_validators: Any = None) -> bool:
        """A correction request must say what to correct."""
        ok = super().validate(extra_validators)
        if self.outcome.data == RETURN and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, _l("Say what the applicant must correct.")]
            ok = False
        return ok


class PermitDraftForm(DynamicForm):
    """The PK drafts the letter: the obligations while away (empty: the standard ones)."""

    note = area(_l("Obligations while away, one per line (leave empty for the standard obligations)"), 2000)


class PermitSignForm(DynamicForm):
    """The Kepala signs the drafted letter, or returns it to the PK; only a return needs its reasons."""

    outcome = RadioField(
        _l("Decision"),
        choices=[
            (APPROVE, _l("Sign the permit letter")),
            (RETURN, _l("Return the draft to the PK")),
        ],
        validators=[InputRequired(message=REQUIRED)],
    )
    note = area(_l("Reasons (required to return the draft; the PK reads them)"), 5000)

    def validate(self, extra_validators: Any = None) -> bool:
        """A returned draft says what the PK must change."""
        ok = super().validate(extra_validators)
        if self.outcome.data == RETURN and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, _l("Say why the draft is returned.")]
            ok = False
        return ok


class RevokeForm(FlaskForm):
    """The Kepala revokes a signed permit."""

    reason = area(_l("Reason for revocation (the applicant reads it on the status page)"), 1000, True)


class TripLimitForm(DynamicForm):
    """The Kepala's limit on the length of a trip out of town (SOP 11)."""

    max_trip_days = IntegerField(
        _l("Longest trip permitted (days, both ends counted)"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=365, message=_l("Between 1 and 365 days.")),
        ],
        render_kw={"class": "form-control"},
    )
