"""Registers every view and menu entry, in one place."""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.security import roles as r
from app.views.audit import AuditLogView
from app.views.cases import CaseView
from app.views.clients import ClientRegisterView, ClientView


def register_views(appbuilder: AppBuilder) -> None:
    """Add the domain views to the menu."""
    clients = {"category": r.MENU_CLIENTS, "category_label": _l("Clients"), "category_icon": "fa-users"}
    appbuilder.add_view(ClientView, r.MENU_CLIENT_LIST, label=_l("Client list"), icon="fa-user", **clients)
    appbuilder.add_view(
        ClientRegisterView, r.MENU_CLIENT_REGISTER, label=_l("Client register"), icon="fa-book", **clients
    )
    appbuilder.add_view(CaseView, r.MENU_CASES, label=_l("Cases"), icon="fa-gavel", **clients)
    appbuilder.add_view(
        AuditLogView,
        r.MENU_AUDIT,
        label=_l("Audit trail"),
        icon="fa-history",
        category=r.MENU_OVERSIGHT,
        category_label=_l("Oversight"),
        category_icon="fa-eye",
    )
