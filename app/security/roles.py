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
# Oversight above the offices: the regional office (read-only over the offices of its region) and
# the Directorate General (figures of every office, no personal data of clients).
KANWIL, DITJENPAS = "Kanwil", "Ditjenpas"
STAFF_ROLES = (KEPALA, KASUBSI, PK, TU, PENGADUAN, PENGAWAS, ADMIN, KANWIL, DITJENPAS)
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
MFA = "TwoStepVerification"
TASK = "Task"
LETTER = "IncomingLetter"
INSTANCE = "ServiceInstance"
CALENDAR = "ExtraHoliday"
PERMIT = "TravelPermit"
TPP = "TppSession"
GUIDANCE_LOG = "GuidanceLog"
PROGRESS_REPORT = "ProgressReport"
SUPERVISION = "Supervision"
MOBILE = "MobileService"
GROUP = "GroupSession"
EXPORT = "Export"
PERFORMANCE = "Performance"
CASELOAD = "Caseload"
OUTREACH = "Outreach"
COMPLAINT = "Complaint"
OFFICE = "Office"
REGION = "Region"
TRANSFER = "ClientTransfer"
VISITING = "VisitingPermit"
API_TOKEN = "ApiToken"  # noqa: S105 (a view name)
NOTIFICATION = "Notification"
OUTBOX = "NotificationOutbox"
DUTY = "DutyRoster"  # the ABH duty roster (SOP 12)
REPORTING_SCHEDULE = "ReportingSchedule"
REPORTING = "Reporting"
PING = "Ping"  # the benchmark's floor page, open to every staff role
STAFF_HANDOVER = "StaffHandover"  # what a departing colleague holds, and its reassignment

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
MENU_OFFICES = "Offices"
MENU_REGIONS = "Regions"
MENU_API_TOKENS = "API tokens"
MENU_PERMITS = "Travel permits"
MENU_TRIP_LIMIT = "Longest trip permitted"
MENU_TPP = "TPP sessions"
MENU_GUIDANCE = "Guidance"
MENU_SUPERVISION = "Supervision overview"
MENU_GUIDANCE_LOGS = "Guidance logs"
MENU_PROGRESS = "Progress reports"
MENU_BATAKO = "BATAKO"
MENU_GROUP = "Group guidance"
MENU_EXPORTS = "Exports"
MENU_PERFORMANCE = "Performance"
MENU_DASHBOARD = "Performance dashboard"
MENU_CASELOAD = "PK caseload"
MENU_OUTREACH = "Outreach (Bambang Solah)"
MENU_COMPLAINTS = "Complaints"
MENU_COMPLAINT_LIST = "Complaint list"
MENU_COMPLAINT_INTAKE = "Record a complaint"
MENU_COMPLAINT_REPORT = "Monthly complaint report"
MENU_TRANSFERS = "Client transfers"
MENU_VISITING = "Clients of other offices"
MENU_OUTBOX = "Notification outbox"
MENU_DUTY = "Duty roster"
MENU_REPORTING = "Mandatory reporting"
MENU_REPORTING_SCHEDULES = "Reporting schedules"
MENU_REPORTING_DESK = "Record a mandatory report"

READ = ("can_list", "can_show")
WRITE = ("can_add", "can_edit")


def grant(view: str, *permissions: str) -> set[tuple[str, str]]:
    """Pairs (permission, view) for one view."""
    return {(permission, view) for permission in permissions}


def menus(*names: str) -> set[tuple[str, str]]:
    """Menu-access pairs for the given menu entries."""
    return {("menu_access", name) for name in names}


GUIDANCE_MENUS = menus(
    MENU_GUIDANCE, MENU_SUPERVISION, MENU_GUIDANCE_LOGS, MENU_PROGRESS, MENU_BATAKO, MENU_GROUP, MENU_EXPORTS
)
# Reading the guidance of the clients in scope, and exporting it for the national system (SDP).
GUIDANCE_READ = (
    grant(SUPERVISION, *READ)
    | grant(GUIDANCE_LOG, *READ)
    | grant(PROGRESS_REPORT, *READ)
    | grant(MOBILE, *READ)
    | grant(GROUP, *READ, "can_invitations")
    | grant(EXPORT, "can_list", "can_download")
    | GUIDANCE_MENUS
)
# Wajib lapor: the lists and schedules of the clients in scope and their warning letters; the PK sets
# its clients' schedules, the Kasubsi corrects its section's; TU and PKs record reports at the counter.
REPORTING_READ = (
    grant(REPORTING_SCHEDULE, *READ)
    | grant(REPORTING, "can_list", "can_letter")
    | menus(MENU_GUIDANCE, MENU_REPORTING, MENU_REPORTING_SCHEDULES)
)
REPORTING_COUNTER = grant(REPORTING, "can_attend") | menus(MENU_GUIDANCE, MENU_REPORTING_DESK)
# The PK's work: sessions, reports, BATAKO points, proposals and attendance of group guidance.
GUIDANCE_WORK = (
    grant(GUIDANCE_LOG, *WRITE)
    | grant(PROGRESS_REPORT, "can_add")
    | grant(MOBILE, "can_add", "can_work")
    | grant(GROUP, "can_propose", "can_attend")
)
# The Kasubsi (BKD, checked by the engine) sets up group sessions, compiles and invites.
GROUP_ORGANISER = grant(GROUP, *WRITE, "can_compile")

