"""Sessions that end on the server: each carries its account's session generation, when it began
and when it was last used; a copied cookie dies with the generation, idleness or age."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import current_app, flash, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.models.staff import Staff

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
    session[GENERATION] = user.session_generation
    session[BEGAN] = now
    session[SEEN] = now


def is_current(user: Staff) -> bool:
    """Whether this request's session of the user still holds; touches its last-seen time."""
    began, seen = session.get(BEGAN), session.get(SEEN)
    if session.get(GENERATION) != user.session_generation or began is None or seen is None:
        return False
    now = clock()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if now - seen > idle or now - began > current_app.permanent_session_lifetime.total_seconds():
        return False
    if now - seen >= SEEN_GRANULARITY:
        session[SEEN] = now
    return True


def expire() -> None:
    """Forget a session that no longer holds, and tell the person why they must sign in again."""
    session.clear()
    flash(str(_l("Your session has ended. Please sign in again.")), "info")


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
