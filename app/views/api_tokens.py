"""API tokens on screen: the Admin issues a token to a service account (shown once) and revokes it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.formatting import fmt_datetime
from app.forms.api_tokens import ApiTokenForm
from app.models.api import ApiToken, hash_token, new_token
from app.models.staff import Staff
from app.security import scope
from app.security.roles import ADMIN, API_TOKEN
from app.timeutil import WIB, utcnow
from app.views.base import BapasModelView, ScopedInterface


def _accounts() -> list[tuple[int, str]]:
    """Active accounts of the Admin's offices that may hold a token (never an Admin's)."""
    stmt = (
        select(Staff)
        .where(Staff.active.is_(True), scope.staff_clause(scope.current_staff()))
        .order_by(Staff.username)
    )
    return [
        (s.id, f"{s.username} — {s.full_name}") for s in db.session.scalars(stmt) if ADMIN not in s.role_names
    ]


class ApiTokenView(BapasModelView):
    """Tokens of the service accounts that call the REST API."""

    datamodel = ScopedInterface(ApiToken, eager=("account",))
    class_permission_name = API_TOKEN
    base_permissions = ["can_list", "can_show", "can_add", "can_revoke"]
    list_title = show_title = _l("API tokens")
    label_columns = {
        "name": _l("Name"),
        "account": _l("Service account"),
        "hint": _l("Token begins with"),
        "created_at": _l("Issued at"),
        "expires_at": _l("Valid until"),
        "revoked_at": _l("Revoked at"),
        "last_used_at": _l("Last used"),
    }
    list_columns = ["name", "account", "hint", "expires_at", "revoked_at", "last_used_at"]
    show_columns = ["name", "account", "hint", "created_at", "expires_at", "revoked_at", "last_used_at"]
    search_columns = ["name"]
    order_columns = ["name", "expires_at"]
    base_order = ("id", "desc")
    show_template = "api_token_show.html"
    MOMENTS = ("created_at", "expires_at", "revoked_at", "last_used_at")
    # The hint is a code the Admin compares with a partner's token, not words: shown as code.
    formatters_columns = dict.fromkeys(MOMENTS, fmt_datetime) | {
        "hint": lambda hint: Markup("<code>{}…</code>").format(hint)
    }

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> Any:
        """Issue a token; it is shown on this page once and only its hash is kept."""
        form = ApiTokenForm()
        form.account_id.choices = _accounts()
        if form.validate_on_submit():
            token = new_token()
            record = ApiToken(
                name=form.name.data,
                account_id=form.account_id.data,
                token_hash=hash_token(token),
                hint=token[:12],
                created_by_id=scope.current_staff().id,
                expires_at=datetime.combine(form.expires_on.data, time(23, 59, 59), WIB),
            )
            db.session.add(record)
            db.session.commit()
            return self.render_template("api_token_created.html", token=token, record=record)
        return self.render_template(
            "form_page.html", form=form, title=_("Issue an API token"), submit_label=_("Issue")
        )

    @expose("/revoke/<int:pk>", methods=["POST"])
    @has_access
    def revoke(self, pk: int) -> Response:
        """Revoke a token at once (CSRF-checked POST)."""
        record = scope.get_or_404(ApiToken, pk)
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            db.session.commit()
        flash(_("The token was revoked; calls with it are refused from now on."), "success")
        return redirect(url_for(".show", pk=pk))
