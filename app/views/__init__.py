"""Registers every view and menu entry, in one place."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.offices import several_offices
from app.security import roles as r
from app.views.api_tokens import ApiTokenView
from app.views.audit import AuditLogView
from app.views.calendar import ExtraHolidayView
from app.views.cases import CaseView
from app.views.clients import ClientRegisterView, ClientView
from app.views.complaints import ComplaintView
from app.views.duty import DutyView
from app.views.exports import ExportView
from app.views.group_guidance import GroupSessionView
from app.views.guidance import GuidanceLogView, ProgressReportView
from app.views.letters import IncomingLetterView
from app.views.mobile import MobileServiceView
from app.views.notifications import NotificationOutboxView, NotificationView
from app.views.notifications import register as register_bell
from app.views.offices import OfficeView, RegionView
from app.views.outreach import OutreachView
from app.views.performance import CaseloadView, PerformanceView
from app.views.ping import PingView
from app.views.reporting import ReportingScheduleView, ReportingView
from app.views.services import ServiceInstanceView
from app.views.staff_handover import StaffHandoverView
from app.views.supervision import SupervisionView
from app.views.tasks import TaskView
from app.views.tpp import TppSessionView
from app.views.transfers import ClientTransferView
from app.views.travel_permits import TravelPermitView
from app.views.visiting import VisitingPermitView


def register_views(appbuilder: AppBuilder) -> None:
    """Add the domain views to the menu."""
    clients = {"category": r.MENU_CLIENTS, "category_label": _l("Clients"), "category_icon": "fa-users"}
    appbuilder.add_view(ClientView, r.MENU_CLIENT_LIST, label=_l("Client list"), icon="fa-user", **clients)
    appbuilder.add_view(
        ClientRegisterView, r.MENU_CLIENT_REGISTER, label=_l("Client register"), icon="fa-book", **clients
    )
    appbuilder.add_view(CaseView, r.MENU_CASES, label=_l("Cases"), icon="fa-gavel", **clients)
    # Between offices: nothing of it shows in an instance of one office.
    appbuilder.add_view(
        ClientTransferView, r.MENU_TRANSFERS, label=_l("Client transfers"), icon="fa-exchange",
        menu_cond=several_offices, **clients,
    )  # fmt: skip
    appbuilder.add_view(
        VisitingPermitView, r.MENU_VISITING, label=_l("Clients of other offices"), icon="fa-map-marker",
        menu_cond=several_offices, **clients,
    )  # fmt: skip
    services = {"category": r.MENU_SERVICES, "category_label": _l("Services"), "category_icon": "fa-tasks"}
    appbuilder.add_view(
        IncomingLetterView, r.MENU_LETTERS, label=_l("Incoming letters"), icon="fa-envelope", **services
    )
    appbuilder.add_link(
        r.MENU_REGISTER_LETTER,
        href="/incomingletterview/register",
        label=_l("Register incoming letter"),
        icon="fa-plus",
        **services,
    )
    appbuilder.add_view(
        ServiceInstanceView, r.MENU_INSTANCES, label=_l("All services"), icon="fa-list", **services
    )
    appbuilder.add_view(
        TravelPermitView, r.MENU_PERMITS, label=_l("Travel permits"), icon="fa-road", **services
    )
    appbuilder.add_link(
        r.MENU_TRIP_LIMIT,
        href="/travelpermitview/limit",
        label=_l("Longest trip permitted"),
        icon="fa-clock-o",
        **services,
    )
    appbuilder.add_view(
        TppSessionView, r.MENU_TPP, label=_l("TPP sessions"), icon="fa-balance-scale", **services
    )
    guidance = {"category": r.MENU_GUIDANCE, "category_label": _l("Guidance"), "category_icon": "fa-compass"}
    appbuilder.add_view(
        SupervisionView,
        r.MENU_SUPERVISION,
        label=_l("Supervision overview"),
        icon="fa-binoculars",
        **guidance,
    )
    appbuilder.add_view(
        GuidanceLogView, r.MENU_GUIDANCE_LOGS, label=_l("Guidance logs"), icon="fa-book", **guidance
    )
    appbuilder.add_view(
        ProgressReportView, r.MENU_PROGRESS, label=_l("Progress reports"), icon="fa-line-chart", **guidance
    )
    appbuilder.add_view(MobileServiceView, r.MENU_BATAKO, label=_l("BATAKO"), icon="fa-car", **guidance)
    appbuilder.add_view(
        GroupSessionView, r.MENU_GROUP, label=_l("Group guidance"), icon="fa-users", **guidance
    )
    appbuilder.add_view(
        ReportingView,
        r.MENU_REPORTING,
        label=_l("Mandatory reporting"),
        icon="fa-calendar-check-o",
        **guidance,
    )
    appbuilder.add_view(
        ReportingScheduleView,
        r.MENU_REPORTING_SCHEDULES,
        label=_l("Reporting schedules"),
        icon="fa-calendar",
        **guidance,
    )
    appbuilder.add_link(
        r.MENU_REPORTING_DESK,
        href="/wajib-lapor/lapor",
        label=_l("Record a mandatory report"),
        icon="fa-pencil-square-o",
        **guidance,
    )
    appbuilder.add_view(ExportView, r.MENU_EXPORTS, label=_l("Exports"), icon="fa-download", **guidance)
    appbuilder.add_view(
        OutreachView, r.MENU_OUTREACH, label=_l("Outreach (Bambang Solah)"), icon="fa-bullhorn", **services
    )
    complaints = {
        "category": r.MENU_COMPLAINTS,
        "category_label": _l("Complaints"),
        "category_icon": "fa-comments",
    }
    appbuilder.add_view(
        ComplaintView, r.MENU_COMPLAINT_LIST, label=_l("Complaint list"), icon="fa-list", **complaints
    )
    appbuilder.add_link(
        r.MENU_COMPLAINT_INTAKE,
        href="/complaintview/intake",
        label=_l("Record a complaint"),
        icon="fa-plus",
        **complaints,
    )
    appbuilder.add_link(
        r.MENU_COMPLAINT_REPORT,
        href="/complaintview/report",
        label=_l("Monthly complaint report"),
        icon="fa-bar-chart",
        **complaints,
    )
    appbuilder.add_view(DutyView, r.MENU_DUTY, label=_l("Duty roster"), icon="fa-calendar-check-o")
    appbuilder.add_view_no_menu(TaskView)
    appbuilder.add_view_no_menu(PingView)
    appbuilder.add_view_no_menu(StaffHandoverView)
    kinerja = {
        "category": r.MENU_PERFORMANCE,
        "category_label": _l("Performance"),
        "category_icon": "fa-line-chart",
    }
    appbuilder.add_view(
        PerformanceView, r.MENU_DASHBOARD, label=_l("Performance dashboard"), icon="fa-bar-chart", **kinerja
    )
    appbuilder.add_view(CaseloadView, r.MENU_CASELOAD, label=_l("PK caseload"), icon="fa-users", **kinerja)
    reference = {
        "category": r.MENU_REFERENCE,
        "category_label": _l("Reference data"),
        "category_icon": "fa-book",
    }
    appbuilder.add_view(
        ExtraHolidayView, r.MENU_CALENDAR, label=_l("Working-day calendar"), icon="fa-calendar", **reference
    )
    appbuilder.add_view(OfficeView, r.MENU_OFFICES, label=_l("Offices"), icon="fa-building", **reference)
    appbuilder.add_view(RegionView, r.MENU_REGIONS, label=_l("Regions"), icon="fa-map", **reference)
    appbuilder.add_view(
        ApiTokenView, r.MENU_API_TOKENS, label=_l("API tokens"), icon="fa-key", category=r.MENU_SECURITY
    )
    oversight = {"category": r.MENU_OVERSIGHT, "category_label": _l("Oversight"), "category_icon": "fa-eye"}
    appbuilder.add_view(AuditLogView, r.MENU_AUDIT, label=_l("Audit trail"), icon="fa-history", **oversight)
    appbuilder.add_view(
        NotificationOutboxView, r.MENU_OUTBOX, label=_l("Notification outbox"), icon="fa-paper-plane",
        **oversight,
    )  # fmt: skip
    appbuilder.add_view_no_menu(NotificationView)
    register_bell(current_app)
