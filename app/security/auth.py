"""The sign-in screens: password, logout (by POST), each ending in a server-checked session."""

from __future__ import annotations

from flask import flash, g, redirect, request, session
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_appbuilder.views import expose
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from werkzeug.wrappers import Response

from app.audit import record_event
from app.models.staff import Staff
from app.security import sessions


class BapasAuthView(AuthDBView):
    """FAB's password sign-in, whose sessions the server can end."""

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self) -> Response | str:
        """The sign-in form; a right password starts a session."""
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm_db()
        if form.validate_on_submit():
            next_url = get_safe_redirect(request.args.get("next", ""))
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(as_unicode(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            sessions.begin(user)
            return redirect(next_url)
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )

    @expose("/logout/", methods=["POST"])
    def logout(self) -> Response:
        """End every session of the account, this one and any copy of its cookie."""
        user = self._get_authenticated_user()
        if user is not None:
            record_sign_in("logout", user)
            sessions.end_all(user)
            self.appbuilder.sm.session.commit()
        logout_user()
        session.clear()
        flash(str(_l("You have signed out.")), "info")
        return redirect(self.appbuilder.get_url_for_login)


def record_sign_in(action: str, user: Staff | None, **details: object) -> None:
    """Put a sign-in event of an account (None: a name that designates none) in the audit trail."""
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
