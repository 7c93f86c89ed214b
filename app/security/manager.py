"""The security manager: staff accounts, one permission query per request, lockout."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, g, has_request_context
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import select

from app.models.staff import Staff
from app.security.views import (
    PermissionNameView,
    PermissionPairView,
    StaffGroupView,
    StaffInterface,
    StaffRoleView,
    StaffUserView,
    ViewMenuNameView,
)
from app.timeutil import as_utc, utcnow


class BapasSecurityManager(SecurityManager):
    """FAB's manager with the staff profile, cached permission checks and account lockout."""

    user_model = Staff
    userdbmodelview = StaffUserView
    groupmodelview = StaffGroupView
    rolemodelview = StaffRoleView
    permissionmodelview = PermissionNameView
    permissionviewmodelview = PermissionPairView
    viewmenumodelview = ViewMenuNameView
    userstatschartview = None  # FAB's chart loads Google's loader from the internet

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        self.userdbmodelview.datamodel = StaffInterface(self.user_model)

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

    def auth_user_db(self, username: str, password: str) -> Staff | None:
        """Sign in by password, refusing accounts locked after repeated failures."""
        user = self.find_user(username=username) if username else None
        if user is not None and user.locked_until and as_utc(user.locked_until) > utcnow():
            return None
        authenticated = super().auth_user_db(username, password)
        failures = (user.fail_login_count or 0) if user is not None else 0
        if authenticated is None and failures >= current_app.config["LOGIN_MAX_FAILURES"]:
            minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
            user.locked_until = utcnow() + timedelta(minutes=minutes)
            user.fail_login_count = 0
            self.session.commit()
        return authenticated