SELF_SERVICE = (
    grant("UserDBModelView", "can_userinfo", "resetmypassword", "userinfoedit", "notificationchannels")
    | grant("ResetMyPasswordView", "can_this_form_get", "can_this_form_post")
    | grant("UserInfoEditView", "can_this_form_get", "can_this_form_post")
    | grant(MFA, "can_manage")
    # One's own notifications (the bell) and the channels they come by.
    | grant(NOTIFICATION, "can_list", "can_open", "can_settings")
    | grant(PING, "can_show")
)
# Exports go through /ekspor/ only, where identities are masked (no FAB CSV action).
CLIENT_READ = grant(CLIENT, *READ, "can_handover") | menus(MENU_CLIENTS, MENU_CLIENT_LIST, MENU_CASES)
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
# Transfers between offices: the summary of clients who left or came, and the transfer letter;
# the client's PK proposes. Permits of other offices' clients travelling here: the PK records the
# client's report on arrival (scope.visiting_clause decides which permits).
TRANSFERS_READ = grant(TRANSFER, *READ, "can_letter") | menus(MENU_CLIENTS, MENU_TRANSFERS)
TRANSFER_PROPOSAL = grant(TRANSFER, "can_propose")
VISITING_READ = grant(VISITING, *READ) | menus(MENU_CLIENTS, MENU_VISITING)
ARRIVAL_REPORTING = grant(VISITING, "can_arrival")
TPP_SECRETARY = grant(TPP, *WRITE, "can_agenda")
TPP_CHAIR = TPP_SECRETARY | grant(TPP, "can_decide")
# The Kepala revokes a signed permit and sets the longest trip the office permits.
PERMIT_AUTHORITY = grant(PERMIT, "can_revoke", "can_limit") | menus(MENU_SERVICES, MENU_TRIP_LIMIT)
# The Kepala signs (and so numbers) the assignment letter of a Bambang Solah team.
OUTREACH_SIGNING = grant(OUTREACH, "can_sign")
# The PK who drafts a permit letter and the Kepala who signs it preview the draft (marked DRAF).
PERMIT_DRAFTING = grant(PERMIT, "can_preview")
LETTER_REGISTRATION = grant(LETTER, *READ, "can_register", "can_sheet", "can_attachment") | menus(
    MENU_SERVICES, MENU_LETTERS, MENU_REGISTER_LETTER
)
# Figures in the user's scope: the Kepala and Pengawas all, a Kasubsi its section, a PK its own work;
# the drill-down lists the services behind a figure (their subjects name people).
PERFORMANCE_FIGURES = grant(PERFORMANCE, "can_list", "can_export") | menus(MENU_PERFORMANCE, MENU_DASHBOARD)
PERFORMANCE_READ = PERFORMANCE_FIGURES | grant(PERFORMANCE, "can_drill")
CASELOAD_READ = grant(CASELOAD, "can_list") | menus(MENU_PERFORMANCE, MENU_CASELOAD)
# A colleague who leaves: the Kepala and the Kasubsi (own section) hand their clients and open work
# to other PKs; the Admin sees only how much is held, and deactivates the account once nothing is.
HANDOVER_DECISION = grant(STAFF_HANDOVER, "can_show", "can_reassign")
HANDOVER_ACCOUNT = grant(STAFF_HANDOVER, "can_show", "can_deactivate")
CALENDAR_ADMIN = grant(CALENDAR, *READ, *WRITE, "can_delete") | menus(MENU_REFERENCE, MENU_CALENDAR)
# Offices and regions are never deleted (records hang on them); an office's Admin edits its own
# office's letterhead and contacts only, adding is the national Admin's (checked in the view).
OFFICE_ADMIN = grant(OFFICE, *READ, *WRITE) | grant(REGION, *READ, *WRITE) | menus(MENU_OFFICES, MENU_REGIONS)
# Tokens of service accounts for the REST API: issued (shown once) and revoked, never edited.
API_TOKEN_ADMIN = grant(API_TOKEN, *READ, "can_add", "can_revoke") | menus(MENU_SECURITY, MENU_API_TOKENS)
# The Kanwil reads the records of its region's offices, masked, and no scanned file, which cannot
# be masked (handover records, letter scans, signatures, complaint evidence); no SDP exports.
KANWIL_READ = (
    grant(CLIENT, *READ)
    | menus(MENU_CLIENTS, MENU_CLIENT_LIST, MENU_CASES)
    | grant(CASE, *READ)
    | AUDIT_READ
    | grant(TASK, "can_show")
    | grant(INSTANCE, *READ)
    | grant(LETTER, *READ, "can_sheet")
    | grant(PERMIT, *READ, "can_letter")
    | grant(TPP, *READ, "can_minutes")
    | menus(MENU_SERVICES, MENU_LETTERS, MENU_INSTANCES, MENU_PERMITS, MENU_TPP)
    | grant(SUPERVISION, *READ)
    | grant(GUIDANCE_LOG, *READ)
    | grant(PROGRESS_REPORT, *READ)
    | grant(MOBILE, *READ)
    | grant(GROUP, *READ, "can_invitations")
    | menus(MENU_GUIDANCE, MENU_SUPERVISION, MENU_GUIDANCE_LOGS, MENU_PROGRESS, MENU_BATAKO, MENU_GROUP)
    | OUTREACH_READ
    | grant(COMPLAINT, *READ, "can_report")
    | menus(MENU_COMPLAINTS, MENU_COMPLAINT_LIST, MENU_COMPLAINT_REPORT)
    | TRANSFERS_READ
)

