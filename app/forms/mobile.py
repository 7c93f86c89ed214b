"""Forms of BATAKO (SOP 13), made for a phone or tablet in the field."""

from __future__ import annotations

from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.forms.fields import area, day, text
from app.forms.ranges import PLANNED


class MobileServiceForm(DynamicForm):
    """Plan a BATAKO service point: the town, the place and the day."""

    town = text(_l("Target town / district"), 120, True)
    place = text(_l("Place (e.g. village hall, police station)"), 200, True)
    held_on = day(_l("Date"), True, window=PLANNED)


class CheckInForm(FlaskForm):
    """A client reports: the guidance card (or register) number and the signature on the screen."""

    card = text(_l("Guidance card or register number"), 30, True)
    signature = HiddenField()


class MobileReportForm(FlaskForm):
    """The activity report of a BATAKO point."""

    report = area(_l("Activity report: clients served, issues, follow-up"), 5000, True)
