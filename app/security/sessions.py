"""Sessions that end on the server: each carries a random id, its account's session generation, when
it began and when it was last used; a copied cookie dies with its session's logout (the id is then
listed as ended), the generation (a password change or reset ends every session), idleness or age."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app, flash, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import ColumnElement, delete, exists, false, select

from app.extensions import db
from app.models.staff import EndedSession, Staff

SESSION_ID = "_bapas_session"
GENERATION = "_bapas_generation"
BEGAN = "_bapas_began"
SEEN = "_bapas_seen"
# Refreshing the last-seen time on every request would rewrite the cookie on every response.
SEEN_GRANULARITY = 60
# Wall-clock seconds, not app.timeutil's clock: tests freeze that one on office dates for days
# while a session lives; the session tests replace this one.
clock: Callable[[], float] = time.time


def begin(user: Staff) -> None:
    """Start a signed-in session for the user, dropping whatever the browser's session held."""
    session.clear()
    login_user(user, remember=False)
    now = clock()
    session[SESSION_ID] = secrets.token_urlsafe(32)
    session[GENERATION] = user.session_generation
    session[BEGAN] = now
    session[SEEN] = now


def ended_clause() -> ColumnElement[bool]:
    """SQL: whether this request's session is among the ended ones (asked with the account's row)."""
    sid = session.get(SESSION_ID)
    if not sid:
        return false()
    return exists().where(EndedSession.id_hash == _hashed(sid))


def is_current(user: Staff, ended: bool) -> bool:
    """Whether this request's session of the user still holds (`ended`: listed as ended, see
    `ended_clause`); touches its last-seen time."""
    began, seen, sid = session.get(BEGAN), session.get(SEEN), session.get(SESSION_ID)
    if session.get(GENERATION) != user.session_generation or began is None or seen is None or not sid:
        return False
    now = clock()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if now - seen > idle or now - began > current_app.permanent_session_lifetime.total_seconds():
        return False
    if ended:
        return False
    if now - seen >= SEEN_GRANULARITY:
        session[SEEN] = now
    return True


def expire() -> None:
    """Forget a session that no longer holds, and tell the person why they must sign in again."""
    session.clear()
    flash(str(_l("Your session has ended. Please sign in again.")), "info")


def _hashed(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def end_this(user: Staff) -> None:
    """End this request's session only, any copy of its cookie included (the caller commits); the
    account's other sessions go on. Ended ids older than a session's lifetime are forgotten."""
    now = datetime.fromtimestamp(clock(), UTC)
    lifetime = current_app.permanent_session_lifetime
    db.session.execute(delete(EndedSession).where(EndedSession.ended_at < now - lifetime))
    sid = session.get(SESSION_ID)
    if (
        sid
        and db.session.scalar(select(EndedSession.id_hash).where(EndedSession.id_hash == _hashed(sid)))
        is None
    ):
        db.session.add(EndedSession(id_hash=_hashed(sid), user_id=user.id, ended_at=now))


def end_all(user: Staff, *, keep_current: bool = False) -> None:
    """End every session of the user (the caller commits); `keep_current` keeps this request's."""
    user.session_generation = (user.session_generation or 0) + 1
    if keep_current:
        session[GENERATION] = user.session_generation


PENDING = "_bapas_pending"


def hold(user: Staff, next_url: str) -> None:
    """Remember, for a few minutes, an account whose password was right and whose second step is
    still to come; nobody is signed in yet."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "generation": user.session_generation,
        "at": clock(),
        "next": next_url,
    }


def held() -> tuple[int, int, str] | None:
    """The account id, session generation and next page of a sign-in waiting for its second step,
    unless it is too old (config MFA_STEP_SECONDS)."""
    pending = session.get(PENDING)
    if (
        not isinstance(pending, dict)
        or clock() - pending.get("at", 0) > current_app.config["MFA_STEP_SECONDS"]
    ):
        session.pop(PENDING, None)
        return None
    return pending["user"], pending["generation"], pending["next"]


def drop_held() -> None:
    """Forget a sign-in waiting for its second step."""
    session.pop(PENDING, None)
