"""Admin's working-day calendar: extra holidays and corrections of estimated ones."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.formatting import fmt_date
from app.forms.fields import day
from app.models.workflow import ExtraHoliday
from app.security.roles import CALENDAR
from app.views.base import BapasModelView, ScopedInterface


class ExtraHolidayView(BapasModelView):
    """Dates the `holidays` package does not know or gets wrong (cuti bersama, local decrees)."""

    datamodel = ScopedInterface(ExtraHoliday)
    class_permission_name = CALENDAR
    list_title = show_title = _l("Working-day calendar")
    add_title = _l("Add calendar day")
    edit_title = _l("Edit calendar day")
    label_columns = {"day": _l("Date"), "name": _l("Name"), "is_holiday": _l("Non-working day")}
    description_columns = {
        "is_holiday": _l(
            "Ticked: a holiday or cuti bersama. Unticked: a working day after all (correction)."
        ),
    }
    formatters_columns = {"day": fmt_date}
    list_columns = ["day", "name", "is_holiday"]
    add_columns = edit_columns = show_columns = ["day", "name", "is_holiday"]
    add_form_extra_fields = edit_form_extra_fields = {"day": day(_l("Date"), required=True)}
    search_columns = ["day", "name", "is_holiday"]
    order_columns = ["day"]
    base_order = ("day", "desc")
