"""Offices and regions on screen: the national Admin adds and edits them all; an office's Admin sees
its own office (and region) and edits only its letterhead, contacts and letter prefix."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.extensions import db
from app.forms.offices import (
    CONTACT_COLUMNS,
    DESCRIPTIONS,
    LABELS,
    OwnOfficeForm,
    national_fields,
    region_fields,
)
from app.models.offices import OFFICE_CLASSES, Office, Region
from app.security import scope
from app.security.roles import OFFICE, REGION
from app.views.base import BapasModelView, ScopedInterface

F = TypeVar("F", bound=Callable[..., Any])


def national_only(method: F) -> F:
    """Refuse (403) whoever is not a national account: an office's Admin adds no office or region."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not scope.is_national(scope.current_staff()):
            abort(403)
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class NationalRegistryView(BapasModelView):
    """A national register (offices, regions): only a national account adds to it."""

    @expose("/add", methods=["GET", "POST"])
    @has_access
    @national_only
    def add(self) -> Any:
        """A new entry: the national Admin's only."""
        return super().add()


class OfficeView(NationalRegistryView):
    """The offices (Bapas) of the instance."""

    datamodel = ScopedInterface(Office, eager=("region",))
    class_permission_name = OFFICE
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = show_title = _l("Offices")
    add_title = _l("Add office")
    edit_title = _l("Edit office")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    formatters_columns = {"office_class": lambda value: str(OFFICE_CLASSES.get(value, value))}
    list_columns = ["code", "short_name", "office_class", "city", "region"]
    show_columns = [
        "code", "name", "short_name", "office_class", "city", "address", "phone", "email", "letter_prefix",
        "region",
    ]  # fmt: skip
    add_columns = edit_columns = show_columns
    add_form_extra_fields = edit_form_extra_fields = national_fields()
    search_columns = ["code", "name", "city", "region"]
    order_columns = ["code", "short_name", "city"]
    base_order = ("code", "asc")

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk: Any) -> Any:
        """The national Admin edits every field; an office's Admin its own office's contacts."""
        if scope.is_national(scope.current_staff()):
            return super().edit(pk)
        office = scope.get_or_404(Office, pk)
        form = OwnOfficeForm(obj=office)
        if form.validate_on_submit():
            for column in CONTACT_COLUMNS:
                setattr(office, column, getattr(form, column).data or None)
            db.session.commit()
            flash(_("Changed the office's letterhead and contacts."), "success")
            return redirect(url_for(".show", pk=office.id))
        return self.render_template(
            "form_page.html", form=form, title=self.edit_title, submit_label=_("Save")
        )


class RegionView(NationalRegistryView):
    """The regional offices (Kanwil) and their Bapas."""

    datamodel = ScopedInterface(Region)
    class_permission_name = REGION
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = show_title = _l("Regions")
    add_title = _l("Add region")
    edit_title = _l("Edit region")
    label_columns = {**LABELS, "name": _l("Name")}
    list_columns = ["code", "name"]
    show_columns = ["code", "name", "offices"]
    add_columns = edit_columns = ["code", "name"]
    add_form_extra_fields = edit_form_extra_fields = region_fields()
    search_columns = ["code", "name"]
    order_columns = ["code", "name"]
    base_order = ("code", "asc")

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    @national_only
    def edit(self, pk: Any) -> Response | Any:
        """A region's code and name: the national Admin's only."""
        return super().edit(pk)
