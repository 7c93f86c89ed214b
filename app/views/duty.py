"""The ABH duty roster (SOP 12): who is on duty now and this week, its weekly grid for the Kepala and
the Kasubsi BKA, and the day's sheet for the police (PDF)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.exports import attachment
from app.extensions import db
from app.models.duty import SLOTS
from app.models.notifications import NotificationPreference
from app.models.offices import Office
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import DUTY
from app.timeutil import utcnow
from app.workflow import duty, office_hours, roster


def _day_param(name: str, default: date) -> date:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400)


def _office_id() -> int:
    office_id = g.user.office_id
    if not office_id:
        abort(403)  # an account of no office has no roster
    return office_id


def _phones(rows: list) -> dict[int, str]:
    ids = {getattr(row, f"{slot}_id") for row in rows for slot in SLOTS} - {None}
    stmt = select(NotificationPreference.staff_id, NotificationPreference.whatsapp_number).where(
        NotificationPreference.staff_id.in_(ids)
    )
    return {staff_id: number for staff_id, number in db.session.execute(stmt) if number}


class DutyView(BaseView):
    """Jadwal piket ABH of the user's office."""

    route_base = "/duty"
    class_permission_name = DUTY
    base_permissions = ["can_list", "can_edit", "can_print"]
    method_permission_name = {"index": "list", "edit": "edit", "save": "edit", "sheet": "print"}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        """Who is on duty now, and the week (any week by ?week=)."""
        office_id = _office_id()
        now = utcnow()
        today = office_hours.duty_day(now)
        monday = roster.monday_of(_day_param("week", today))
        days = duty.week(office_id, monday)
        current = duty.roster_of(office_id, today)
        return self.render_template(
            "duty_roster.html",
            monday=monday,
            days=[monday + timedelta(days=n) for n in range(7)],
            rows=days,
            current=current,
            in_hours=office_hours.within(now, duty.calendar(office_id)),
            today=today,
            slots=SLOTS,
            labels=roster.SLOT_LABELS,
            editor=scope.edits_roster(g.user),
            phones=_phones([r for r in (current, *days.values()) if r is not None]),
            prev_week=monday - timedelta(days=7),
            next_week=monday + timedelta(days=7),
        )

    def _edit_page(self, monday: date, chosen: dict[tuple[int, str], str]) -> str:
        return self.render_template(
            "duty_roster_edit.html",
            monday=monday,
            days=[monday + timedelta(days=n) for n in range(7)],
            slots=SLOTS,
            labels=roster.SLOT_LABELS,
            candidates=roster.candidates(g.user.office_id),
            chosen=chosen,
        )

    @expose("/edit")
    @has_access
    def edit(self) -> str:
        """The week's grid: seven days by the five slots."""
        if not scope.edits_roster(g.user):
            abort(403)
        monday = roster.monday_of(_day_param("week", office_hours.duty_day(utcnow())))
        rows = duty.week(g.user.office_id, monday)
        chosen = {
            (n, slot): str(getattr(rows[d], f"{slot}_id") or "")
            for n in range(7)
            if (d := monday + timedelta(days=n)) in rows
            for slot in SLOTS
        }
        return self._edit_page(monday, chosen)

    @expose("/edit", methods=["POST"])
    @has_access
    def save(self) -> Response | tuple[str, int]:
        """Save the week; a slot given to someone who cannot hold it saves nothing."""
        if not scope.edits_roster(g.user):
            abort(403)
        monday = roster.monday_of(_day_param("week", office_hours.duty_day(utcnow())))
        chosen = {(n, slot): request.form.get(f"d{n}_{slot}", "")[:12] for n in range(7) for slot in SLOTS}
        errors = roster.save_week(g.user.office_id, monday, chosen)
        if errors:
            db.session.rollback()
            for message in errors:
                flash(message, "danger")
            return self._edit_page(monday, chosen), 400
        db.session.commit()
        flash(_("Duty roster saved."), "success")
        return redirect(url_for(".index", week=monday.isoformat()))

    @expose("/print")
    @has_access
    def sheet(self) -> Response:
        """The day's duty team on one page, with names and phone numbers, for the police."""
        office_id = _office_id()
        day = _day_param("day", office_hours.duty_day(utcnow()))
        row = duty.roster_of(office_id, day)
        office = db.session.get(Office, office_id)
        pdf = render_pdf(
            "pdf/duty_roster.html",
            office,
            day=day,
            row=row,
            slots=SLOTS,
            labels=roster.SLOT_LABELS,
            phones=_phones([row] if row else []),
            opening=office_hours.opening(),
        )
        return attachment(pdf, "application/pdf", f"jadwal-piket-{day:%Y%m%d}.pdf")