# Delivery state of the notices (who, channel, attempts, last error), not their text.
NOTIFICATION_OUTBOX = grant(OUTBOX, "can_list") | menus(MENU_OVERSIGHT, MENU_OUTBOX)

SECURITY_ADMIN = (
    grant(
        "UserDBModelView",
        *READ,
        *WRITE,
        "can_delete",
        "resetpasswords",
        "handover",
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

# Who is on duty (SOP 12): every staff member of an office reads it and prints the day's sheet; the
# Kepala and the Kasubsi edit it (the view lets a Kasubsi of the BKA section only).
DUTY_READ = grant(DUTY, "can_list", "can_print") | menus(MENU_DUTY)
DUTY_EDIT = DUTY_READ | grant(DUTY, "can_edit")

ROLE_PERMISSIONS: dict[str, frozenset[tuple[str, str]]] = {
    KEPALA: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CASE, *READ)
        | AUDIT_READ
        | TASKS
        | SERVICES_READ
        | TPP_CHAIR
        | PERMIT_AUTHORITY
        | OUTREACH_SIGNING
        | PERMIT_DRAFTING
        | GUIDANCE_READ
        | REPORTING_READ
        | PERFORMANCE_READ
        | CASELOAD_READ
        | HANDOVER_DECISION
        | OUTREACH_READ
        | COMPLAINTS_READ
        | TRANSFERS_READ
        | VISITING_READ
        | DUTY_EDIT
    ),
    KASUBSI: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CLIENT, *WRITE)
        | grant(CASE, *READ, *WRITE)
        | TASKS
        | SERVICES_READ
        | TPP_SECRETARY
        | GUIDANCE_READ
        | GROUP_ORGANISER
        | REPORTING_READ
        | grant(REPORTING_SCHEDULE, "can_edit")
        | REPORTING_COUNTER
        | PERFORMANCE_READ
        | CASELOAD_READ
        | HANDOVER_DECISION
        | OUTREACH_READ
        | COMPLAINT_OFFICIAL
        | TRANSFERS_READ
        | VISITING_READ
        | DUTY_EDIT
    ),
    PK: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CLIENT, "can_edit")
        | grant(CASE, *READ, *WRITE)
        | TASKS
        | SERVICES_READ
        | GUIDANCE_READ
        | GUIDANCE_WORK
        | PERMIT_DRAFTING
        | REPORTING_READ
        | grant(REPORTING_SCHEDULE, *WRITE)
        | REPORTING_COUNTER
        | PERFORMANCE_READ
        | OUTREACH_READ
        | COMPLAINT_OFFICIAL
        | TRANSFERS_READ
        | TRANSFER_PROPOSAL
        | VISITING_READ
        | ARRIVAL_REPORTING
        | DUTY_READ
    ),
    TU: frozenset(
        SELF_SERVICE
        | grant(CLIENT_REGISTER, *READ, "can_add")
        | menus(MENU_CLIENTS, MENU_CLIENT_REGISTER)
        | TASKS
        | LETTER_REGISTRATION
        | COMPLAINT_OFFICIAL
        | DUTY_READ
        | REPORTING_COUNTER
    ),
    PENGADUAN: frozenset(SELF_SERVICE | TASKS | COMPLAINT_UNIT | DUTY_READ),
    PENGAWAS: frozenset(
        SELF_SERVICE
        | CLIENT_READ
        | grant(CASE, *READ)
        | AUDIT_READ
        # Acts on one kind of step only: the review of a complaint about the Kepala (the engine checks).
        | TASKS
        | SERVICES_READ
        | GUIDANCE_READ
        | REPORTING_READ
        | PERFORMANCE_READ
        | CASELOAD_READ
        | OUTREACH_READ
        | COMPLAINTS_READ
        | TRANSFERS_READ
        | DUTY_READ
    ),
    ADMIN: frozenset(
        SELF_SERVICE
        | SECURITY_ADMIN
        | HANDOVER_ACCOUNT
        | AUDIT_READ
        | CALENDAR_ADMIN
        | OFFICE_ADMIN
        | API_TOKEN_ADMIN
        | NOTIFICATION_OUTBOX
    ),
    KANWIL: frozenset(SELF_SERVICE | KANWIL_READ | PERFORMANCE_READ | REPORTING_READ),
    # Figures only: no record view, no drill-down (its rows name clients), no caseload of names.
    DITJENPAS: frozenset(SELF_SERVICE | PERFORMANCE_FIGURES),
}
