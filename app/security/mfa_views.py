"""One's own two-step verification (TOTP): set up an authenticator app, new recovery codes, turn it
off; the sign-in's second step is app.security.auth's."""

from __future__ import annotations

from flask import flash, g, redirect, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import no_cache
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.models.staff import Staff
from app.security import mfa, sessions
from app.security.auth import CodeForm, record_sign_in
from app.security.roles import MFA


class MfaView(BaseView):
    """One's own two-step verification: set up an authenticator app, new recovery codes, turn off."""

    route_base = "/mfa"
    class_permission_name = MFA
    method_permission_name = {"index": "manage", "enrol": "manage", "codes": "manage", "disable": "manage"}
    ENROL_KEY = "_bapas_enrol_key"  # the key being set up, until its first code confirms it

    def _me(self) -> Staff:
        return self.appbuilder.sm.get_user_by_id(g.user.id)

    @expose("/")
    @has_access
    def index(self) -> str:
        """Whether it is on, and what can be done."""
        me = self._me()
        return self.render_template(
            "mfa.html",
            enrolled=mfa.enrolled(me),
            required=mfa.required_for(me),
            codes_left=mfa.recovery_codes_left(me),
            form=CodeForm(),
        )

    @expose("/enrol/", methods=["GET", "POST"])
    @has_access
    @no_cache  # the key and the recovery codes stay out of every cache
    def enrol(self) -> str:
        """Show a new key (QR and text); its first code confirms it and gives recovery codes."""
        me = self._me()
        key = session.get(self.ENROL_KEY) or mfa.new_secret()
        session[self.ENROL_KEY] = key
        form = CodeForm()
        if form.validate_on_submit():
            step = mfa.matching_step(key, form.code.data)
            if step is not None:
                codes = mfa.enrol(me, key, step)
                sessions.end_all(me, keep_current=True)  # a session begun before it had one step only
                record_sign_in("mfa_enrolled", me)
                self.appbuilder.sm.session.commit()
                session.pop(self.ENROL_KEY, None)
                return self.render_template("mfa_codes.html", codes=codes)
            form.code.errors = [
                _("The code does not match. Check the phone's clock and type the newest code.")
            ]
        return self.render_template(
            "mfa_enrol.html",
            qr=mfa.qr_data_uri(key, me),
            key=mfa.grouped(key),
            form=form,
            required=mfa.required_for(me) and not mfa.enrolled(me),
        )

    @expose("/codes/", methods=["POST"])
    @has_access
    @no_cache
    def codes(self) -> Response | str:
        """Replace the recovery codes, confirmed by a current code."""
        me = self._me()
        form = CodeForm()
        if not (form.validate_on_submit() and mfa.enrolled(me) and mfa.verify(me, form.code.data)):
            flash(_("The code is wrong or has already been used."), "danger")
            return redirect(url_for(".index"))
        codes = mfa.new_recovery_codes(me)
        record_sign_in("mfa_recovery_codes", me)
        self.appbuilder.sm.session.commit()
        return self.render_template("mfa_codes.html", codes=codes)

    @expose("/disable/", methods=["POST"])
    @has_access
    def disable(self) -> Response:
        """Turn it off, confirmed by a current code; not for the roles that require it."""
        me = self._me()
        form = CodeForm()
        if mfa.required_for(me):
            flash(_("Your role requires two-step verification; it cannot be turned off."), "danger")
        elif not (form.validate_on_submit() and mfa.enrolled(me) and mfa.verify(me, form.code.data)):
            flash(_("The code is wrong or has already been used."), "danger")
        else:
            mfa.remove(me)
            record_sign_in("mfa_disabled", me)
            self.appbuilder.sm.session.commit()
            flash(_("Two-step verification is off."), "info")
        return redirect(url_for(".index"))
