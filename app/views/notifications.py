"""The bell: one's own notifications, each opening its task; the channels one chooses; and the
Admin's outbox, which shows the delivery state of notices (never their text)."""

from __future__ import annotations

import re

from flask import Flask, abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select, update
from werkzeug.wrappers import Response

from app.extensions import db
from app.formatting import choice_label, fmt_datetime
from app.forms.notifications import ChannelsForm
from app.models.notifications import APP, CHANNELS, KINDS, STATUSES, Notification, NotificationPreference
from app.notifications.schedule import quiet_hours
from app.security import scope
from app.security.roles import NOTIFICATION, OUTBOX
from app.timeutil import utcnow
from app.views.base import BapasModelView, ScopedInterface

PAGE = 30


def _mine() -> ColumnElement[bool]:
    return scope.addressed_to(g.user) & (Notification.channel == APP)


def unread_count() -> int:
    """How many of the signed-in user's notifications are unread (the bell's badge)."""
    user = scope.current_staff()
    if user is None:
        return 0
    if "_bapas_unread" not in g:
        stmt = select(func.count(Notification.id)).where(_mine(), Notification.read_at.is_(None))
        g._bapas_unread = db.session.scalar(stmt) or 0
    return g._bapas_unread


class NotificationView(BaseView):
    """One's own notifications, newest first; opening one marks it read and goes to its task."""

    route_base = "/notifications"
    class_permission_name = NOTIFICATION
    base_permissions = ["can_list", "can_open", "can_settings"]
    method_permission_name = {"list": "list", "open": "open", "read_all": "open", "settings": "settings"}
    default_view = "list"

    @expose("/list/")
    @has_access
    def list(self) -> str:
        """The list, a page at a time."""
        page = max(request.args.get("page", 0, type=int), 0)
        stmt = (
            select(Notification)
            .where(_mine())
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(page * PAGE)
            .limit(PAGE + 1)
        )
        rows = list(db.session.scalars(stmt))
        return self.render_template(
            "notifications.html", rows=rows[:PAGE], page=page, more=len(rows) > PAGE, kinds=KINDS
        )

    @expose("/open/<int:pk>")
    @has_access
    def open(self, pk: int) -> Response:
        """Mark one read and open its task (another person's notification is not found)."""
        item = db.session.scalar(select(Notification).where(Notification.id == pk, _mine()))
        if item is None:
            abort(404)
        if item.read_at is None:
            item.read_at = utcnow()
            db.session.commit()
        link = item.link or ""
        if not link.startswith("/") or link.startswith("//"):
            link = url_for(".list")
        return redirect(link)

    @expose("/read-all", methods=["POST"])
    @has_access
    def read_all(self) -> Response:
        """Mark every notification read."""
        db.session.execute(
            update(Notification).where(_mine(), Notification.read_at.is_(None)).values(read_at=utcnow())
        )
        db.session.commit()
        return redirect(url_for(".list"))

    @expose("/settings", methods=["GET", "POST"])
    @has_access
    def settings(self) -> Response | str:
        """Choose e-mail and WhatsApp besides the bell."""
        chosen = db.session.get(NotificationPreference, g.user.id) or NotificationPreference(
            staff_id=g.user.id, email=True, whatsapp=False
        )
        form = ChannelsForm(obj=chosen)
        if form.validate_on_submit():
            chosen.email, chosen.whatsapp = form.email.data, form.whatsapp.data
            number = re.sub(r"[\s().-]", "", form.whatsapp_number.data or "")
            chosen.whatsapp_number = number or None
            db.session.add(chosen)
            db.session.commit()
            flash(_("Your notification channels are saved."), "success")
            return redirect(url_for(".settings"))
        window = quiet_hours()
        return self.render_template(
            "notification_settings.html",
            form=form,
            email=g.user.email,
            quiet=f"{window[0]:%H:%M}–{window[1]:%H:%M}" if window else None,
        )


class NotificationOutboxView(BapasModelView):
    """The Admin's outbox: what waits, what was sent and what failed, with the last error."""

    datamodel = ScopedInterface(Notification, eager=("staff",))
    class_permission_name = OUTBOX
    base_permissions = ["can_list"]
    base_filters = [["channel", FilterNotEqual, APP]]
    list_title = _l("Notification outbox")
    list_columns = ["created_at", "recipient", "channel", "kind", "status", "attempts", "next_attempt_at",
                    "last_error"]  # fmt: skip
    search_columns = ["status", "channel", "kind", "created_at"]
    order_columns = ["created_at", "status", "attempts", "next_attempt_at"]
    base_order = ("id", "desc")
    label_columns = {
        "created_at": _l("Written at"),
        "recipient": _l("Recipient"),
        "channel": _l("Channel"),
        "kind": _l("Kind"),
        "status": _l("Status"),
        "attempts": _l("Attempts"),
        "next_attempt_at": _l("Next attempt"),
        "last_error": _l("Last error"),
    }
    formatters_columns = {
        "created_at": fmt_datetime,
        "next_attempt_at": fmt_datetime,
        "channel": choice_label(CHANNELS),
        "kind": choice_label(KINDS),
        "status": choice_label(STATUSES),
    }


def register(app: Flask) -> None:
    """The bell's count, for the navbar of every staff page."""
    app.add_template_global(unread_count, "bapas_unread")
