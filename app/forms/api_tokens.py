"""The Admin issues an API token to a service account."""

from __future__ import annotations

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from app.forms.fields import REQUIRED, day, text
from app.forms.ranges import TOKEN_EXPIRY


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
    expires_on = day(_l("Valid until"), True, window=TOKEN_EXPIRY)
