"""Notifications: who is told what, written to an outbox in the transaction of the move that causes
it, and delivered by a worker (RQ over Redis in production, a thread of its own under `make run`).

The engine calls `step_ready` when a step becomes someone's; the recipients are resolved just before
that transaction commits (`outbox`), so a rolled-back move leaves no notice behind.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

READY_KEY = "bapas_ready_steps"


def unread_of_account() -> Any:
    """SQL: the unread count of the bell of the account row an enclosing query selects (the sign-in
    check reads it with the account, so a page pays no statement of its own for the badge)."""
    from sqlalchemy import func, select

    from app.models.notifications import APP, Notification
    from app.models.staff import Staff
    from app.security import scope

    mine = scope.addressed_to(Staff)  # correlated to the enclosing query's account row
    stmt = select(func.count(Notification.id)).where(
        mine, Notification.channel == APP, Notification.read_at.is_(None)
    )
    return stmt.correlate(Staff).scalar_subquery()


def step_ready(record: Any) -> None:
    """A step became someone's: tell its actors when the move commits (nothing if it rolls back)."""
    from app.extensions import db

    db.session.info.setdefault(READY_KEY, []).append(record)


def install(app: Flask) -> None:
    """Resolve notices at commit, hang the public notices on the engine, and start delivery."""
    from app.notifications import jobs, outbox, public

    outbox.install()
    public.install()
    jobs.install(app)
