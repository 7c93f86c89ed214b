"""Control characters are refused in every text field of every form, FAB's own included.

PostgreSQL refuses a NUL byte in text (a 500 if it reaches the database), and the other control
characters only hide or garble what a reader sees. Every form of the app is a FlaskForm (FAB's
DynamicForm, its login and user forms too), so one hook where FlaskForm binds its fields gives each
text field the check first, before `Optional` or `DataRequired` can stop the chain: forms written
tomorrow are covered without remembering it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import StopValidation

MESSAGE = _l("This field holds invisible control characters that are not allowed. Type the text again.")
LINE_BREAKS = frozenset("\t\r\n")


def has_control_characters(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether `text` holds a control character (Unicode category Cc) other than `allowed`."""
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


class NoControlCharacters:
    """Validator: no control characters; tabs and line breaks only in a multi-line field."""

    def __init__(self, multiline: bool = False) -> None:
        self.allowed = LINE_BREAKS if multiline else frozenset()

    def __call__(self, form: Any, field: Field) -> None:
        for value in field.raw_data or []:
            if isinstance(value, str) and has_control_characters(value, self.allowed):
                # Whole-form checks run even when a field failed (e.g. a register number looked up
                # for uniqueness): they must not carry the characters to the database either.
                field.data = ""
                raise StopValidation(str(MESSAGE))


def _bind_guarded(bind: Any) -> Any:
    def bind_field(meta: Any, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
        field = bind(meta, form, unbound_field, options)
        if isinstance(field, StringField):  # text, text areas, passwords, hidden fields
            field.validators = [NoControlCharacters(isinstance(field, TextAreaField)), *field.validators]
        return field

    bind_field.guarded = True  # type: ignore[attr-defined]
    return bind_field


def install() -> None:
    """Give every text field of every FlaskForm the control-character check (idempotent)."""
    if not getattr(FlaskForm.Meta.bind_field, "guarded", False):
        FlaskForm.Meta.bind_field = _bind_guarded(FlaskForm.Meta.bind_field)  # type: ignore[method-assign]
