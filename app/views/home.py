"""The landing page after sign-in: each role's own starting point."""

from __future__ import annotations

from flask import current_app, g, redirect, request, url_for
from flask_appbuilder import IndexView, expose
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import audit_chain
from app.extensions import db
from app.formatting import fmt_date
from app.security.roles import SEES_EVERYTHING
from app.timeutil import today_wib
from app.workflow import inbox


def _count(n: int) -> str:
    """How many steps wait: the inbox counts up to SHOWN_ALL + 1."""
    if n > inbox.SHOWN_ALL:
        return _("more than %(n)s", n=format_decimal(inbox.SHOWN_ALL))
    return format_decimal(n)


class HomeView(IndexView):
    """'Tugas Saya': the steps waiting for the user, oldest first, and its team's overdue work."""

    route_base = ""
    index_template = "home.html"

    @expose("/")
    def index(self) -> Response | str:
        """Render the user's landing page."""
        user = g.user
        if user is None or not user.is_authenticated:
            # A citizen who types the office's address meets its public services, not a staff login.
            return redirect(url_for("portal.index"))
        links = [
            (item.label, item.get_url())
            for category in self.appbuilder.menu.get_list()
            for item in (category.childs or [category])
            if item.name != "-" and item.get_url() and self.appbuilder.sm.has_access("menu_access", item.name)
        ]
        # "Lihat semua" of one section: ?all=tasks or ?all=escalated (anything else: the usual page).
        shown_all = request.args.get("all")
        shown = current_app.config.get("BAPAS_INBOX_SHOWN", inbox.SHOWN)
        tasks = inbox.inbox(user, inbox.SHOWN_ALL if shown_all == "tasks" else shown)
        escalated = inbox.escalations(user, inbox.SHOWN_ALL if shown_all == "escalated" else shown)
        return self.render_template(
            self.index_template,
            user=user,
            roles=", ".join(sorted(user.role_names)),
            today=fmt_date(today_wib()),
            links=links,
            tasks=tasks,
            escalated=escalated,
            fmt_count=_count,
            departures=inbox.departures(tasks.rows + escalated.rows),
            audit_alert=audit_chain.latest_alert(db.session)
            if user.role_names & set(SEES_EVERYTHING)
            else None,
        )
