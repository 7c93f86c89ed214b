"""The security manager: staff accounts, one permission query per request, lockout."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, has_request_context
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import func, or_, select

from app.audit import record_event
from app.models.staff import Staff
from app.security.views import (
    PermissionNameView,
    PermissionPairView,
    StaffGroupView,
    StaffRoleView,
    StaffUserView,
    ViewMenuNameView,
)
from app.timeutil import as_utc, utcnow


class NoJsonLogin(SecurityApi):
    """FAB's JSON login and token refresh, with no route: no screen or client of ours needs them,
    and a second way to try passwords would be one more path to rate-limit and lock."""

    include_route_methods: set[str] = set()


class BapasSecurityManager(SecurityManager):
    """FAB's manager with the staff profile, cached permission checks and account lockout."""

    user_model = Staff
    userdbmodelview = StaffUserView
    groupmodelview = StaffGroupView
    rolemodelview = StaffRoleView
    permissionmodelview = PermissionNameView
    permissionviewmodelview = PermissionPairView
    viewmenumodelview = ViewMenuNameView
    security_api = NoJsonLogin
    userstatschartview = None  # FAB's chart loads Google's loader from the internet

    def permissions_of(self, user: Staff) -> frozenset[tuple[str, str]]:
        """All (permission, view) pairs of the user's roles."""
        return self._permissions_of_roles(tuple(role.id for role in self.get_user_roles(user)))

    def _permissions_of_roles(self, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
        """Permissions of a set of roles, read with one query per request."""
        cache = g.setdefault("_bapas_permissions", {}) if has_request_context() else {}
        key = tuple(sorted(role_ids))
        if key not in cache:
            rows = self.session.execute(
                select(Permission.name, ViewMenu.name)
                .join(PermissionView, PermissionView.permission_id == Permission.id)
                .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
                .join(
                    assoc_permissionview_role,
                    assoc_permissionview_role.c.permission_view_id == PermissionView.id,
                )
                .where(assoc_permissionview_role.c.role_id.in_(key))
            )
            cache[key] = frozenset((perm, view) for perm, view in rows)
        return cache[key]

    def _has_view_access(self, user: Staff, permission_name: str, view_name: str) -> bool:
        return (permission_name, view_name) in self.permissions_of(user)

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        public = self.get_public_role()
        if public is None:
            return False
        return (permission_name, view_name) in self._permissions_of_roles((public.id,))

    def get_public_role(self) -> Role | None:
        """The Public role, read once per request."""
        if not has_request_context():
            return super().get_public_role()
        if "_bapas_public_role" not in g:
            g._bapas_public_role = super().get_public_role()
        return g._bapas_public_role

    def _get_user_permission_view_menus(
        self, user: Staff | None, permission_name: str, view_menus_name: list[str]
    ) -> set[str]:
        if user is None:
            public = self.get_public_role()
            granted = self._permissions_of_roles((public.id,) if public else ())
        else:
            granted = self.permissions_of(user)
        return {name for name in view_menus_name if (permission_name, name) in granted}

    def find_account(self, name: str | None) -> Staff | None:
        """The account a typed name designates: its username, else its e-mail (any letter case)."""
        typed = (name or "").lower()
        if not typed:
            return None
        matches = self.session.scalars(
            select(Staff).where(or_(func.lower(Staff.username) == typed, func.lower(Staff.email) == typed))
        ).all()
        by_username = [user for user in matches if user.username.lower() == typed]
        if by_username:
            return by_username[0]
        return matches[0] if len(matches) == 1 else None

    @staticmethod
    def is_locked(user: Staff) -> bool:
        """Whether the account is locked after repeated failures."""
        return bool(user.locked_until and as_utc(user.locked_until) > utcnow())

    def auth_user_db(self, username: str, password: str) -> Staff | None:
        """Sign in by password. Whatever name is typed (username or e-mail), the failures count
        on the one account it designates, and lock it after LOGIN_MAX_FAILURES."""
        user = self.find_account(username)
        if user is not None and self.is_locked(user):
            record_sign_in("login_failed", user, reason="locked")
            self.session.commit()
            return None
        authenticated = super().auth_user_db(user.username if user is not None else username, password)
        if user is None:
            record_sign_in("login_failed", None, reason="unknown")
        elif authenticated is not None:
            record_sign_in("login", user)
        else:
            record_sign_in("login_failed", user, reason="password")
            if (user.fail_login_count or 0) >= current_app.config["LOGIN_MAX_FAILURES"]:
                minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
                user.locked_until = utcnow() + timedelta(minutes=minutes)
                user.fail_login_count = 0
                record_sign_in("lockout", user, minutes=minutes)
        self.session.commit()
        return authenticated


def record_sign_in(action: str, user: Staff | None, **details: object) -> None:
    """Put a sign-in event of an account (None: a name that designates none) in the audit trail."""
    record_event(
        action,
        Staff.__tablename__,
        user.id if user is not None else "-",
        changes=details or None,
        username=user.username if user is not None else None,
    )
