"""Roles, groups and permissions on the record, and nobody grants himself power."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from flask_appbuilder.security.sqla.models import (
    Group,
    Role,
    User,
    assoc_group_role,
    assoc_user_group,
    assoc_user_role,
)
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, union
from sqlalchemy.orm import Session

from app.audit import link_changes

# FAB's account models, audited as if declared like ours (relationships load them as FAB's User,
# not as Staff, so the declarations go on FAB's classes). Sign-in counters and the password hash
# stay out of the trail; a password change is an event of its own, self-made or by another user.
ACCOUNT_AUDIT: dict[type, dict[str, Any]] = {
    User: {
        "__audited__": True,
        "__audit_columns__": (
            "username",
            "first_name",
            "last_name",
            "email",
            "active",
            "nip",
            "position",
            "section",
        ),
        "__audit_secret_events__": {"password": ("password_change", "password_reset")},
    },
    Role: {"__audited__": True},
    Group: {"__audited__": True},
}

SELF_GRANT = _l("You cannot give yourself a role or a permission; another administrator must do it.")


class SelfGrantError(ValueError):
    """A change that would give the signed-in user a role or a permission."""


def _actor_id() -> int | None:
    user = getattr(g, "user", None) if has_request_context() else None
    return user.id if user is not None and getattr(user, "is_authenticated", False) else None


def _held(session: Session, user_id: int) -> tuple[set[int], set[int]]:
    """The user's group ids and role ids (directly or through a group), as stored."""
    groups = set(
        session.scalars(select(assoc_user_group.c.group_id).where(assoc_user_group.c.user_id == user_id))
    )
    roles = union(
        select(assoc_user_role.c.role_id).where(assoc_user_role.c.user_id == user_id),
        select(assoc_group_role.c.role_id).where(assoc_group_role.c.group_id.in_(groups or {-1})),
    )
    return groups, set(session.scalars(roles))


def refuse_self_grant(session: Session, objects: Iterable[Any]) -> None:
    """Raise SelfGrantError if the pending changes of `objects` give the signed-in user a role
    (directly or through a group) or add a permission to a role he holds."""
    actor = _actor_id()
    if actor is None:  # the command line (sync-roles, demo data) acts for no signed-in user
        return
    added = [change for change in link_changes(objects) if change.added]
    if not added:
        return
    with session.no_autoflush:
        groups, roles = _held(session, actor)
    for change in added:
        owner = change.owner
        if (
            (isinstance(owner, User) and owner.id == actor)
            or (isinstance(owner, Group) and owner.id in groups)
            or (isinstance(owner, Role) and owner.id in roles)
        ):
            raise SelfGrantError(str(SELF_GRANT))


def _guard(session: Session, _context: Any, _instances: Any) -> None:
    refuse_self_grant(session, (*session.new, *session.dirty))


def install() -> None:
    """Audit FAB's account, role and group tables and refuse self-grants on every flush (idempotent)."""
    for model, declarations in ACCOUNT_AUDIT.items():
        for name, value in declarations.items():
            setattr(model, name, value)
    if not event.contains(Session, "before_flush", _guard):
        event.listen(Session, "before_flush", _guard)
