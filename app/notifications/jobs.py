"""Running delivery: one pass (`flask bapas notify`), an RQ job for production (a worker on the
queue `bapas-notify`, fed by `rq cron` every minute and woken by each commit that wrote notices),
and, under `make run` without Redis, a thread of the app's own."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.notifications import delivery, watch
from app.notifications.outbox import WRITTEN_KEY

QUEUE = "bapas-notify"
log = logging.getLogger("bapas.notify")
_started = threading.Event()
_app: Flask | None = None


def run_pass() -> delivery.PassResult:
    """One pass in the current app context: write the 75 % and overdue notices, then deliver."""
    watch.scan()
    return delivery.deliver_due()


def deliver_job() -> str:
    """The RQ job: one pass, in this worker's app (built once per worker process)."""
    global _app
    if has_app_context():
        result = run_pass()
    else:
        if _app is None:
            from app import create_app

            _app = create_app()
        with _app.app_context():
            result = run_pass()
    return f"sent={result.sent} retried={result.retried} failed={result.failed}"


def _wake_worker(session: Session) -> None:
    if not session.info.pop(WRITTEN_KEY, False) or not has_app_context():
        return
    redis_url = current_app.config.get("NOTIFY_REDIS_URL")
    if not redis_url:
        return
    try:
        from redis import Redis
        from rq import Queue

        Queue(QUEUE, connection=Redis.from_url(redis_url)).enqueue(deliver_job)
    except Exception:
        log.exception("could not wake the notification worker")


def _loop(app: Flask, interval: int) -> None:
    while True:
        with app.app_context():
            try:
                run_pass()
            except Exception:
                log.exception("notification pass failed")
                db.session.rollback()
            finally:
                db.session.remove()
        time.sleep(interval)


def _start_in_process(app: Flask) -> None:
    if _started.is_set():
        return
    _started.set()
    interval = int(app.config.get("NOTIFY_INTERVAL_SECONDS", 60))
    threading.Thread(target=_loop, args=(app, interval), name="bapas-notify", daemon=True).start()


def install(app: Flask) -> None:
    """Wake the RQ worker after commits that wrote notices; without Redis, under `make run`
    (NOTIFY_IN_PROCESS), deliver in a thread started by the first request."""
    if not event.contains(Session, "after_commit", _wake_worker):
        event.listen(Session, "after_commit", _wake_worker)
    if app.config.get("NOTIFY_IN_PROCESS") and not app.config.get("NOTIFY_REDIS_URL"):
        app.before_request(lambda: _start_in_process(app))
