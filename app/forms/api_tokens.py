"""The Admin issues an API token to a service account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from app.forms.fields import REQUIRED, day, text
from app.timeutil import today_wib

MAX_DAYS = 366  # a token lives a year at most; the partner asks for a new one


class ApiTokenForm(DynamicForm):
    """Name, account and expiry of a new token; the token itself is shown once, after saving."""

    name = text(_l("Name (which system uses it)"), 120, True)
    account_id = SelectField(
        _l("Service account"),
        coerce=int,
        validators=[DataRequired(message=REQUIRED)],
        widget=Select2Widget(),
        description=_l("The token acts with this account's role and work area."),
    )
    expires_on = day(_l("Valid until"), True)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then an expiry from tomorrow to a year ahead."""
        ok = super().validate(extra_validators)
        chosen = self.expires_on.data
        if chosen and not today_wib() < chosen <= today_wib() + timedelta(days=MAX_DAYS):
            self.expires_on.errors = [
                *self.expires_on.errors,
                _l("Choose a date from tomorrow up to one year ahead."),
            ]
            ok = False
        return ok
