"""Field factories shared by the domain forms, so every form speaks the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, BS3TextFieldWidget, Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from markupsafe import escape
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms.ranges import InWindow, Window, WindowInput
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


def day(label: str, required: bool = False, *, window: Window) -> DateField:
    """A date picked from a calendar, in its plausible window; typed nonsense is an invalid date."""
    first = InputRequired(message=REQUIRED) if required else Optional()
    # The browser's own date input: works on phones and accepts typing (FAB's picker does not).
    return DateField(
        label, validators=[first, InWindow(window)], widget=WindowInput(), render_kw={"class": "form-control"}
    )


def choice(label: str, choices: Mapping[str, object], required: bool = True) -> SelectField:
    """A drop-down of coded values with translated labels."""
    options = [(key, value) for key, value in choices.items()]
    if not required:
        options.insert(0, ("", "—"))
    first = DataRequired(message=REQUIRED) if required else Optional()
    return SelectField(label, choices=options, validators=[first], widget=Select2Widget())


TRAP = "website"  # the name of the spam trap on every public form (app.views.portal rejects it filled)


def consent() -> BooleanField:
    """The box a member of the public ticks to be told about the request at the contact they gave."""
    return BooleanField(
        _l("Send me notices about this request (receipt, decision) by WhatsApp or e-mail to my contact"),
        description=_l("Only if you tick this box; your contact is used for nothing else."),
    )


def spam_trap() -> StringField:
    """A field hidden by CSS that people leave empty and robots fill in."""
    return StringField(_l("Leave this field empty"))


MB = 1024 * 1024
ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
ACCEPTED_PICTURES = ".jpg,.jpeg,.png,image/jpeg,image/png"


class UploadNote:
    """The help text under a file field: the formats and the limits, read from the config when the
    form is shown (app/static/js/upload-limit.js checks the same limits before sending)."""

    def __init__(self, pictures_only: bool = False) -> None:
        self.pictures_only = pictures_only

    def __str__(self) -> str:
        limits = {
            "file": current_app.config["MAX_UPLOAD_BYTES"] // MB,
            "total": current_app.config["MAX_CONTENT_LENGTH"] // MB,
        }
        if self.pictures_only:
            return _(
                "JPG or PNG; at most %(file)d MB per file and %(total)d MB per submission. "
                "Larger photos are reduced automatically.",
                **limits,
            )
        return _(
            "PDF, JPG or PNG; at most %(file)d MB per file and %(total)d MB per submission. "
            "Larger photos are reduced automatically.",
            **limits,
        )

    def __html__(self) -> str:
        return str(escape(str(self)))


def upload(label: str, multiple: bool = False, pictures_only: bool = False) -> FileField | MultipleFileField:
    """A file field that states its limits and lets the browser check them before sending."""
    kind = MultipleFileField if multiple else FileField
    accept = ACCEPTED_PICTURES if pictures_only else ACCEPTED_FILES
    return kind(label, description=UploadNote(pictures_only), render_kw={"accept": accept})


def checked_upload(form: Any, field: Any) -> bool:
    """Check an optional upload field; keep the safe bytes on `form.checked_upload`."""
    try:
        form.checked_upload = check_upload(field.data)
    except UploadError as exc:
        field.errors = [*field.errors, str(exc)]
        form.checked_upload = None
        return False
    return True
