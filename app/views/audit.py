"""The audit trail, read-only for everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.audit_labels import table_label
from app.formatting import fmt_datetime
from app.models.audit import AuditLog
from app.security.roles import AUDIT
from app.views.base import BapasModelView, ScopedInterface

ACTION_LABELS = {
    "insert": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "password_reset": _l("Password reset by another user"),
    "password_change": _l("Own password changed"),
    "audit_verify": _l("Integrity check of the audit trail"),
    "login": _l("Signed in"),
    "login_failed": _l("Sign-in failed"),
    "lockout": _l("Account locked"),
    "logout": _l("Signed out"),
    "mfa_enrolled": _l("Two-step verification set up"),
    "mfa_recovery_codes": _l("New recovery codes made"),
    "mfa_disabled": _l("Two-step verification turned off"),
    "mfa_reset": _l("Two-step verification reset"),
    "recalendar": _l("Deadlines moved by a calendar change"),
    "handover": _l("Work of a departing colleague handed over"),
}


def _changes_table(rows: list[tuple[str, str, str]]) -> Markup:
    cells = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{escape(label)}</th>" for label in (_l("Field"), _l("Old value"), _l("New value")))
    # Every value is escaped above; only the table markup itself is trusted.
    return Markup(f'<table class="table table-condensed"><tr>{head}</tr>{cells}</table>')  # noqa: S704


class AuditLogView(BapasModelView):
    """Who changed what and when; no one can add, edit or delete entries."""

    datamodel = ScopedInterface(AuditLog)
    class_permission_name = AUDIT
    base_permissions = ["can_list", "can_show"]
    list_title = show_title = _l("Audit trail")
    label_columns = {
        "at": _l("Time"),
        "username": _l("User"),
        "action": _l("Action"),
        "table_name": _l("Table"),
        "record_id": _l("Record"),
        "changes": _l("Changes"),
        "visible_changes": _l("Changes"),
        "changes_in_words": _l("Changes"),
    }
    formatters_columns = {
        "at": fmt_datetime,
        "action": lambda value: ACTION_LABELS.get(value, value),
        "table_name": table_label,
        "changes_in_words": _changes_table,
    }
    list_columns = ["at", "username", "action", "table_name", "record_id"]
    show_columns = [*list_columns, "changes_in_words"]
    search_columns = ["username", "action", "table_name", "record_id", "at"]
    order_columns = ["at"]
    base_order = ("at", "desc")
