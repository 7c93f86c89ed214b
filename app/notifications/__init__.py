"""Notifications: who is told what, written to an outbox in the transaction of the move that causes
it, and delivered by a worker (RQ over Redis in production, a thread of its own under `make run`).

The engine calls `step_ready` when a step becomes someone's; the recipients are resolved just before
that transaction commits (`outbox`), so a rolled-back move leaves no notice behind.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

READY_KEY = "bapas_ready_steps"


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
