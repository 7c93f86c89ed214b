"""Field factories shared by the domain forms, so every form speaks the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, BS3TextFieldWidget, Select2Widget
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import DateInput

from app.uploads import UploadError, check_upload

REQUIRED = _l("This field is required.")


def text(label: str, max_length: int, required: bool = False, *validators: object) -> StringField:
    """A one-line text field with a length limit."""
    first = DataRequired(message=REQUIRED) if required else Optional()
    too_long = _l("At most %(max)d characters.", max=max_length)
    return StringField(
        label,
        validators=[first, Length(max=max_length, message=too_long), *validators],
        widget=BS3TextFieldWidget(),
    )


def area(label: str, max_length: int, required: bool = False) -> TextAreaField:
    """A multi-line text field with a length limit."""
    first = DataRequired(message=REQUIRED) if required else Optional()
    too_long = _l("At most %(max)d characters.", max=max_length)
    return TextAreaField(
        label, validators=[first, Length(max=max_length, message=too_long)], widget=BS3TextAreaFieldWidget()
    )


def day(label: str, required: bool = False) -> DateField:
    """A date picked from a calendar; typed nonsense is reported as an invalid date."""
    first = InputRequired(message=REQUIRED) if required else Optional()
    # The browser's own date input: works on phones and accepts typing (FAB's picker does not).
    return DateField(label, validators=[first], widget=DateInput(), render_kw={"class": "form-control"})


def choice(label: str, choices: Mapping[str, object], required: bool = True) -> SelectField:
    """A drop-down of coded values with translated labels."""
    options = [(key, value) for key, value in choices.items()]
    if not required:
        options.insert(0, ("", "—"))
    first = DataRequired(message=REQUIRED) if required else Optional()
    return SelectField(label, choices=options, validators=[first], widget=Select2Widget())


TRAP = "website"  # the name of the spam trap on every public form (app.views.portal rejects it filled)


def spam_trap() -> StringField:
    """A field hidden by CSS that people leave empty and robots fill in."""
    return StringField(_l("Leave this field empty"))


def checked_upload(form: Any, field: Any) -> bool:
    """Check an optional upload field; keep the safe bytes on `form.checked_upload`."""
    try:
        form.checked_upload = check_upload(field.data)
    except UploadError as exc:
        field.errors = [*field.errors, str(exc)]
        form.checked_upload = None
        return False
    return True
