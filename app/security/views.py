"""Account screens: Admin's user screens with the staff profile fields; one's own password and
two-step verification."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterNotEqual
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
from werkzeug.wrappers import Response
from wtforms import Field, SelectField
from wtforms.validators import Optional, Regexp, ValidationError

from app.models.staff import SECTIONS
from app.security.accounts import KeptAccounts
from app.security.grants import SelfGrantError, refuse_self_grant
from app.security.labels import PERMISSION_LABELS, view_label
from app.security.passwords import OwnPasswordForm, PasswordResetForm, new_password_field
from app.security.roles import DITJENPAS, KANWIL, PUBLIC, SECTIONED_ROLES
from app.views.base import KnownActionsOnly


def _section_field() -> SelectField:
    return SelectField(
        _l("Section"),
        choices=[("", "—"), *SECTIONS.items()],
        description=_l("Required for Kasubsi and PK"),
        widget=Select2Widget(),
        validators=[Optional()],
    )


def _no_self_grant(view: Any, item: Any) -> None:
    """Refuse, with nothing kept in the session, a form that gives its user a role or permission."""
    try:
        refuse_self_grant(view.datamodel.session, [item])
    except SelfGrantError:
        view.datamodel.session.rollback()
        raise


class NoSelfGrant:
    """Add and edit refuse to give the signed-in user a role or a permission."""

    def pre_add(self, item: Any) -> None:
        _no_self_grant(self, item)
        super().pre_add(item)  # type: ignore[misc]

    def pre_update(self, item: Any) -> None:
        _no_self_grant(self, item)
        super().pre_update(item)  # type: ignore[misc]


def role_required(_form: Any, field: Field) -> None:
    """At least one existing role: an account without one can do nothing, and FAB's own check
    reads a groups field these screens do not have (a KeyError, i.e. a 500)."""
    if not field.data:
        raise ValidationError(_l("Choose at least one valid role."))


class StaffUserView(KnownActionsOnly, KeptAccounts, NoSelfGrant, UserDBModelView):
    """FAB's user view with NIP, position and section; accounts that records name are deactivated
    (after their work is handed over), never deleted."""

    class_permission_name = "UserDBModelView"

    _profile = ["nip", "position", "section", "office", "region"]
    label_columns = {
        **UserDBModelView.label_columns,
        "nip": _l("NIP"),
        "position": _l("Position"),
        "section": _l("Section"),
        "office": _l("Office"),
        "region": _l("Region (Kanwil accounts only)"),
    }
    # FAB's help texts speak of LDAP and OpenID sign-in, which this office does not use.
    description_columns = {
        "first_name": _l("First name or names"),
        "last_name": _l("Last name (may stay empty)"),
        "username": _l("The name used to sign in"),
        "active": _l("Deactivate an account instead of deleting it: its records keep its name."),
        "email": _l("Work e-mail address; it also signs in"),
        "roles": _l("Each role gives the menus and permissions of that job"),
        "conf_password": _l("Type the password again"),
    }
    # The portal's role (no account signs in with it) is not offered.
    add_form_query_rel_fields = edit_form_query_rel_fields = {"roles": [["name", FilterNotEqual, PUBLIC]]}
    validators_columns = {
        "roles": [role_required],
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

    def _check_profile(self, item: Any) -> None:
        # Blank optional fields are stored as NULL (a second blank NIP must not clash with the first),
        # before anything can flush the form's values half-way.
        with self.datamodel.session.no_autoflush:
            for field in self._profile:
                setattr(item, field, getattr(item, field) or None)
            if item.section is None and {r.name for r in item.roles} & set(SECTIONED_ROLES):
                raise ValueError(_l("Kasubsi and PK accounts need a section (BKA or BKD)."))
        self._check_office(item)

    @staticmethod
    def _check_office(item: Any) -> None:
        from app import offices
        from app.security import scope

        roles = {r.name for r in item.roles}
        admin = scope.current_staff()
        oversight = roles & {KANWIL, DITJENPAS}
        if admin is not None and admin.office_id:
            if oversight:
                raise ValueError(_l("Only the national Admin gives the Kanwil and Ditjenpas roles."))
            # An office's Admin makes and keeps accounts of its own office only.
            item.office_id, item.office = admin.office_id, None
        elif oversight:
            # Oversight accounts belong to no office: the Kanwil to its region, Ditjenpas to none.
            item.office_id, item.office = None, None
            if DITJENPAS in roles:
                item.region_id, item.region = None, None
            elif item.region is None and item.region_id is None:
                raise ValueError(_l("A Kanwil account needs its region."))
        elif item.office is None and item.office_id is None:
            item.office_id = offices.single_office_id()
        if not oversight or DITJENPAS in roles:
            item.region_id, item.region = None, None  # a region means nothing to an office's account
        if (
            item.office is None
            and item.office_id is None
            and not oversight
            and not roles & set(scope.NATIONAL_ROLES)
        ):
            raise ValueError(_l("Choose the office the account works in."))

    @expose("/userinfo/")
    @has_access
    def userinfo(self) -> str:
        """One's profile (FAB's), with the choice of one's notification channels among its actions."""
        names = ("resetmypassword", "userinfoedit", "notificationchannels")
        actions = {name: self.actions.get(name) for name in names}
        item = self.datamodel.get(g.user.id, self._base_filters)
        widgets = self._get_show_widget(
            g.user.id, item, actions=actions, show_fieldsets=self.user_show_fieldsets
        )
        self.update_redirect()
        return self.render_template(
            self.show_template, title=self.user_info_title, widgets=widgets, appbuilder=self.appbuilder
        )

    @action("notificationchannels", _l("Notification channels"), "", "fa-bell", multiple=False)
    def notificationchannels(self, _item: Any) -> Response:
        """From one's profile to the choice of one's own notification channels."""
        return redirect(url_for("NotificationView.settings"))

    @action("handover", _l("Hand over work and deactivate"), "", "fa-user-times", multiple=False)
    def handover(self, item: Any) -> Response:
        """From an account to what it holds, its reassignment and its deactivation."""
        return redirect(url_for("StaffHandoverView.show", pk=item.id))

    def pre_add(self, item: Any) -> None:
        self._check_profile(item)
        item.must_change_password = True  # Admin knows it; the person chooses their own
        super().pre_add(item)

    def pre_update(self, item: Any) -> None:
        self.check_deactivation(item)
        self._check_profile(item)
        super().pre_update(item)


