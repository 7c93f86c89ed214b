"""The sign-in screens: password, the second step (TOTP or recovery code), logout by POST; each
sign-in ends in a session the server checks."""

from __future__ import annotations

from flask import flash, g, redirect, request, session, url_for
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_appbuilder.views import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired

from app.audit import record_event
from app.models.staff import Staff
from app.security import mfa, sessions

FAILED = "login_failed"  # the audit action of a failed sign-in


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired()],
        description=_l("The six digits your authenticator app shows now, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "autofocus": True},
    )


class BapasAuthView(AuthDBView):
    """FAB's password sign-in, then the second step for accounts that have one; the sessions it
    starts can be ended by the server."""

    mfa_template = "login_mfa.html"

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self) -> Response | str:
        """The sign-in form; a right password starts a session or leads to the second step."""
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm_db()
        if form.validate_on_submit():
            next_url = get_safe_redirect(request.args.get("next", ""))
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(as_unicode(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            if mfa.enrolled(user):
                sessions.hold(user, next_url)
                return redirect(url_for(f"{type(self).__name__}.second_step"))
            return self._finish(user, next_url)
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )

    @expose("/login/verify/", methods=["GET", "POST"])
    @no_cache
    def second_step(self) -> Response | str:
        """The code from the authenticator app (or a recovery code) after the right password."""
        sm = self.appbuilder.sm
        held = sessions.held()
        user = sm.get_user_by_id(held[0]) if held else None
        if user is None or held[1] != user.session_generation or not user.is_active or sm.is_locked(user):
            sessions.drop_held()
            flash(str(_l("The sign-in took too long or was stopped. Please sign in again.")), "warning")
            return redirect(self.appbuilder.get_url_for_login)
        form = CodeForm()
        if form.validate_on_submit():
            method = mfa.verify(user, form.code.data)
            if method is not None:
                return self._finish(user, held[2], mfa=method)
            sm.count_failure(user, reason="mfa")
            sm.session.commit()
            if sm.is_locked(user):
                sessions.drop_held()
                flash(as_unicode(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login)
            form.code.errors = [_("The code is wrong or has already been used.")]
        return self.render_template(
            self.mfa_template, title=_l("Two-step verification"), form=form, appbuilder=self.appbuilder
        )

    def _finish(self, user: Staff, next_url: str, **details: object) -> Response:
        self.appbuilder.sm.signed_in(user, **details)
        sessions.begin(user)
        return redirect(next_url)

    @expose("/logout/", methods=["POST"])
    def logout(self) -> Response:
        """End this session, any copy of its cookie included; the account's other sessions go on."""
        user = self._get_authenticated_user()
        if user is not None:
            record_sign_in("logout", user)
            sessions.end_this(user)
            self.appbuilder.sm.session.commit()
        logout_user()
        session.clear()
        flash(str(_l("You have signed out.")), "info")
        response = redirect(self.appbuilder.get_url_for_login)
        # Whatever the BATAKO field app kept on this device (pages, unsent entries) goes with the session.
        response.headers["Clear-Site-Data"] = '"storage"'
        return response


def failed_sign_in(_response: Response) -> bool:
    """Whether this request was a failed sign-in (the address limit counts these, not successes)."""
    return bool(g.get("sign_in_failed"))


def record_sign_in(action: str, user: Staff | None, **details: object) -> None:
    """Put a sign-in event of an account (None: a name that designates none) in the audit trail."""
    if action == FAILED:
        g.sign_in_failed = True
    user_now = getattr(g, "user", None)
    signed_in = user_now is not None and user_now.is_authenticated
    record_event(
        action,
        Staff.__tablename__,
        user.id if user is not None else "-",
        changes=details or None,
        # Before a session exists the account itself is the actor; after, whoever is signed in.
        username=user.username if user is not None and not signed_in else None,
    )
