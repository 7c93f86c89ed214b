"""Indonesian display names for FAB's permission records, which FAB shows as raw names."""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Permission, PermissionView, ViewMenu
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.security import roles as r

PERMISSION_LABELS = {
    "can_list": _l("may list"),
    "can_show": _l("may view"),
    "can_add": _l("may add"),
    "can_edit": _l("may edit"),
    "can_delete": _l("may delete"),
    "can_download": _l("may download"),
    "menu_access": _l("menu access"),
    "can_handover": _l("may download the handover record"),
    "can_export": _l("may export"),
    "can_drill": _l("may open the rows behind a figure"),
    "can_userinfo": _l("may view own profile"),
    "resetmypassword": _l("may change own password"),
    "resetpasswords": _l("may reset passwords"),
    "userinfoedit": _l("may edit own profile"),
    "notificationchannels": _l("may choose own notification channels"),
    "copyrole": _l("may copy roles"),
    "can_this_form_get": _l("may open the form"),
    "can_this_form_post": _l("may submit the form"),
    "can_manage": _l("may manage"),
    "can_open": _l("may open"),
    "can_settings": _l("may choose settings"),
}
VIEW_LABELS = {
    r.CLIENT: _l("Client records"),
    r.CLIENT_REGISTER: _l("Client register"),
    r.CASE: _l("Cases"),
    r.AUDIT: _l("Audit trail"),
    r.PERFORMANCE: _l("Performance dashboard"),
    r.CASELOAD: _l("PK caseload"),
    r.OFFICE: _l("Offices"),
    r.REGION: _l("Regions"),
    "UserDBModelView": _l("Users"),
    "RoleModelView": _l("Roles"),
    "UserGroupModelView": _l("Groups"),
    "PermissionModelView": _l("Base Permissions"),
    "ViewMenuModelView": _l("Views/Menus"),
    "PermissionViewModelView": _l("Permission on Views/Menus"),
    "ResetMyPasswordView": _l("Change own password"),
    "ResetPasswordView": _l("Reset password"),
    "UserInfoEditView": _l("Edit own profile"),
    r.MFA: _l("Two-step verification"),
    r.NOTIFICATION: _l("Own notifications"),
    r.OUTBOX: _l("Notification outbox"),
}


def _permission(self: Permission) -> str:
    return str(PERMISSION_LABELS.get(self.name, self.name))


def view_label(name: str) -> str:
    """Indonesian name of a view or menu entry."""
    # Menu entries are named by their English label, which the catalogue translates.
    return str(VIEW_LABELS[name]) if name in VIEW_LABELS else _(name)


def _view_menu(self: ViewMenu) -> str:
    return view_label(self.name)


def _permission_view(self: PermissionView) -> str:
    return _("%(permission)s: %(view)s", permission=str(self.permission), view=str(self.view_menu))


def install() -> None:
    """Make FAB's permission screens read in Indonesian."""
    Permission.__repr__ = _permission
    ViewMenu.__repr__ = _view_menu
    PermissionView.__repr__ = _permission_view
