"""The security manager: staff accounts, one permission query per request, lockout."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_appbuilder.security.utils import is_null_password
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from app.extensions import db
from app.models.staff import Staff
from app.notifications import unread_of_account
from app.security import mfa, sessions
from app.security.auth import FAILED, BapasAuthView, failed_sign_in, record_sign_in
from app.security.interfaces import security_interfaces
from app.security.mfa_views import MfaView
from app.security.views import (
    OwnPasswordView,
    PasswordResetView,
    PermissionNameView,
    PermissionPairView,
    StaffGroupView,
    StaffRoleView,
    StaffUserView,
    ViewMenuNameView,
)
from app.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class FirstStep:
    """Something a signed-in account must do before anything else: the pages it may open meanwhile
    (the first is where it is sent) and what it is told."""

    needed: Callable[[Staff], bool]
    endpoints: tuple[str, ...]
    message: LazyString


FIRST_STEPS = (
    FirstStep(
        lambda user: user.must_change_password,
        (f"{OwnPasswordView.__name__}.this_form_get", f"{OwnPasswordView.__name__}.this_form_post"),
        _l("Your password was set by an administrator. Choose a new password to continue."),
    ),
    FirstStep(
        lambda user: not mfa.enrolled(user) and mfa.required_for(user),
        (f"{MfaView.__name__}.enrol",),
        _l("Your role requires two-step verification. Set it up now to continue."),
    ),
)
ALWAYS_OPEN = {f"{BapasAuthView.__name__}.logout"}


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
    authdbview = BapasAuthView
    resetmypasswordview = OwnPasswordView
    resetpasswordview = PasswordResetView
    userstatschartview = None  # FAB's chart loads Google's loader from the internet
    _dummy: str | None = None

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        security_interfaces(self)

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

    @staticmethod
    def before_request() -> Response | None:
        """FAB's `g.user`; and an account with a first step to take (FIRST_STEPS) is sent there."""
        g.user = current_user
        endpoint = request.endpoint
        if endpoint is None or endpoint.endswith("static") or endpoint in ALWAYS_OPEN:
            return None
        if not current_user.is_authenticated:
            return None
        for step in FIRST_STEPS:
            if step.needed(current_user):
                if endpoint in step.endpoints:
                    return None
                flash(str(step.message), "warning")
                return redirect(url_for(step.endpoints[0]))
        return None

    @property
    def is_auth_limited(self) -> bool:
        """FAB's own limit on the sign-in screens counts every POST, successes too: ours is below."""
        return False

    def register_views(self) -> None:
        """FAB's security screens, and one's own two-step verification; failed sign-ins limited per
        address (AUTH_RATE_LIMIT, while AUTH_RATE_LIMITED): an office behind one address signs in
        all morning, but guesses are counted. Failures per account lock it (`count_failure`)."""
        super().register_views()
        self.appbuilder.add_view_no_menu(MfaView)
        self.limiter.limit(
            lambda: current_app.config["AUTH_RATE_LIMIT"],
            methods=["POST"],
            deduct_when=failed_sign_in,
            exempt_when=lambda: not current_app.config["AUTH_RATE_LIMITED"],
        )(self.auth_view.blueprint)

    def load_user(self, pk: int | str) -> Staff | None:
        """The signed-in account, provided its session still holds (see app.security.sessions):
        the account, whether this session was ended and the bell's unread count come in one statement,
        on every request."""
        try:
            key = int(pk)
        except (TypeError, ValueError):
            key = 0
        # Its roles, groups and office come joined: each page checks them, and FAB would load each.
        stmt = (
            select(Staff, sessions.ended_clause(), unread_of_account())
            .where(Staff.id == key)
            .options(joinedload(Staff.roles), joinedload(Staff.groups), joinedload(Staff.office))
        )
        found = db.session.execute(stmt).unique().first()
        if found is not None and found[0].is_active and sessions.is_current(found[0], ended=found[1]):
            g._bapas_unread = found[2] or 0  # the bell's badge (app.views.notifications)
            return found[0]
        sessions.expire()
        return None

    def reset_password(self, userid: int | str, password: str) -> None:
        """Set a new password; every session of the account ends, but the one changing its own.
        One set by someone else (Admin) must be replaced at the account's next sign-in."""
        user = self.get_user_by_id(userid)
        actor = getattr(g, "user", None)
        own = bool(actor is not None and actor.is_authenticated and actor.id == user.id)
        user.password = generate_password_hash(
            password,
            method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
            salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
        )
        user.must_change_password = not own
        sessions.end_all(user, keep_current=own)
        self.session.commit()  # the trail records the change itself (app.security.grants)

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
        """Check a password: the account, or None. Whatever name is typed (username or e-mail), the
        failures count on the one account it designates, and lock it after LOGIN_MAX_FAILURES;
        `signed_in` completes the sign-in."""
        user = self.find_account(username)
        usable = user is not None and user.is_active and not self.is_locked(user) and bool(user.password)
        # Every outcome pays for one hash check and one commit, so the time taken does not tell
        # an unknown name from a locked account or a wrong password.
        matches = check_password_hash(user.password if usable else self._dummy_hash(), password or "")
        if user is None:
            record_sign_in(FAILED, None, reason="unknown")
        elif not usable:
            reason = "locked" if self.is_locked(user) else "inactive"
            record_sign_in(FAILED, user, reason=reason)
        elif matches and not is_null_password(password):
            self.session.commit()
            return user  # its failures are forgotten only once the second step, if any, is done
        else:
            self.count_failure(user, reason="password")
        self.session.commit()
        return None

    def signed_in(self, user: Staff, **details: object) -> None:
        """The sign-in is complete (password and second step): count it, forget the failures."""
        user.login_count = (user.login_count or 0) + 1
        user.last_login = datetime.now()
        user.fail_login_count = 0
        record_sign_in("login", user, **details)
        self.session.commit()

    def count_failure(self, user: Staff, **details: object) -> None:
        """One more failure on the account's counter (the caller commits); the last one allowed locks it."""
        user.fail_login_count = (user.fail_login_count or 0) + 1
        record_sign_in(FAILED, user, **details)
        if user.fail_login_count >= current_app.config["LOGIN_MAX_FAILURES"]:
            minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
            user.locked_until = utcnow() + timedelta(minutes=minutes)
            user.fail_login_count = 0
            record_sign_in("lockout", user, minutes=minutes)

    def _dummy_hash(self) -> str:
        """A hash made like the real ones (same method and cost) of a password nobody knows."""
        if self._dummy is None:
            self._dummy = generate_password_hash(
                secrets.token_urlsafe(24),
                method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
                salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
            )
        return self._dummy
