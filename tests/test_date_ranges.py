"""Every date a person enters has a plausible window (issue #17, item 12): a walk over every form and
every add/edit screen, so that a new date field without a window fails here; the windows' edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask_appbuilder import ModelView
from sqlalchemy import Date, DateTime
from wtforms import DateField, Form
from wtforms.fields import DateTimeField, TimeField
from wtforms.fields.core import UnboundField

from app.forms import ranges
from app.forms.ranges import InWindow
from app.security.roles import ROLE_PERMISSIONS
from app.timeutil import WIB

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # a Monday
TODAY = NOW.date()


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def _validators(unbound: UnboundField) -> list:
    if "validators" in unbound.kwargs:
        return list(unbound.kwargs["validators"] or [])
    return list(unbound.args[1]) if len(unbound.args) > 1 else []


def date_fields(form: type) -> dict[str, UnboundField]:
    """The date and date-time fields a form class declares, by name (a time of day has no date)."""
    return {
        name: value
        for name in dir(form)
        if not name.startswith("__")
        and isinstance(value := getattr(form, name, None), UnboundField)
        and issubclass(value.field_class, DateTimeField)
        and not issubclass(value.field_class, TimeField)
    }


def unwindowed(form: type) -> list[str]:
    """The date fields of a form that take no window."""
    return [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for name, unbound in date_fields(form).items()
        if not any(isinstance(v, InWindow) for v in _validators(unbound))
    ]


def model_views(app) -> list[ModelView]:
    """Every model view the app registers."""
    from app.extensions import appbuilder

    with app.app_context():
        return [view for view in appbuilder.baseviews if isinstance(view, ModelView)]


def granted(view: ModelView, kind: str) -> bool:
    """Whether some role may open the view's add or edit screen (FAB builds forms nobody reaches)."""
    wanted = (f"can_{kind}", view.class_permission_name)
    return any(wanted in pairs for pairs in ROLE_PERMISSIONS.values())


def test_the_walk_finds_a_date_field_without_a_window():
    class Careless(Form):
        planned = DateField("Rencana")

    assert unwindowed(Careless) == [
        f"{__name__}.test_the_walk_finds_a_date_field_without_a_window.<locals>.Careless.planned"
    ]


def test_every_date_field_of_every_form_has_a_window(app):
    # (FAB's forms built from columns, app.views.base.EditForm included, are walked per screen below.)
    forms = [
        cls for cls in _subclasses(Form) if cls.__module__.startswith("app.") and cls.__name__ != "EditForm"
    ]
    fields = [name for cls in forms for name in date_fields(cls)]
    assert len(fields) >= 25, "the walk found too few date fields: has the form code moved?"
    assert [name for cls in forms for name in unwindowed(cls)] == []


def test_every_add_and_edit_screen_windows_its_dates(app):
    """FAB builds forms from the columns: a Date or DateTime column on an add or edit screen must
    arrive at a field with a window (form_args, a form of app/forms, or an extra field)."""
    missing, seen = [], 0
    for view in model_views(app):
        table = view.datamodel.obj.__table__
        dated = {c.name for c in table.columns if isinstance(c.type, (Date, DateTime))}
        for kind in ("add", "edit"):
            columns = getattr(view, f"{kind}_columns", None) or []
            form = getattr(view, f"{kind}_form", None)
            if form is None or not columns or not granted(view, kind):
                continue
            if getattr(type(view), kind) is not getattr(ModelView, kind):
                continue  # its own screen uses a form of app/forms, walked above
            fields = date_fields(form)
            for column in dated & set(columns):
                seen += 1
                if column not in fields:
                    missing.append(f"{type(view).__name__}.{kind}: {column} has no date field")
            missing += [f"{type(view).__name__}.{kind}: {name}" for name in unwindowed(form)]
    assert seen >= 10, "the walk found too few dated columns on screens"
    assert missing == []


@pytest.mark.parametrize(
    ("window", "low", "high"),
    [
        (ranges.RECEIVED, TODAY - timedelta(days=60), TODAY),
        (ranges.LETTER_DATE, TODAY - timedelta(days=365), TODAY),
        (ranges.PLANNED, TODAY, TODAY + timedelta(days=365)),
        (ranges.SITTING, TODAY - timedelta(days=60), TODAY + timedelta(days=365)),
        (ranges.BIRTH, date(1900, 1, 1), date(2014, 11, 23)),
        (ranges.TOKEN_EXPIRY, TODAY + timedelta(days=1), TODAY + timedelta(days=366)),
        (ranges.PERIOD, date(2000, 1, 1), date(2100, 12, 31)),
    ],
)
def test_window_edges(app, clock, window, low, high):
    clock(NOW)
    assert window.bounds(TODAY) == (low, high)
    with app.test_request_context():
        assert ranges.refusal_for(window, low, "Tanggal") is None
        assert ranges.refusal_for(window, high, "Tanggal") is None
        for outside in (low - timedelta(days=1), high + timedelta(days=1)):
            refusal = ranges.refusal_for(window, outside, "Tanggal")
            assert refusal.startswith("Tanggal harus antara "), refusal


def test_a_moment_received_later_today_is_refused(app, clock):
    clock(NOW)
    with app.test_request_context():
        assert ranges.refusal_for(ranges.RECEIVED, datetime(2026, 11, 23, 8, 59), "Diterima") is None
        refusal = ranges.refusal_for(ranges.RECEIVED, datetime(2026, 11, 23, 9, 1), "Diterima")
        assert refusal and refusal.endswith(
            "dan sekarang: tidak di masa depan dan paling lama 60 hari yang lalu."
        )


def test_a_birthday_on_29_february_has_an_edge():
    assert ranges.years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("category", "born", "refused"),
    [
        ("anak", date(1970, 5, 1), "Anak berusia di bawah 18 tahun; klien ini berusia 56 tahun"),
        ("anak", date(2008, 11, 23), "berusia 18 tahun pada 23 November 2026"),  # 18 today: no longer a child
        ("anak", date(2008, 11, 24), None),  # 17 until tomorrow
        ("anak", date(2014, 11, 23), None),  # 12 today
        ("anak", date(2014, 11, 24), "paling rendah 12 tahun"),
        ("dewasa", date(2008, 11, 24), "Dewasa berusia 18 tahun atau lebih; klien ini berusia 17 tahun"),
        ("dewasa", date(2008, 11, 23), None),
        ("dewasa", date(1900, 1, 1), None),
        ("anak", None, None),  # no date of birth: nothing to compare
    ],
)
def test_the_category_follows_the_age(app, category, born, refused):
    with app.test_request_context():
        answer = ranges.category_refusal(category, born, TODAY, "Kategori")
    if refused is None:
        assert answer is None
    else:
        assert answer.startswith("Kategori: ") and refused in answer, answer
