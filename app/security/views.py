"""Admin's user screens, with the staff profile fields."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.security.views import (
    PermissionModelView,
    PermissionViewModelView,
    ResetMyPasswordView,
    ResetPasswordView,
    RoleModelView,
    UserDBModelView,
    UserGroupModelView,
    ViewMenuModelView,
)
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional, Regexp

from app.models.staff import SECTIONS
from app.security.labels import PERMISSION_LABELS, view_label
from app.security.passwords import OwnPasswordForm, PasswordResetForm, new_password_field
from app.security.roles import SECTIONED_ROLES


def _section_field() -> SelectField:
    return SelectField(
        _l("Section"),
        choices=[("", "—"), *SECTIONS.items()],
        description=_l("Required for Kasubsi and PK"),
        widget=Select2Widget(),
        validators=[Optional()],
    )


class StaffUserView(UserDBModelView):
    """FAB's user view with NIP, position and section."""

    class_permission_name = "UserDBModelView"

    _profile = ["nip", "position", "section"]
    label_columns = {
        **UserDBModelView.label_columns,
        "nip": _l("NIP"),
        "position": _l("Position"),
        "section": _l("Section"),
    }
    validators_columns = {
        **UserDBModelView.validators_columns,
        "nip": [Optional(), Regexp(r"^\d{18}$", message=_l("NIP must be 18 digits."))],
    }
    list_columns = ["first_name", "last_name", "username", "nip", "section", "active", "roles"]
    search_columns = ["first_name", "last_name", "username", "nip", "section", "active", "roles"]
    add_columns = [*UserDBModelView.add_columns[:6], *_profile, "password", "conf_password"]
    edit_columns = [*UserDBModelView.edit_columns[:6], *_profile]
    show_fieldsets = [
        (UserDBModelView.show_fieldsets[0][0], {"fields": ["username", "active", "roles"]}),
        (
            UserDBModelView.show_fieldsets[1][0],
            {"fields": ["first_name", "last_name", "email", *_profile], "expanded": True},
        ),
        UserDBModelView.show_fieldsets[2],
    ]
    user_show_fieldsets = [
        (UserDBModelView.show_fieldsets[0][0], {"fields": ["username", "roles"]}),
        (
            UserDBModelView.show_fieldsets[1][0],
            {"fields": ["first_name", "last_name", "email", *_profile], "expanded": True},
        ),
    ]
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        "password": new_password_field(lambda form: form.username.data),
        "section": _section_field(),
    }
    edit_form_extra_fields = {"section": _section_field()}

    @staticmethod
    def _check_section(item: Any) -> None:
        item.section = item.section or None
        if item.section is None and {r.name for r in item.roles} & set(SECTIONED_ROLES):
            raise ValueError(_l("Kasubsi and PK accounts need a section (BKA or BKD)."))

    def pre_add(self, item: Any) -> None:
        self._check_section(item)
        item.must_change_password = True  # Admin knows it; the person chooses their own
        super().pre_add(item)

    def pre_update(self, item: Any) -> None:
        self._check_section(item)
        super().pre_update(item)


class OwnPasswordView(ResetMyPasswordView):
    """One's own new password: the current one first, then the policy."""

    class_permission_name = "ResetMyPasswordView"
    form = OwnPasswordForm


class PasswordResetView(ResetPasswordView):
    """Admin sets another account's password, held to the policy; it must be changed at next sign-in."""

    class_permission_name = "ResetPasswordView"
    form = PasswordResetForm


class StaffGroupView(UserGroupModelView):
    """FAB's group view with every column labelled."""

    class_permission_name = "UserGroupModelView"
    label_columns = {
        "name": _l("Name"),
        "label": _l("Label"),
        "description": _l("Description"),
        "users": _l("Users"),
        "roles": _l("Roles"),
    }


class StaffRoleView(RoleModelView):
    """FAB's role view; its search filters labelled too."""

    class_permission_name = "RoleModelView"
    label_columns = {**RoleModelView.label_columns, "user": _l("Users"), "groups": _l("Groups")}


class PermissionPairView(PermissionViewModelView):
    """FAB's permission-on-view list, in words."""

    class_permission_name = "PermissionViewModelView"
    label_columns = {**PermissionViewModelView.label_columns, "role": _l("Roles")}


class PermissionNameView(PermissionModelView):
    """FAB's base permission list, in words."""

    class_permission_name = "PermissionModelView"
    formatters_columns = {"name": lambda name: str(PERMISSION_LABELS.get(name, name))}
    label_columns = {**PermissionModelView.label_columns, "role": _l("Roles")}


class ViewMenuNameView(ViewMenuModelView):
    """FAB's view/menu list, in words."""

    class_permission_name = "ViewMenuModelView"
    formatters_columns = {"name": view_label}
