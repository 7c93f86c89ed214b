"""Forms of group guidance (SOP 14)."""

from __future__ import annotations

from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TimeField, widgets
from wtforms.validators import InputRequired
from wtforms.widgets import TimeInput

from app.forms.fields import REQUIRED, day, text
from app.forms.ranges import PLANNED


class GroupSessionEditForm(DynamicForm):
    """A group guidance session: topic, date, start time (WIB) and place at the Bapas."""

    topic = text(_l("Topic"), 200, True)
    held_on = day(_l("Date"), True, window=PLANNED)
    starts_at = TimeField(
        _l("Start time (WIB)"),
        validators=[InputRequired(message=REQUIRED)],
        widget=TimeInput(),
        render_kw={"class": "form-control"},
    )
    place = text(_l("Place"), 200, True)


class GroupSessionForm(GroupSessionEditForm):
    """A new session: also the last day on which the section's PKs propose their clients."""

    proposals_due = day(_l("Last day for proposals"), True, window=PLANNED)


class ProposalForm(FlaskForm):
    """A PK's list of clients for a session."""

    clients = SelectMultipleField(
        _l("Clients to propose"), coerce=int, widget=Select2ManyWidget(), validate_choice=False
    )


class CompileForm(FlaskForm):
    """The Kasubsi's choice of proposed clients for the session list."""

    members = SelectMultipleField(
        _l("Clients on the session list"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validate_choice=False,
    )
