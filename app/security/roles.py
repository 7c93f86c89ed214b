"""The roles of the Bapas back office and their exact permissions, declared as data.

`flask bapas sync-roles` makes the database match this module; tests write the
expected matrix out by hand rather than reading it from here.
"""

from __future__ import annotations

KEPALA, KASUBSI, PK, TU, PENGADUAN, PENGAWAS, ADMIN = (
    "Kepala",
    "Kasubsi",
    "PK",
    "TU",
    "Pengaduan",
    "Pengawas",
    "Admin",
)
STAFF_ROLES = (KEPALA, KASUBSI, PK, TU, PENGADUAN, PENGAWAS, ADMIN)
PUBLIC = "Public"  # the applicant on the public portal: no account, identified by a receipt code
# Actor of a step that belongs to the staff member named on the instance, whatever their role
# (e.g. the official the Kepala directs a complaint to).
ASSIGNEE = "Assignee"
SECTIONED_ROLES = (KASUBSI, PK)
SEES_EVERYTHING = (KEPALA, PENGAWAS)

# View permission names (class_permission_name), stable across renames of classes.
CLIENT = "Client"
CLIENT_REGISTER = "ClientRegister"
CASE = "Case"
AUDIT = "AuditLog"
TASK = "Task"
LETTER = "IncomingLetter"
INSTANCE = "ServiceInstance"
CALENDAR = "ExtraHoliday"
PERMIT = "TravelPermit"
TPP = "TppSession"
OUTREACH = "Outreach"
COMPLAINT = "Complaint"

# Menu entries (the key FAB stores for "menu_access").
MENU_CLIENTS = "Clients"
MENU_CLIENT_LIST = "Client list"
MENU_CLIENT_REGISTER = "Client register"
MENU_CASES = "Cases"
MENU_OVERSIGHT = "Oversight"
MENU_AUDIT = "Audit trail"
MENU_SECURITY = "Security"
MENU_SERVICES = "Services"
MENU_LETTERS = "Incoming letters"
MENU_REGISTER_LETTER = "Register incoming letter"
MENU_INSTANCES = "All services"
MENU_REFERENCE = "Reference data"
MENU_CALENDAR = "Working-day calendar"
MENU_PERMITS = "Travel permits"
MENU_TPP = "TPP sessions"
MENU_OUTREACH = "Outreach (Bambang Solah)"
MENU_COMPLAINTS = "Complaints"
MENU_COMPLAINT_LIST = "Complaint list"
MENU_COMPLAINT_INTAKE = "Record a complaint"
MENU_COMPLAINT_REPORT = "Monthly complaint report"

READ = ("can_list", "can_show")
WRITE = ("can_add", "can_edit")


def grant(view: str, *permissions: str) -> set[tuple[str, str]]:
    """Pairs (permission, view) for one view."""
    return {(permission, view) for permission in permissions}


def menus(*names: str) -> set[tuple[str, str]]:
    """Menu-access pairs for the given menu entries."""
    return {("menu_access", name) for name in names}


