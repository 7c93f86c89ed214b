"""Staff accounts are deactivated, never deleted, once anything the office keeps names them.

What names an account is read from the schema: every foreign key to `ab_user` outside the account's
own belongings (its role links, recovery codes, ended sessions, notices and channel choices, which
go with it), and the audit trail's row changes made by it. A table added tomorrow is covered the day
it exists.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_appbuilder import Model
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, Table, exists, false, not_, or_, select

from app.extensions import db
from app.models.audit import ACTIONS, AuditLog
from app.models.staff import Staff

# The account's own links, deleted with it (FAB's association tables).
OWN_LINKS = ("ab_user_role", "ab_user_group")


class AccountKept(Exception):
    """An account that may not be deleted or deactivated as asked; the message (with its link) is
    for the user."""

    def __init__(self, message: Markup) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message  # FAB flashes str(error): the Markup keeps its link


def _to_account(key: Any) -> bool:
    return key.column.table.name == "ab_user"


def _cascades(key: Any) -> bool:
    return (key.ondelete or "").upper() == "CASCADE"


def _references() -> list[tuple[Table, Any]]:
    """(table, column) of every foreign key to the account that is a record, not a belonging."""
    found = []
    for table in Model.metadata.sorted_tables:
        if table.name in OWN_LINKS:
            continue
        for key in table.foreign_keys:
            if _to_account(key) and not _cascades(key):
                found.append((table, key.parent))
    return found


def _own_tables() -> set[str]:
    """Tables whose rows are the account's belongings (deleted with it)."""
    names = set(OWN_LINKS) | {"ab_user"}
    for table in Model.metadata.sorted_tables:
        if any(_to_account(key) and _cascades(key) for key in table.foreign_keys):
            names.add(table.name)
    return names


def records_clause(staff_id: int) -> ColumnElement[bool]:
    """SQL condition: some record of the office names this account (each an EXISTS that stops at the
    first row)."""
    parts = []
    for table, column in _references():
        condition = column == staff_id
        if table.name == "ab_user":  # an account created or changed by this one, not itself
            condition = condition & (table.c.id != staff_id)
        parts.append(exists().where(condition))
    acted = exists().where(
        AuditLog.user_id == staff_id,
        AuditLog.action.in_(ACTIONS),
        not_(AuditLog.table_name.in_(sorted(_own_tables()))),
    )
    return or_(*parts, acted) if parts else acted | false()


def has_records(staff_id: int) -> bool:
    """Whether anything the office keeps names this account (then it is deactivated, never deleted)."""
    return bool(db.session.scalar(select(records_clause(staff_id))))


def handover_link(staff: Staff) -> Markup:
    """A link to the page of what the account holds and its reassignment."""
    return Markup('<a href="{}">{}</a>').format(
        url_for("StaffHandoverView.show", pk=staff.id), _("Hand over this person's work")
    )


def refuse_delete(staff: Staff) -> None:
    """Refuse to delete an account that records name: deactivate it instead."""
    if has_records(staff.id):
        raise AccountKept(
            Markup("{} {}").format(
                _(
                    "%(name)s cannot be deleted: records of the office name this account. "
                    "Deactivate it instead (untick Active); its records keep the name.",
                    name=staff.full_name,
                ),
                handover_link(staff),
            )
        )


class KeptAccounts:
    """The user view's delete refuses an account that records name, and its edit refuses to
    deactivate one that still holds work; the action leads to the handover page."""

    DEACTIVATING = "_bapas_deactivating"  # g: the account whose edit form unticks Active

    def pre_delete(self, item: Staff) -> None:
        refuse_delete(item)
        super().pre_delete(item)  # type: ignore[misc]

    def process_form(self, form: Any, is_created: bool) -> None:
        # Read before the form fills the account: filling it queries the roles, which flushes.
        pk = (request.view_args or {}).get("pk")
        account = None if is_created or pk is None else self.datamodel.get(pk)  # type: ignore[attr-defined]
        if account is not None and account.active and "active" in form and form.active.data is False:
            setattr(g, self.DEACTIVATING, account.id)
        super().process_form(form, is_created)  # type: ignore[misc]

    def check_deactivation(self, item: Staff) -> None:
        """Refuse to deactivate an account holding work, and end the sessions of one deactivated."""
        from app.security import sessions
        from app.workflow import departures

        if getattr(g, self.DEACTIVATING, None) != item.id:
            return
        try:
            with db.session.no_autoflush:
                departures.refuse_deactivation(item)
        except AccountKept:
            self.datamodel.session.rollback()  # type: ignore[attr-defined]
            raise
        sessions.end_all(item)
