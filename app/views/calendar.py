"""Admin's working-day calendar: extra holidays and corrections of estimated ones."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app import audit
from app.extensions import db
from app.formatting import fmt_date
from app.forms.fields import day
from app.forms.ranges import CALENDAR_DAY
from app.models.workflow import ExtraHoliday
from app.security import scope
from app.security.roles import CALENDAR
from app.views.base import BapasModelView, ScopedInterface
from app.workflow import recalendar


class ExtraHolidayView(BapasModelView):
    """Dates the `holidays` package does not know or gets wrong (cuti bersama, local decrees)."""

    datamodel = ScopedInterface(ExtraHoliday)
    class_permission_name = CALENDAR
    list_title = show_title = _l("Working-day calendar")
    add_title = _l("Add calendar day")
    edit_title = _l("Edit calendar day")
    label_columns = {
        "day": _l("Date"),
        "name": _l("Name"),
        "is_holiday": _l("Non-working day"),
        "office": _l("Office (empty: every office)"),
    }
    description_columns = {
        "is_holiday": _l(
            "Ticked: a holiday or cuti bersama. Unticked: a working day after all (correction)."
        ),
    }
    formatters_columns = {"day": fmt_date}
    list_columns = ["day", "name", "is_holiday", "office"]
    add_columns = edit_columns = show_columns = ["day", "name", "is_holiday", "office"]
    add_form_extra_fields = edit_form_extra_fields = {
        "day": day(_l("Date"), required=True, window=CALENDAR_DAY)
    }
    search_columns = ["day", "name", "is_holiday"]
    order_columns = ["day"]
    base_order = ("day", "desc")

    def pre_add(self, item: ExtraHoliday) -> None:
        self._own_office(item)
        super().pre_add(item)

    def pre_update(self, item: ExtraHoliday) -> None:
        state = inspect(item).attrs
        g.calendar_before = (
            {
                (state.day.history.deleted or [item.day])[0],
            },
            {(state.office_id.history.deleted or [item.office_id])[0]},
        )
        self._own_office(item)
        super().pre_update(item)

    def post_add(self, item: ExtraHoliday) -> None:
        _moved(item, {item.day}, {item.office_id})

    def post_update(self, item: ExtraHoliday) -> None:
        days, office_ids = g.pop("calendar_before", (set(), set()))
        _moved(item, days | {item.day}, office_ids | {item.office_id})

    def post_delete(self, item: ExtraHoliday) -> None:
        _moved(item, {item.day}, {item.office_id})

    def pre_delete(self, item: ExtraHoliday) -> None:
        admin = scope.current_staff()
        if admin is not None and admin.office_id is not None and item.office_id != admin.office_id:
            raise PermissionError(_l("Only the national Admin changes the days of every office."))

    @staticmethod
    def _own_office(item: ExtraHoliday) -> None:
        """An office's Admin keeps its office's regional days only; national days (no office) are the
        national Admin's."""
        admin = scope.current_staff()
        if admin is None or admin.office_id is None:
            return
        state = inspect(item)
        history = state.attrs.office_id.history
        before = history.deleted[0] if history.deleted else item.office_id
        if state.persistent and before != admin.office_id:
            raise PermissionError(_l("Only the national Admin changes the days of every office."))
        item.office_id, item.office = admin.office_id, None


def _moved(item: ExtraHoliday, days: set, office_ids: set) -> None:
    """The calendar changed: running instances' deadlines and measures follow, and the trail says so."""
    moved = recalendar.recompute(days, office_ids)
    audit.record_event(
        "recalendar",
        ExtraHoliday.__tablename__,
        item.id,
        {"days": sorted(day.isoformat() for day in days), "instances": moved},
    )
    db.session.commit()
