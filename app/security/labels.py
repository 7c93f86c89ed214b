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
    "can_act": _l("may carry out steps"),
    "can_agenda": _l("may draw up the agenda"),
    "can_assignment": _l("may download the assignment letter"),
    "can_attachment": _l("may download the scanned letter"),
    "can_decide": _l("may record decisions"),
    "can_evidence": _l("may download the evidence"),
    "can_invitations": _l("may download the invitations"),
    "can_letter": _l("may download the letter"),
    "can_preview": _l("may preview the draft letter"),
    "can_minutes": _l("may download the minutes"),
    "can_photo": _l("may view the photos"),
    "can_receipt": _l("may print the receipt"),
    "can_report": _l("may open the report"),
    "can_request": _l("may download the request letter"),
    "can_revoke": _l("may revoke"),
    "can_limit": _l("may set the longest trip permitted"),
    "can_sheet": _l("may download the disposition sheet"),
    "can_signature": _l("may view the signature"),
    "can_sign": _l("may sign the assignment letter"),
    "can_compile": _l("may compile the list"),
    "can_arrival": _l("may record the report on arrival"),
    "can_print": _l("may print"),
    "can_attend": _l("may record attendance"),
    "can_propose": _l("may propose"),
    "can_work": _l("may work at the service point"),
    "can_register": _l("may register"),
    "can_intake": _l("may record complaints"),
    "can_open": _l("may open"),
    "can_settings": _l("may choose settings"),
    "can_reassign": _l("may hand a departing colleague's work over"),
    "can_deactivate": _l("may deactivate the account"),
    "handover": _l("may open the handover of an account's work"),
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
    r.TASK: _l("Service steps (My tasks)"),
    r.TPP: _l("TPP sessions"),
    r.OUTREACH: _l("Outreach (Bambang Solah)"),
    r.LETTER: _l("Incoming letters"),
    r.EXPORT: _l("Exports"),
    r.COMPLAINT: _l("Complaints"),
    r.GROUP: _l("Group guidance"),
    r.TRANSFER: _l("Client transfers"),
    r.DUTY: _l("Duty roster"),
    r.PERMIT: _l("Travel permits"),
    r.GUIDANCE_LOG: _l("Guidance logs"),
    r.MOBILE: _l("BATAKO"),
    r.PROGRESS_REPORT: _l("Progress reports"),
    r.INSTANCE: _l("All services"),
    r.SUPERVISION: _l("Supervision overview"),
    r.VISITING: _l("Clients of other offices"),
    r.CALENDAR: _l("Working-day calendar"),
    r.NOTIFICATION: _l("Own notifications"),
    r.OUTBOX: _l("Notification outbox"),
    r.API_TOKEN: _l("API tokens"),
    r.STAFF_HANDOVER: _l("Handover of a departing colleague's work"),
    r.REPORTING_SCHEDULE: _l("Reporting schedules"),
    r.REPORTING: _l("Mandatory reporting"),
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
