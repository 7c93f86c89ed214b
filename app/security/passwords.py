"""The password policy: long enough, not a common password, not the username; and the forms
that set a password (Admin's new account and reset, one's own change) with it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import current_app, g, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from wtforms import Field, Form, PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
MAX_LENGTH = 128  # scrypt reads it all; longer is no safer
# A username this short ("tu") appears inside ordinary words; only the whole of it is refused.
SHORTEST_NAME_SEARCHED = 3
NEW_PASSWORD_HELP = _l(
    "At least 12 characters; a phrase of a few words is easy to remember. "
    "Common passwords and anything containing the username are refused."
)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords nobody may choose, lower case."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _bare(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def policy_problem(password: str, username: str | None) -> str | None:
    """Why the password may not be used (in the user's language), or None if it may."""
    shortest = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < shortest:
        return _("Use at least %(count)d characters.", count=shortest)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or _bare(lowered) in common_passwords():
        return _("This password is among the most commonly used ones; choose another.")
    name = (username or "").lower()
    if name and (lowered == name or (len(name) >= SHORTEST_NAME_SEARCHED and name in lowered)):
        return _("The password may not contain the username.")
    return None


class PasswordPolicy:
    """Field validator: the policy, for the account that `username_of(form)` names."""

    def __init__(self, username_of: Callable[[Form], str | None]) -> None:
        self.username_of = username_of

    def __call__(self, form: Form, field: Field) -> None:
        problem = policy_problem(field.data or "", self.username_of(form))
        if problem:
            raise ValidationError(problem)


def _own_username(_form: Form) -> str | None:
    return g.user.username


def _reset_target_username(_form: Form) -> str | None:
    from app.extensions import appbuilder

    user = appbuilder.sm.get_user_by_id(request.args.get("pk", type=int) or 0)
    return user.username if user is not None else None


def new_password_field(username_of: Callable[[Form], str | None], *more: Callable) -> PasswordField:
    """A new-password field held to the policy (and to `more` validators)."""
    return PasswordField(
        _l("Password"),
        description=NEW_PASSWORD_HELP,
        validators=[DataRequired(), PasswordPolicy(username_of), *more],
        widget=BS3PasswordFieldWidget(),
    )


def confirm_field() -> PasswordField:
    """The same password typed again."""
    return PasswordField(
        _l("Confirm Password"),
        description=_l("Please rewrite the password to confirm"),
        validators=[EqualTo("password", message=_l("Passwords must match"))],
        widget=BS3PasswordFieldWidget(),
    )


class CurrentPassword:
    """Field validator: the signed-in user's current password; a wrong one counts as a failed
    sign-in on the account's one counter."""

    def __call__(self, form: Form, field: Field) -> None:
        from app.extensions import appbuilder

        sm = appbuilder.sm
        user = sm.get_user_by_id(g.user.id)
        if sm.is_locked(user):
            raise ValidationError(_("Too many wrong passwords. Try again later."))
        if not check_password_hash(user.password or "", field.data or ""):
            sm.count_failure(user, reason="current_password")
            sm.session.commit()
            raise ValidationError(_("The current password is wrong."))


def _not_the_current(form: Form, field: Field) -> None:
    if field.data and field.data == form.old_password.data:
        raise ValidationError(_("Choose a password different from the current one."))


class OwnPasswordForm(DynamicForm):
    """One's own new password, confirmed by the current one."""

    old_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), CurrentPassword()],
        widget=BS3PasswordFieldWidget(),
    )
    password = new_password_field(_own_username, _not_the_current)
    conf_password = confirm_field()


class PasswordResetForm(DynamicForm):
    """Admin's new password for another account (the account must change it at next sign-in)."""

    password = new_password_field(_reset_target_username)
    conf_password = confirm_field()