class OwnPasswordView(ResetMyPasswordView):
    """One's own new password: the current one first, then the policy."""

    class_permission_name = "ResetMyPasswordView"
    form = OwnPasswordForm


class PasswordResetView(ResetPasswordView):
    """Admin sets another account's password, held to the policy; it must be changed at next sign-in."""

    class_permission_name = "ResetPasswordView"
    form = PasswordResetForm


class StaffGroupView(KnownActionsOnly, NoSelfGrant, UserGroupModelView):
    """FAB's group view with every column labelled."""

    class_permission_name = "UserGroupModelView"
    # A relation searched would put every related row (every account) into the page.
    search_columns = ["name", "label"]
    label_columns = {
        "name": _l("Name"),
        "label": _l("Label"),
        "description": _l("Description"),
        "users": _l("Users"),
        "roles": _l("Roles"),
    }


class StaffRoleView(KnownActionsOnly, NoSelfGrant, RoleModelView):
    """FAB's role view; its search filters labelled too."""

    class_permission_name = "RoleModelView"
    search_columns = ["name"]
    label_columns = {**RoleModelView.label_columns, "user": _l("Users"), "groups": _l("Groups")}


class PermissionPairView(KnownActionsOnly, PermissionViewModelView):
    """FAB's permission-on-view list, in words."""

    class_permission_name = "PermissionViewModelView"
    search_columns = ["permission"]
    label_columns = {**PermissionViewModelView.label_columns, "role": _l("Roles")}


class PermissionNameView(KnownActionsOnly, PermissionModelView):
    """FAB's base permission list, in words."""

    class_permission_name = "PermissionModelView"
    formatters_columns = {"name": lambda name: str(PERMISSION_LABELS.get(name, name))}
    label_columns = {**PermissionModelView.label_columns, "role": _l("Roles")}


class ViewMenuNameView(KnownActionsOnly, ViewMenuModelView):
    """FAB's view/menu list, in words."""

    class_permission_name = "ViewMenuModelView"
    formatters_columns = {"name": view_label}
