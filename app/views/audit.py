"""The audit trail, read-only for everyone."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.formatting import fmt_datetime
from app.models.audit import AuditLog
from app.security.roles import AUDIT
from app.views.base import BapasModelView, ScopedInterface
from app.workflow.definitions import OUTCOME_LABELS

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
}


def _old_new(value: object) -> tuple[object, object]:
    # Row changes are [old, new]; an event (a password reset, a check) holds plain values.
    return (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)


def _changes_table(changes: dict) -> Markup:
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in (field, _show(old, field), _show(new, field)))
        + "</tr>"
        for field, (old, new) in ((field, _old_new(value)) for field, value in sorted(changes.items()))
    )
    head = "".join(f"<th>{escape(label)}</th>" for label in (_l("Field"), _l("Old value"), _l("New value")))
    # Every value is escaped above; only the table markup itself is trusted.
    return Markup(f'<table class="table table-condensed"><tr>{head}</tr>{rows}</table>')  # noqa: S704


def _show(value: object, field: str = "") -> str:
    if field == "outcome" and isinstance(value, str) and value in OUTCOME_LABELS:
        return str(OUTCOME_LABELS[value])  # a step's outcome is a code: say it in words
    return "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


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
    }
    formatters_columns = {
        "at": fmt_datetime,
        "action": lambda value: ACTION_LABELS.get(value, value),
        "visible_changes": _changes_table,
    }
    list_columns = ["at", "username", "action", "table_name", "record_id"]
    show_columns = [*list_columns, "visible_changes"]
    search_columns = ["username", "action", "table_name", "record_id", "at"]
    order_columns = ["at"]
    base_order = ("at", "desc")