SELF_SERVICE = (
    grant("UserDBModelView", "can_userinfo", "resetmypassword", "userinfoedit")
    | grant("ResetMyPasswordView", "can_this_form_get", "can_this_form_post")
    | grant("UserInfoEditView", "can_this_form_get", "can_this_form_post")
)
CLIENT_READ = grant(CLIENT, *READ, "can_export_csv", "can_handover") | menus(
    MENU_CLIENTS, MENU_CLIENT_LIST, MENU_CASES
)
AUDIT_READ = grant(AUDIT, *READ) | menus(MENU_OVERSIGHT, MENU_AUDIT)
# Acting on steps: the engine still checks that the user is the step's actor.
TASKS = grant(TASK, "can_show", "can_act")
SERVICES_READ = (
    grant(INSTANCE, *READ)
    | grant(LETTER, *READ, "can_sheet", "can_attachment")
    | grant(PERMIT, *READ, "can_signature", "can_letter")
    | grant(TPP, *READ, "can_minutes")
    | menus(MENU_SERVICES, MENU_LETTERS, MENU_INSTANCES, MENU_PERMITS, MENU_TPP)
)
OUTREACH_READ = grant(OUTREACH, *READ, "can_request", "can_photo", "can_assignment") | menus(
    MENU_SERVICES, MENU_OUTREACH
)
COMPLAINTS_READ = grant(COMPLAINT, *READ, "can_receipt", "can_evidence", "can_report") | menus(
    MENU_COMPLAINTS, MENU_COMPLAINT_LIST, MENU_COMPLAINT_REPORT
)
COMPLAINT_UNIT = COMPLAINTS_READ | grant(COMPLAINT, "can_intake") | menus(MENU_COMPLAINT_INTAKE)
# Any staff member the Kepala names to answer a complaint opens its evidence from the task screen;
# row scope limits it to the complaints they are named on.
COMPLAINT_OFFICIAL = grant(COMPLAINT, "can_evidence")
TPP_SECRETARY = grant(TPP, *WRITE, "can_agenda")
TPP_CHAIR = TPP_SECRETARY | grant(TPP, "can_decide")
LETTER_REGISTRATION = grant(LETTER, *READ, "can_register", "can_sheet", "can_attachment") | menus(
    MENU_SERVICES, MENU_LETTERS, MENU_REGISTER_LETTER
)
CALENDAR_ADMIN = grant(CALENDAR, *READ, *WRITE, "can_delete") | menus(MENU_REFERENCE, MENU_CALENDAR)

SECURITY_ADMIN = (
    grant(
        "UserDBModelView",
        *READ,
        *WRITE,
        "can_delete",
        "resetpasswords",
    )
    | grant("ResetPasswordView", "can_this_form_get", "can_this_form_post")
    | grant("RoleModelView", *READ, *WRITE, "can_delete", "copyrole")
    | grant("UserGroupModelView", *READ, *WRITE, "can_delete")
    | grant("PermissionModelView", "can_list")
    | grant("ViewMenuModelView", "can_list")
    | grant("PermissionViewModelView", "can_list")
    | menus(
        MENU_SECURITY,
        "List Users",
        "List Roles",
        "List Groups",
        "Base Permissions",
        "Views/Menus",
        "Permission on Views/Menus",
    )
)

ROLE_PERMISSIONS: dict[str, frozenset[tuple[str, str]]] = {
    KEPALA: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CASE, *READ)
        | AUDIT_READ
        | TASKS
        | SERVICES_READ
        | TPP_CHAIR
        | OUTREACH_READ
        | COMPLAINTS_READ
    ),
    KASUBSI: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CLIENT, *WRITE)
        | grant(CASE, *READ, *WRITE)
        | TASKS
        | SERVICES_READ
        | TPP_SECRETARY
        | OUTREACH_READ
        | COMPLAINT_OFFICIAL
    ),
    PK: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CLIENT, "can_edit")
        | grant(CASE, *READ, *WRITE)
        | TASKS
        | SERVICES_READ
        | OUTREACH_READ
        | COMPLAINT_OFFICIAL
    ),
    TU: frozenset(
        SELF_SERVICE
        | grant(CLIENT_REGISTER, *READ, "can_add")
        | menus(MENU_CLIENTS, MENU_CLIENT_REGISTER)
        | TASKS
        | LETTER_REGISTRATION
        | COMPLAINT_OFFICIAL
    ),
    PENGADUAN: frozenset(SELF_SERVICE | TASKS | COMPLAINT_UNIT),
    PENGAWAS: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CASE, *READ)
        | AUDIT_READ
        | grant(TASK, "can_show")
        | SERVICES_READ
        | OUTREACH_READ
        | COMPLAINTS_READ
    ),
    ADMIN: frozenset(SELF_SERVICE | SECURITY_ADMIN | AUDIT_READ | CALENDAR_ADMIN),
}
